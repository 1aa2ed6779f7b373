// Pins merkle/leaf_permutation.* and merkle/siphash.h, and the default (shuffled) placement of
// `segverify tree build`, to fixtures/vectors/leaf-shuffle.json: known answers computed by the
// independent Python reference (tests/tools/leaf_shuffle_vectors.py, written from
// docs/FORMAT.md §3 "Placement order" and the SipHash paper), never by the code under test.
#include "merkle/leaf_permutation.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>

#include "common/hex.h"
#include "common/sha256.h"
#include "merkle/siphash.h"
#include "tests/support/fixture_json.h"
#include "tests/support/test_support.h"

namespace segverify::merkle {
namespace {

using testing::LoadFixture;
using testing::Str;

constexpr const char* kVectors = "fixtures/vectors/leaf-shuffle.json";

std::array<std::uint8_t, 16> Key16(const std::string& hex) {
  std::array<std::uint8_t, 16> key{};
  EXPECT_TRUE(FromHexExact(hex, key)) << hex;
  return key;
}

TEST(LeafShuffle, SipHashMatchesThePaperVector) {
  auto doc = LoadFixture(kVectors);
  ASSERT_NE(doc, nullptr);
  const JsonValue& paper = (*doc)["siphash24_paper_vector"];
  const Bytes message = testing::HexOrDie(Str(paper, "message"));
  const std::uint64_t out = SipHash24(Key16(Str(paper, "key")))(message.data(), message.size());
  EXPECT_EQ(ToHex(Bytes{static_cast<std::uint8_t>(out >> 56), static_cast<std::uint8_t>(out >> 48),
                        static_cast<std::uint8_t>(out >> 40), static_cast<std::uint8_t>(out >> 32),
                        static_cast<std::uint8_t>(out >> 24), static_cast<std::uint8_t>(out >> 16),
                        static_cast<std::uint8_t>(out >> 8), static_cast<std::uint8_t>(out)}),
            Str(paper, "output"));
}

TEST(LeafShuffle, ShuffleKeyIsDerivedFromTheNonceKey) {
  auto doc = LoadFixture(kVectors);
  ASSERT_NE(doc, nullptr);
  const Bytes nonce_key = testing::HexOrDie(Str(*doc, "nonce_key"));
  const Hash256 derived = HmacSha256(nonce_key).Mac(std::string_view("segverify/leaf-permutation"));
  EXPECT_EQ(ToHex(std::span<const std::uint8_t>(derived.data(), 16)), Str(*doc, "shuffle_key"));
}

TEST(LeafShuffle, WholePermutationsMatchTheReference) {
  auto doc = LoadFixture(kVectors);
  ASSERT_NE(doc, nullptr);
  const auto key = Key16(Str(*doc, "shuffle_key"));
  int checked = 0;
  for (const auto& case_ : (*doc)["permutations"].GetArray()) {
    const std::uint64_t n = case_["n"].GetUint64();
    const LeafPermutation permutation = LeafPermutation::Keyed(n, key);
    const auto& leaves = case_["leaf_of_row"];
    ASSERT_EQ(leaves.Size(), n);
    for (rapidjson::SizeType row = 0; row < leaves.Size(); ++row) {
      EXPECT_EQ(permutation(row), leaves[row].GetUint64()) << "n " << n << " row " << row;
      ++checked;
    }
  }
  EXPECT_GT(checked, 100);
}

TEST(LeafShuffle, SampledRowsOfLargeTreesMatchTheReference) {
  auto doc = LoadFixture(kVectors);
  ASSERT_NE(doc, nullptr);
  const auto key = Key16(Str(*doc, "shuffle_key"));
  for (const auto& case_ : (*doc)["sampled"].GetArray()) {
    const std::uint64_t n = case_["n"].GetUint64();
    const LeafPermutation permutation = LeafPermutation::Keyed(n, key);
    const auto& rows = case_["rows"];
    const auto& leaves = case_["leaves"];
    ASSERT_EQ(rows.Size(), leaves.Size());
    for (rapidjson::SizeType i = 0; i < rows.Size(); ++i) {
      EXPECT_EQ(permutation(rows[i].GetUint64()), leaves[i].GetUint64()) << "n " << n << " row " << rows[i].GetUint64();
    }
  }
}

// The CLI end to end: a shuffled build (the default) with the vector's nonce key gives the
// reference's root, and each account's exported proof sits at the reference's leaf.
TEST(LeafShuffle, TreeBuildPlacesAccountsAndHashesTheRootAsTheReference) {
  auto doc = LoadFixture(kVectors);
  ASSERT_NE(doc, nullptr);
  const JsonValue& example = (*doc)["worked_example"];
  testing::TempDir dir;
  auto built = testing::RunSegverify({"tree", "build", "--liabilities", testing::SourcePath(Str(example, "liabilities")),
                                      "--assets", Str(example, "assets"), "--nonce-key", Str(*doc, "nonce_key"),
                                      "--out", dir.File("tree"), "--quiet"});
  ASSERT_EQ(built.exit_code, 0) << built.err;
  auto root = ParseJson(testing::ReadFile(dir.File("tree/root.json")), "root.json");
  ASSERT_TRUE(root.ok()) << root.error().message;
  EXPECT_EQ(Str(**root, "hash"), Str(example, "root_hash"));
  EXPECT_EQ((**root)["height"].GetUint64(), example["height"].GetUint64());
  ASSERT_EQ((**root)["sums"].Size(), example["root_sums"].Size());
  for (rapidjson::SizeType i = 0; i < example["root_sums"].Size(); ++i) {
    EXPECT_STREQ((**root)["sums"][i].GetString(), example["root_sums"][i].GetString());
  }
  for (const auto& account : example["leaf_of_account"].GetObject()) {
    const std::string id = account.name.GetString();
    auto exported = testing::RunSegverify({"proof", "export", "--tree", dir.File("tree"), "--account", id});
    ASSERT_EQ(exported.exit_code, 0) << exported.err;
    auto proof = ParseJson(exported.out, "proof");
    ASSERT_TRUE(proof.ok()) << proof.error().message;
    EXPECT_EQ((**proof)["leaf_index"].GetUint64(), account.value.GetUint64()) << id;
  }
}

}  // namespace
}  // namespace segverify::merkle
