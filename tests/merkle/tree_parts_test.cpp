// Pins the tree builder's parts that no other test names: merkle/json_fields.h (the fields root.json
// and proofs share), merkle/account_index.h (index.bin: sorted by key, a duplicate id refused with
// both lines, a key collision of two ids accepted), merkle/step_progress.h (at most one update per
// percent) and merkle/big_buffer.h (grows only, moves own their mapping).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/file_io.h"
#include "common/hex.h"
#include "merkle/account_index.h"
#include "merkle/big_buffer.h"
#include "merkle/json_fields.h"
#include "merkle/step_progress.h"
#include "merkle/tree_layout.h"
#include "tests/support/test_support.h"

namespace segverify::merkle {
namespace {

using testing::ReadFile;
using testing::TempDir;

Result<std::unique_ptr<JsonDocument>> Doc(const std::string& text) { return ParseJson(text, "root.json"); }

TEST(JsonFields, ReadBackWhatTheyWrite) {
  const std::vector<AssetSpec> assets = {{"BTC", 8}, {"ETH", 18}};
  Hash256 hash;
  hash.fill(0xab);
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("assets");
  WriteAssets(w, assets);
  w.Key("hash");
  WriteHash(w, hash);
  w.Key("sums");
  WriteAmounts(w, {150000000, 1}, assets);
  w.Key("height");
  w.Uint(20);
  w.EndObject();
  const std::string text(buffer.GetString(), buffer.GetSize());
  EXPECT_EQ(text, R"({"assets":[{"symbol":"BTC","decimals":8},{"symbol":"ETH","decimals":18}],"hash":")" +
                      ToHex(hash) + R"(","sums":["1.5","0.000000000000000001"],"height":20})");
  auto doc = Doc(text);
  ASSERT_TRUE(doc.ok());
  JsonObjectReader reader(**doc, "root.json", "");
  EXPECT_EQ(*ReadAssets(reader, "assets"), assets);
  EXPECT_EQ(*ReadHash(reader, "hash"), hash);
  EXPECT_EQ(*ReadAmounts(reader, "sums", assets), (std::vector<u128>{150000000, 1}));
  EXPECT_EQ(*ReadHeight(reader, "height"), 20u);
}

TEST(JsonFields, EachFieldIsCheckedAndNamed) {
  auto error_of = [](const std::string& text, auto read) {
    auto doc = Doc(text);
    EXPECT_TRUE(doc.ok()) << text;
    JsonObjectReader reader(**doc, "root.json", "");
    auto result = read(reader);
    return result.ok() ? std::string() : result.error().message;
  };
  auto assets = [](const JsonObjectReader& r) { return ReadAssets(r, "assets"); };
  EXPECT_NE(error_of(R"({"assets":[]})", assets).find("at least one asset"), std::string::npos);
  EXPECT_NE(error_of(R"({"assets":[{"symbol":"BTC","decimals":8},{"symbol":"BTC","decimals":8}]})", assets)
                .find("duplicate asset BTC"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"assets":[{"symbol":"BTC","decimals":8,"x":1}]})", assets).find("assets[0]"),
            std::string::npos);
  auto hash = [](const JsonObjectReader& r) { return ReadHash(r, "hash"); };
  EXPECT_NE(error_of(R"({"hash":"abc"})", hash).find("64 hex"), std::string::npos);
  auto height = [](const JsonObjectReader& r) { return ReadHeight(r, "height"); };
  EXPECT_FALSE(error_of(R"({"height":0})", height).empty());
  EXPECT_FALSE(error_of(R"({"height":49})", height).empty());  // kMaxTreeHeight is 48
  EXPECT_TRUE(error_of(R"({"height":48})", height).empty());
  const std::vector<AssetSpec> btc = {{"BTC", 8}};
  auto sums = [&](const JsonObjectReader& r) { return ReadAmounts(r, "sums", btc); };
  EXPECT_NE(error_of(R"({"sums":["1","2"]})", sums).find("expected 1 amounts"), std::string::npos);
  EXPECT_NE(error_of(R"({"sums":[1]})", sums).find("sums[0]"), std::string::npos);
  EXPECT_FALSE(error_of(R"({"sums":["0.000000001"]})", sums).empty());  // 9 decimals for BTC's 8
}

// Accounts "a", "b", "c" at positions 0, 1, 2 with the keys given, all in group 0.
Status WriteIndex(const std::string& path, const std::vector<std::uint64_t>& keys,
                  const std::vector<std::string>& ids) {
  AccountIndexInput input;
  input.group_sizes.assign(kIndexGroups, 0);
  input.group_sizes[0] = keys.size();
  input.load_group = [&](std::size_t group, std::vector<IndexEntry>& out) {
    out.clear();
    if (group != 0) return Status::Ok();
    for (std::size_t i = 0; i < keys.size(); ++i) out.push_back({keys[i], i, i + 2});  // line = position + 2
    return Status::Ok();
  };
  input.id_at = [&](std::uint64_t position) -> Result<std::string> { return ids[position]; };
  input.liabilities_path = "liabilities.csv";
  auto file = OutputFile::Create(path);
  if (!file) return file.error();
  if (Status s = file->Reserve(kIndexHeaderBytes + kIndexEntryBytes * keys.size()); !s) return s;
  ProgressCallback none;
  StepProgress progress(none, "index", keys.size());
  if (Status s = WriteAccountIndex(input, *file, 2, progress); !s) return s;
  return file->Flush();
}

TEST(AccountIndex, EntriesSortedByKeyWithTheirPositions) {
  TempDir dir;
  ASSERT_TRUE(WriteIndex(dir.File("index.bin"), {30, 10, 20}, {"a", "b", "c"}).ok());
  const std::string bytes = ReadFile(dir.File("index.bin"));
  ASSERT_EQ(bytes.size(), kIndexHeaderBytes + 3 * kIndexEntryBytes);
  const auto* p = reinterpret_cast<const std::uint8_t*>(bytes.data());
  EXPECT_EQ(bytes.substr(0, 8), "SEGVIDX1");
  EXPECT_EQ(GetLe64(p + 8), 3u);
  const std::uint64_t expected[][2] = {{10, 1}, {20, 2}, {30, 0}};
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(GetLe64(p + kIndexHeaderBytes + 16 * i), expected[i][0]) << i;
    EXPECT_EQ(GetLe64(p + kIndexHeaderBytes + 16 * i + 8), expected[i][1]) << i;
  }
}

TEST(AccountIndex, ADuplicateIdIsRefusedNamingBothLinesAndACollisionIsNot) {
  TempDir dir;
  Status duplicate = WriteIndex(dir.File("index.bin"), {7, 9, 7}, {"alice", "bob", "alice"});
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().message, "liabilities.csv:4:1: duplicate account id \"alice\" (first on line 2)");
  // Equal keys, different ids: a key collision, both kept.
  EXPECT_TRUE(WriteIndex(dir.File("index2.bin"), {7, 9, 7}, {"alice", "bob", "carol"}).ok());
}

TEST(StepProgress, AtMostOneUpdatePerPercentAndOneAtTheEnd) {
  std::vector<std::uint64_t> seen;
  const ProgressCallback callback = [&](std::string_view step, std::uint64_t done, std::uint64_t total) {
    EXPECT_EQ(step, "hashing");
    EXPECT_EQ(total, 1000u);
    seen.push_back(done);
  };
  StepProgress progress(callback, "hashing", 1000);
  for (int i = 0; i < 1000; ++i) progress.Add(1);
  ASSERT_EQ(seen.size(), 101u);  // the start, then once per percent
  EXPECT_EQ(seen.front(), 0u);
  EXPECT_EQ(seen.back(), 1000u);
  progress.Add(5);  // past the end: no more updates
  EXPECT_EQ(seen.size(), 101u);
}

TEST(BigBuffer, GrowsOnlyAndMovesOwnTheMapping) {
  BigBuffer<std::uint64_t> buffer;
  EXPECT_EQ(buffer.data(), nullptr);
  buffer.Resize(1000);
  ASSERT_NE(buffer.data(), nullptr);
  for (std::size_t i = 0; i < 1000; ++i) buffer.data()[i] = i;
  std::uint64_t* before = buffer.data();
  buffer.Resize(10);  // shrinking keeps the mapping
  EXPECT_EQ(buffer.data(), before);
  EXPECT_EQ(buffer.size(), 10u);
  BigBuffer<std::uint64_t> moved(std::move(buffer));
  EXPECT_EQ(moved.data(), before);
  EXPECT_EQ(moved.data()[9], 9u);
  EXPECT_EQ(buffer.data(), nullptr);  // NOLINT(bugprone-use-after-move): the moved-from buffer is empty
  moved.Release();
  EXPECT_EQ(moved.size(), 0u);
}

}  // namespace
}  // namespace segverify::merkle
