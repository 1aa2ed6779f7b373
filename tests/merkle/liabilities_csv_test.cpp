// Pins merkle/liabilities_csv.* and merkle/csv_reader.*: RFC 4180 reading and every error the
// docs/FORMAT.md §2 lists, each naming file:line:column.
#include "merkle/liabilities_csv.h"

#include <gtest/gtest.h>

#include "tests/support/test_support.h"

namespace segverify::merkle {
namespace {

using segverify::testing::TempDir;
using segverify::testing::WriteFile;

const std::vector<AssetSpec> kAssets = {{"BTC", 8}, {"ETH", 18}};

// Reads the whole file; returns the rows or the first error.
Result<std::vector<LiabilityRow>> ReadAll(const std::string& content, const std::vector<AssetSpec>& assets = kAssets) {
  static int counter = 0;
  TempDir dir;
  const std::string path = dir.File("l" + std::to_string(counter++) + ".csv");
  WriteFile(path, content);
  auto reader = LiabilitiesReader::Open(path, assets);
  if (!reader) return Error{reader.error().message.substr(reader.error().message.rfind('/') + 1)};
  std::vector<LiabilityRow> rows;
  LiabilityRow row;
  while (true) {
    auto more = reader->Next(row);
    if (!more) return Error{more.error().message.substr(more.error().message.rfind('/') + 1)};
    if (!*more) break;
    rows.push_back(row);
  }
  return rows;
}

TEST(LiabilitiesCsv, ReadsQuotedIdsCrlfBomAndEmptyCells) {
  auto rows = ReadAll(
      "\xEF\xBB\xBF"
      "account_id,BTC,ETH\r\n"
      "alice,0.5,1\r\n"
      "\"bob, \"\"the builder\"\"\",,2.5\r\n"
      "\"multi\nline\",1,\n");
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].account_id, "alice");
  EXPECT_TRUE((*rows)[0].amounts[0] == 50000000);
  EXPECT_EQ((*rows)[1].account_id, "bob, \"the builder\"");
  EXPECT_TRUE((*rows)[1].amounts[0] == 0);
  EXPECT_EQ(U128ToDecimal((*rows)[1].amounts[1]), "2500000000000000000");
  EXPECT_EQ((*rows)[2].account_id, "multi\nline");
  EXPECT_EQ((*rows)[2].line, 4u);
}

TEST(LiabilitiesCsv, LastLineWithoutNewline) {
  auto rows = ReadAll("account_id,BTC,ETH\nalice,1,2");
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  EXPECT_EQ(rows->size(), 1u);
}

struct ErrorCase {
  const char* name;
  std::string content;
  std::string expected;  // substring of the error after the directory part
};

TEST(LiabilitiesCsv, ErrorTable) {
  const std::string h = "account_id,BTC,ETH\n";
  const ErrorCase cases[] = {
      {"empty file", "", "empty file"},
      {"negative", h + "alice,-1,0\n", ":2:7: BTC: negative amount \"-1\""},
      {"sign", h + "alice,+1,0\n", ":2:7: BTC: sign not allowed"},
      {"exponent", h + "alice,1,1e18\n", ":2:9: ETH: exponent not allowed"},
      {"separators", h + "alice,\"1,000\",0\n", ":2:7: BTC: separators not allowed"},
      {"too many decimals", h + "alice,0.000000001,0\n", ":2:7: BTC: too many decimals (at most 8"},
      {"not a number", h + "alice,abc,0\n", ":2:7: BTC: not a number"},
      {"amount overflow", h + "alice,0,340282366920938463464\n", ":2:9: ETH: amount exceeds 2^128-1"},
      {"column total overflow", h + "a,0,340282366920938463463\nb,0,340282366920938463463\n",
       ":3:5: ETH: column total exceeds 2^128-1"},
      {"empty id", h + ",1,2\n", ":2:1: empty account id"},
      {"wrong column count", h + "alice,1\n", ":2:1: wrong column count: 2 fields, expected 3"},
      {"too many columns", h + "alice,1,2,3\n", ":2:1: wrong column count: 4 fields"},
      {"header mismatch", "account_id,BTC,USDT\nalice,1,2\n", ":1:16: unknown asset \"USDT\""},
      {"header order", "account_id,ETH,BTC\n", ":1:12: asset column out of order \"ETH\""},
      {"header missing column", "account_id,BTC\n", "header has 1 asset column(s), --assets has 2"},
      {"header without account_id", "id,BTC,ETH\n", ":1:1: header must start with account_id"},
      {"NUL in id", h + std::string("al\0ce,1,2\n", 10), ":2:3: NUL byte"},
      {"NUL in amount", h + std::string("alice,1\0,2\n", 11), ":2:8: NUL byte"},
      {"invalid UTF-8 id", h + "al\xff" "ce,1,2\n", ":2:1: account id is not valid UTF-8"},
      {"blank line", h + "alice,1,2\n\nbob,1,2\n", ":3:1: blank line"},
      {"stray quote", h + "al\"ice,1,2\n", ":2:3: quote inside an unquoted field"},
      {"text after quote", h + "\"alice\"x,1,2\n", ":2:8: unexpected text after a closing quote"},
      {"unterminated quote", h + "\"alice,1,2\n", ":2:1: unterminated quoted field"},
      {"bare CR", h + "alice,1,2\rbob,1,2\n", "carriage return not followed by a line feed"},
  };
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.name);
    auto rows = ReadAll(c.content);
    ASSERT_FALSE(rows.ok());
    EXPECT_NE(rows.error().message.find(c.expected), std::string::npos) << rows.error().message;
  }
}

TEST(LiabilitiesCsv, RecordsAreBoundedWhateverTheyHold) {
  const std::string h = "account_id,BTC,ETH\n";
  // Longer than the record limit: refused at the record's line, whatever the line holds.
  for (const std::string& line : {"alice," + std::string(kMaxCsvRecordBytes, '1') + ",1\n",
                                  "alice" + std::string(kMaxCsvRecordBytes + 5, ','),
                                  "\"" + std::string(kMaxCsvRecordBytes, 'a') + "\",1,1\n"}) {
    auto rows = ReadAll(h + "bob,1,1\n" + line + "carol,1,1\n");
    ASSERT_FALSE(rows.ok());
    EXPECT_NE(rows.error().message.find(":3:1: line longer than 1048576 bytes"), std::string::npos)
        << rows.error().message.substr(0, 200);
  }
  // Many fields within the limit: counted, not kept.
  auto many = ReadAll(h + "alice" + std::string(100000, ',') + "\n");
  ASSERT_FALSE(many.ok());
  EXPECT_NE(many.error().message.find(":2:1: wrong column count: 100001 fields, expected 3"), std::string::npos);
}

TEST(LiabilitiesCsv, ErrorsQuoteAtMostAShortPieceOfAField) {
  const std::string h = "account_id,BTC,ETH\n";
  auto long_cell = ReadAll(h + "alice," + std::string(900000, '1') + "x,1\n");
  ASSERT_FALSE(long_cell.ok());
  const std::string& message = long_cell.error().message;
  EXPECT_LT(message.size(), 200u) << message.substr(0, 300);
  EXPECT_NE(message.find(":2:7: BTC: not a number \"1111111111"), std::string::npos) << message;
  EXPECT_EQ(message.substr(message.size() - 3), "\xE2\x80\xA6");  // ends with "…"
  auto control = ReadAll(h + "alice,1\x01\x1b[2J,1\n");
  ASSERT_FALSE(control.ok());
  EXPECT_NE(control.error().message.find("\"1\\x01\\x1b[2J\""), std::string::npos) << control.error().message;
  EXPECT_EQ(QuoteForError("caf\xc3\xa9", 4), "\"caf\"\xE2\x80\xA6");  // never half a character
  EXPECT_EQ(QuoteForError("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(QuoteForError("\xff"), "\"\\xff\"");
}

TEST(LiabilitiesCsv, TotalsAreCheckedSums) {
  TempDir dir;
  WriteFile(dir.File("l.csv"), "account_id,BTC,ETH\na,1,2\nb,0.5,\n");
  auto reader = LiabilitiesReader::Open(dir.File("l.csv"), kAssets);
  ASSERT_TRUE(reader.ok());
  LiabilityRow row;
  while (true) {
    auto more = reader->Next(row);
    ASSERT_TRUE(more.ok());
    if (!*more) break;
  }
  EXPECT_TRUE(reader->totals()[0] == 150000000);
  EXPECT_EQ(U128ToDecimal(reader->totals()[1]), "2000000000000000000");
}

TEST(Utf8, Validation) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // > U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xe2\x82"));          // truncated
}

}  // namespace
}  // namespace segverify::merkle
