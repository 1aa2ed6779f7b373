// Pins merkle/tree_builder.*, merkle/tree_store.* and merkle/tree_hash.*: roots for n = 1, 2, 3, 5,
// 1000 against a minimal reference written here from DESIGN.md with plain SHA-256/HMAC calls (the
// full independent cross-check is tests/reftree/, in Python); every exported proof verifies;
// bucketed (external) and in-memory builds agree; duplicates are found; failures leave no output.
#include <filesystem>
#include <random>

#include <gtest/gtest.h>

#include "common/hex.h"
#include "common/sha256.h"
#include "merkle/amount.h"
#include "merkle/inclusion_proof.h"
#include "merkle/tree_builder.h"
#include "merkle/tree_store.h"
#include "tests/support/test_support.h"

namespace segverify::merkle {
namespace {

using segverify::testing::TempDir;
using segverify::testing::WriteFile;

struct Account {
  std::string id;
  std::vector<u128> amounts;
};

std::array<std::uint8_t, 32> TestKey() {
  std::array<std::uint8_t, 32> key;
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i);
  return key;
}

// ---- Reference: DESIGN.md "Tree", directly. ----
Bytes Be16(u128 v) {
  Bytes out(16);
  U128ToBigEndian(v, out.data());
  return out;
}

struct RefNode {
  Hash256 hash;
  std::vector<u128> sums;
};

RefNode RefParent(const RefNode& l, const RefNode& r) {
  Bytes msg{0x01};
  msg.insert(msg.end(), l.hash.begin(), l.hash.end());
  for (u128 s : l.sums) { Bytes b = Be16(s); msg.insert(msg.end(), b.begin(), b.end()); }
  msg.insert(msg.end(), r.hash.begin(), r.hash.end());
  for (u128 s : r.sums) { Bytes b = Be16(s); msg.insert(msg.end(), b.begin(), b.end()); }
  RefNode out{Sha256(msg), {}};
  for (std::size_t i = 0; i < l.sums.size(); ++i) out.sums.push_back(l.sums[i] + r.sums[i]);
  return out;
}

RefNode RefRoot(const std::vector<Account>& accounts, std::size_t k) {
  HmacSha256 hmac(TestKey());
  std::size_t width = 2;
  while (width < accounts.size()) width *= 2;
  std::vector<RefNode> level;
  for (std::size_t i = 0; i < width; ++i) {
    Bytes commitment(32, 0);
    std::vector<u128> amounts(k, 0);
    if (i < accounts.size()) {
      const Hash256 nonce = hmac.Mac(accounts[i].id);
      Bytes c(nonce.begin(), nonce.end());
      c.insert(c.end(), accounts[i].id.begin(), accounts[i].id.end());
      const Hash256 ch = Sha256(c);
      commitment.assign(ch.begin(), ch.end());
      amounts = accounts[i].amounts;
    }
    Bytes msg{0x00};
    msg.insert(msg.end(), commitment.begin(), commitment.end());
    for (u128 a : amounts) { Bytes b = Be16(a); msg.insert(msg.end(), b.begin(), b.end()); }
    level.push_back({Sha256(msg), amounts});
  }
  while (level.size() > 1) {
    std::vector<RefNode> up;
    for (std::size_t i = 0; i < level.size(); i += 2) up.push_back(RefParent(level[i], level[i + 1]));
    level = std::move(up);
  }
  return level[0];
}

// ---- Helpers ----
const std::vector<AssetSpec> kAssets = {{"BTC", 8}, {"ETH", 18}};

std::vector<Account> RandomAccounts(std::size_t n, std::uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Account> out;
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back({"acct-" + std::to_string(i) + (i % 7 == 0 ? ",x" : ""),
                   {static_cast<u128>(rng() % 100000000000ULL), static_cast<u128>(rng()) * 1000u}});
  }
  return out;
}

std::string CsvFor(const std::vector<Account>& accounts) {
  std::string csv = "account_id,BTC,ETH\n";
  for (const Account& a : accounts) {
    const bool quote = a.id.find_first_of(",\"\n") != std::string::npos;
    csv += quote ? "\"" + a.id + "\"" : a.id;
    csv += "," + FormatAmount(a.amounts[0], 8) + "," + FormatAmount(a.amounts[1], 18) + "\n";
  }
  return csv;
}

Result<TreeBuildResult> Build(const TempDir& dir, const std::string& csv, bool shuffle = false,
                              std::size_t bucket_bytes = std::size_t{256} << 20, unsigned threads = 2) {
  WriteFile(dir.File("l.csv"), csv);
  TreeBuildOptions options;
  options.liabilities_path = dir.File("l.csv");
  options.assets = kAssets;
  options.out_dir = dir.File("tree");
  options.pool = "spot";
  options.nonce_key = TestKey();
  options.shuffle = shuffle;
  options.bucket_bytes = bucket_bytes;
  options.threads = threads;
  return BuildTree(options);
}

TEST(SumTree, KnownAnswerThreeAccounts) {
  // Root computed independently with Python's hashlib/hmac from DESIGN.md (the same inputs as
  // fixtures/worked-example/ uses: key = bytes 0x00..0x1f, accounts in input order).
  TempDir dir;
  auto built = Build(dir,
                     "account_id,BTC,ETH\nalice,0.5,1\nbob,1.25,\n\"carol, the \"\"third\"\"\",0.00000001,"
                     "2.000000000000000001\n");
  ASSERT_TRUE(built.ok()) << built.error().message;
  EXPECT_EQ(ToHex(built->root.hash), "9c70bda3d7c73e93a3a4f976b7866d36f4e4d850c1246d0570731eedb549d2e5");
  EXPECT_EQ(built->root.height, 2u);
}

class SumTreeSizes : public ::testing::TestWithParam<std::size_t> {};

TEST_P(SumTreeSizes, MatchesReferenceAndEveryProofVerifies) {
  const std::size_t n = GetParam();
  const auto accounts = RandomAccounts(n, static_cast<std::uint32_t>(n));
  TempDir dir;
  auto built = Build(dir, CsvFor(accounts));
  ASSERT_TRUE(built.ok()) << built.error().message;
  const RefNode ref = RefRoot(accounts, 2);
  EXPECT_EQ(ToHex(built->root.hash), ToHex(ref.hash));
  EXPECT_TRUE(built->root.sums == ref.sums);
  unsigned expected_height = 1;
  while ((std::size_t{1} << expected_height) < n) ++expected_height;
  EXPECT_EQ(built->root.height, expected_height);

  auto store = TreeStore::Open(dir.File("tree"));
  ASSERT_TRUE(store.ok()) << store.error().message;
  for (std::size_t i = 0; i < n; ++i) {
    const auto position = store->FindAccount(accounts[i].id);
    ASSERT_TRUE(position.has_value()) << accounts[i].id;
    EXPECT_EQ(*position, i);  // --no-shuffle: input order
    auto proof = store->ExportProof(*position);
    ASSERT_TRUE(proof.ok());
    EXPECT_TRUE(proof->balances == accounts[i].amounts);
    ExpectedRoot expected;
    expected.root = built->root;
    EXPECT_EQ(VerifyInclusionProof(*proof, expected).verdict, ProofVerdict::kValid) << accounts[i].id;
  }
  EXPECT_FALSE(store->FindAccount("no-such-account").has_value());
}

INSTANTIATE_TEST_SUITE_P(Sizes, SumTreeSizes, ::testing::Values(1, 2, 3, 5, 1000));

TEST(SumTree, BucketedBuildEqualsInMemoryBuild) {
  // Tiny buckets force the external path: many position buckets and index buckets.
  const auto accounts = RandomAccounts(3000, 7);
  TempDir a, b;
  auto in_memory = Build(a, CsvFor(accounts), /*shuffle=*/true);
  auto bucketed = Build(b, CsvFor(accounts), /*shuffle=*/true, /*bucket_bytes=*/4096, /*threads=*/1);
  ASSERT_TRUE(in_memory.ok() && bucketed.ok());
  EXPECT_EQ(ToHex(in_memory->root.hash), ToHex(bucketed->root.hash));
  auto store = TreeStore::Open(b.File("tree"));
  ASSERT_TRUE(store.ok());
  for (std::size_t i = 0; i < accounts.size(); i += 97) {
    const auto position = store->FindAccount(accounts[i].id);
    ASSERT_TRUE(position.has_value());
    auto proof = store->ExportProof(*position);
    ASSERT_TRUE(proof.ok());
    EXPECT_EQ(VerifyInclusionProof(*proof, {}).verdict, ProofVerdict::kValid);
  }
}

TEST(SumTree, ShuffleIsKeyedReproducibleAndAPermutation) {
  const auto accounts = RandomAccounts(50, 3);
  TempDir a, b, c;
  auto first = Build(a, CsvFor(accounts), true);
  auto again = Build(b, CsvFor(accounts), true);
  auto ordered = Build(c, CsvFor(accounts), false);
  ASSERT_TRUE(first.ok() && again.ok() && ordered.ok());
  EXPECT_EQ(ToHex(first->root.hash), ToHex(again->root.hash));     // same key, same tree
  EXPECT_NE(ToHex(first->root.hash), ToHex(ordered->root.hash));   // order changed
  EXPECT_TRUE(first->root.sums == ordered->root.sums);
  auto store = TreeStore::Open(a.File("tree"));
  ASSERT_TRUE(store.ok());
  std::vector<bool> used(64, false);
  std::size_t moved = 0;
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    const auto p = store->FindAccount(accounts[i].id);
    ASSERT_TRUE(p.has_value());
    ASSERT_LT(*p, accounts.size());
    EXPECT_FALSE(used[*p]);
    used[*p] = true;
    if (*p != i) ++moved;
  }
  EXPECT_GT(moved, 40u);
}

TEST(SumTree, DuplicateAccountIdNamesBothLines) {
  for (std::size_t bucket_bytes : {std::size_t{256} << 20, std::size_t{64}}) {
    TempDir dir;
    auto built = Build(dir, "account_id,BTC,ETH\nalice,1,1\nbob,1,1\ncarol,1,1\nbob,2,2\n", true, bucket_bytes);
    ASSERT_FALSE(built.ok());
    EXPECT_NE(built.error().message.find("l.csv:5:1: duplicate account id \"bob\" (first on line 3)"), std::string::npos)
        << built.error().message;
    EXPECT_FALSE(segverify::testing::FileExists(dir.File("tree/root.json")));
  }
}

TEST(SumTree, FailedBuildLeavesNothingBehind) {
  TempDir dir;
  auto built = Build(dir, "account_id,BTC,ETH\nalice,1,1\nbob,-1,1\n");
  ASSERT_FALSE(built.ok());
  EXPECT_NE(built.error().message.find(":3:5: BTC: negative amount"), std::string::npos) << built.error().message;
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.File("tree"))) ++entries;
  EXPECT_EQ(entries, 0u);
}

TEST(SumTree, RandomNoncesWithoutKeyDifferEachBuild) {
  TempDir a, b;
  for (const TempDir* dir : {&a, &b}) WriteFile(dir->File("l.csv"), "account_id,BTC\nalice,1\n");
  TreeBuildOptions options;
  options.assets = {{"BTC", 8}};
  options.liabilities_path = a.File("l.csv");
  options.out_dir = a.File("tree");
  auto first = BuildTree(options);
  options.liabilities_path = b.File("l.csv");
  options.out_dir = b.File("tree");
  auto second = BuildTree(options);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(ToHex(first->root.hash), ToHex(second->root.hash));
}

TEST(TreeStore, RejectsCorruptTreeFile) {
  TempDir dir;
  ASSERT_TRUE(Build(dir, CsvFor(RandomAccounts(5, 1))).ok());
  std::string tree = segverify::testing::ReadFile(dir.File("tree/tree.bin"));
  tree[tree.size() - 1] ^= 1;  // the root node's last sum byte
  WriteFile(dir.File("tree/tree.bin"), tree);
  auto store = TreeStore::Open(dir.File("tree"));
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("does not match root.json"), std::string::npos);
}

}  // namespace
}  // namespace segverify::merkle
