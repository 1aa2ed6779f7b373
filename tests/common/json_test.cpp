// Pins common/json.*: bounded parsing (depth, duplicates, size, UTF-8) and path-naming accessors.
#include "common/json.h"

#include <gtest/gtest.h>

namespace segverify {
namespace {

TEST(ParseJson, AcceptsOrdinaryDocument) {
  auto doc = ParseJson(R"({"a":[1,2,{"b":"c"}]})", "t");
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  EXPECT_TRUE((*doc)->IsObject());
}

TEST(ParseJson, RejectsDeepNestingWithoutCrashing) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  auto doc = ParseJson(deep, "deep.json");
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.error().message.find("deep.json: JSON nested deeper"), std::string::npos) << doc.error().message;
}

TEST(ParseJson, RejectsDuplicateKeys) {
  auto doc = ParseJson(R"({"a":1,"b":{"x":1,"x":2}})", "dup.json");
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.error().message.find("duplicate JSON key \"x\""), std::string::npos);
}

TEST(ParseJson, RejectsInvalidUtf8AndTrailingGarbage) {
  EXPECT_FALSE(ParseJson("\"\xff\xfe\"", "t").ok());
  EXPECT_FALSE(ParseJson("{} x", "t").ok());
  EXPECT_FALSE(ParseJson("", "t").ok());
}

// docs/DESIGN.md §Outputs are all or nothing: a JSON input with anything after its value, a NUL
// byte included, is malformed. RapidJSON alone stops at a NUL as if the input ended there.
TEST(ParseJson, RejectsAnythingAfterTheValueIncludingANulByte) {
  using namespace std::string_literals;
  for (const std::string& text : {"{}\0"s, "{}\0garbage"s, "{} \0 "s, "{\"a\":1}\n\0{\"a\":2}"s, "\0{}"s,
                                  "[1,2]\0\0"s, "\"x\"\0"s, "{}\n{}"s, "{} ,"s}) {
    auto doc = ParseJson(text, "t.json");
    EXPECT_FALSE(doc.ok()) << "accepted: " << ::testing::PrintToString(text);
  }
  auto nul = ParseJson("{\"a\":1}\0x"s, "t.json");
  ASSERT_FALSE(nul.ok());
  EXPECT_EQ(nul.error().message, "t.json: invalid JSON at byte 7: NUL byte (nothing may follow the JSON value)");
  // Whitespace after the value is not "anything".
  EXPECT_TRUE(ParseJson("{\"a\":1} \n\t\r\n", "t.json").ok());
  // A NUL escaped inside a string is a character like any other.
  EXPECT_TRUE(ParseJson(R"({"a":"\u0000"})", "t.json").ok());
}

TEST(ParseJson, RejectsOversizedInput) {
  JsonLimits limits;
  limits.max_bytes = 10;
  EXPECT_FALSE(ParseJson(R"({"a":"0123456789"})", "t", limits).ok());
}

TEST(JsonObjectReader, NamesPathOfBadField) {
  auto doc = ParseJson(R"({"n":"5","s":5,"extra":1})", "cfg.json");
  ASSERT_TRUE(doc.ok());
  JsonObjectReader r(**doc, "cfg.json", "pools[0]");
  auto n = r.Uint64("n");
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().message, "cfg.json: pools[0].n: expected a non-negative integer, found a string");
  auto s = r.String("s");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "cfg.json: pools[0].s: expected a string, found a number");
  auto missing = r.String("m");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "cfg.json: pools[0].m: missing");
  Status only = r.CheckOnlyKeys({"n", "s"});
  ASSERT_FALSE(only.ok());
  EXPECT_EQ(only.message(), "cfg.json: pools[0].extra: unknown field");
}

}  // namespace
}  // namespace segverify

namespace segverify {
namespace {

// The value count is checked by a streaming pass, before any document is built.
TEST(JsonLimitsTest, ValueCountIsBoundedBeforeTheDocumentIsBuilt) {
  std::string many = "[";
  many.reserve(8'000'010);
  for (int i = 0; i < 4'000'000; ++i) many += "0,";
  many += "0]";
  auto refused = ParseJson(many, "node");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message, "node: JSON holds more than 4000000 values");
  many.resize(many.size() - 5);  // ",0,0]" off: the array and its 3,999,999 elements
  many += "]";
  EXPECT_TRUE(ParseJson(many, "node").ok());
}

// A duplicate key quoted in the error is shown printable (the error reaches terminals and pages).
TEST(JsonLimitsTest, DuplicateKeyIsQuotedPrintable) {
  auto refused = ParseJson("{\"a\\u001b[2K\":1,\"a\\u001b[2K\":2}", "site");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message, "site: duplicate JSON key \"a\\x1b[2K\"");
}

}  // namespace
}  // namespace segverify
