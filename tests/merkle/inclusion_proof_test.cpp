// Pins merkle/inclusion_proof.* and merkle/published_root.*: JSON round trips, malformed proofs
// refused with the field named, and every tampering of a well-formed proof detected.
#include "merkle/inclusion_proof.h"

#include <functional>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "common/hex.h"
#include "common/json.h"
#include "merkle/tree_builder.h"
#include "merkle/tree_store.h"
#include "tests/support/test_support.h"

namespace segverify::merkle {
namespace {

using segverify::testing::TempDir;
using segverify::testing::WriteFile;

class ProofFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string csv = "account_id,BTC,ETH\n";
    for (int i = 0; i < 5; ++i) csv += "user" + std::to_string(i) + "," + std::to_string(i + 1) + ".5," + std::to_string(i) + "\n";
    WriteFile(dir_.File("l.csv"), csv);
    TreeBuildOptions options;
    options.liabilities_path = dir_.File("l.csv");
    options.assets = {{"BTC", 8}, {"ETH", 18}};
    options.out_dir = dir_.File("tree");
    options.pool = "spot";
    auto built = BuildTree(options);
    ASSERT_TRUE(built.ok()) << built.error().message;
    root_ = built->root;
    auto store = TreeStore::Open(dir_.File("tree"));
    ASSERT_TRUE(store.ok());
    auto proof = store->ExportProof(*store->FindAccount("user3"));
    ASSERT_TRUE(proof.ok());
    proof_ = *proof;
    json_ = InclusionProofToJson(proof_);
  }

  // Applies `edit` to the proof's JSON and parses the result.
  Result<InclusionProof> Edited(const std::function<void(rapidjson::Document&)>& edit) {
    rapidjson::Document doc;
    doc.Parse(json_.c_str());
    edit(doc);
    return ParseInclusionProof(JsonToString(doc), "proof.json");
  }

  ProofVerdict VerdictOf(const InclusionProof& proof) {
    ExpectedRoot expected;
    expected.root = root_;
    return VerifyInclusionProof(proof, expected).verdict;
  }

  TempDir dir_;
  PublishedRoot root_;
  InclusionProof proof_;
  std::string json_;
};

TEST_F(ProofFixture, RoundTripsAndVerifies) {
  auto parsed = ParseInclusionProof(json_, "proof.json");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(InclusionProofToJson(*parsed), json_);
  EXPECT_EQ(VerdictOf(*parsed), ProofVerdict::kValid);
  EXPECT_EQ(parsed->pool, "spot");
  EXPECT_EQ(parsed->path.size(), 3u);
}

TEST_F(ProofFixture, PublishedRootRoundTrips) {
  const std::string text = PublishedRootToJson(root_);
  auto parsed = ParsePublishedRoot(text, "root.json");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_TRUE(*parsed == root_);
}

// Each tampering keeps the proof well-formed; each must make it invalid (exit 1 at the CLI).
TEST_F(ProofFixture, EveryTamperingIsDetected) {
  using Doc = rapidjson::Document;
  auto set_string = [](rapidjson::Value& v, const char* s, Doc& d) { v.SetString(s, d.GetAllocator()); };
  const std::vector<std::pair<std::string, std::function<void(Doc&)>>> tamperings = {
      {"balance", [&](Doc& d) { set_string(d["balances"][0], "4.6", d); }},
      {"second balance", [&](Doc& d) { set_string(d["balances"][1], "3.000000000000000001", d); }},
      {"account id", [&](Doc& d) { set_string(d["account_id"], "user4", d); }},
      {"nonce", [&](Doc& d) {
         std::string n = d["nonce"].GetString();
         n[0] = n[0] == '0' ? '1' : '0';
         d["nonce"].SetString(n.c_str(), d.GetAllocator());
       }},
      {"leaf index", [&](Doc& d) { d["leaf_index"].SetUint64(d["leaf_index"].GetUint64() ^ 1u); }},
      {"path hash", [&](Doc& d) {
         std::string h = d["path"][1]["hash"].GetString();
         h[63] = h[63] == 'a' ? 'b' : 'a';
         d["path"][1]["hash"].SetString(h.c_str(), d.GetAllocator());
       }},
      {"path sum", [&](Doc& d) {
         // Always a change: the sibling may be padding (sum 0).
         const std::string old = d["path"][0]["sums"][0].GetString();
         set_string(d["path"][0]["sums"][0], old == "0" ? "0.00000001" : "0", d);
       }},
      {"root hash", [&](Doc& d) {
         std::string h = d["root"]["hash"].GetString();
         h[0] = h[0] == 'f' ? 'e' : 'f';
         d["root"]["hash"].SetString(h.c_str(), d.GetAllocator());
       }},
      {"root sum", [&](Doc& d) { set_string(d["root"]["sums"][1], "1", d); }},
      {"asset decimals", [&](Doc& d) { d["assets"][0]["decimals"].SetInt(9); }},
      {"asset symbol", [&](Doc& d) { set_string(d["assets"][0]["symbol"], "XBT", d); }},
  };
  for (const auto& [name, edit] : tamperings) {
    SCOPED_TRACE(name);
    auto proof = Edited(edit);
    ASSERT_TRUE(proof.ok()) << proof.error().message;
    EXPECT_NE(VerdictOf(*proof), ProofVerdict::kValid);
  }
}

TEST_F(ProofFixture, NegativeChildCannotHideInSums) {
  // A sibling with a huge sum that wraps the total to the honest value is an overflow, not valid.
  auto proof = Edited([](rapidjson::Document& d) {
    d["path"][0]["sums"][0].SetString("3402823669209384634633746074317.68211455", d.GetAllocator());
  });
  ASSERT_TRUE(proof.ok()) << proof.error().message;
  EXPECT_EQ(VerifyInclusionProof(*proof, {}).verdict, ProofVerdict::kSumOverflow);
}

TEST_F(ProofFixture, ChecksAgainstPublishedHashOnly) {
  ExpectedRoot by_hash;
  by_hash.hash = root_.hash;
  EXPECT_EQ(VerifyInclusionProof(proof_, by_hash).verdict, ProofVerdict::kValid);
  Hash256 other = root_.hash;
  other[5] ^= 0x40;
  by_hash.hash = other;
  EXPECT_EQ(VerifyInclusionProof(proof_, by_hash).verdict, ProofVerdict::kNotExpectedRoot);
}

// The verifier keeps its own invariants, whoever built the value (not only the JSON parser): a
// hand-built proof that breaks one is never valid, even when what remains would recompute.
TEST_F(ProofFixture, HandBuiltProofsBreakingInvariantsAreNeverValid) {
  ASSERT_EQ(VerdictOf(proof_), ProofVerdict::kValid);
  const std::pair<const char*, std::function<void(InclusionProof&)>> edits[] = {
      {"empty path, height kept", [](InclusionProof& p) { p.path.clear(); }},
      {"path longer than height", [](InclusionProof& p) { p.path.push_back(p.path.back()); }},
      {"leaf index beyond the tree", [](InclusionProof& p) { p.leaf_index += std::uint64_t{1} << p.root.height; }},
      {"one balance missing", [](InclusionProof& p) { p.balances.pop_back(); }},
      {"no assets", [](InclusionProof& p) {
         p.assets.clear();
         p.balances.clear();
         p.root.assets.clear();
         p.root.sums.clear();
       }},
      {"a node without sums", [](InclusionProof& p) { p.path[0].sums.clear(); }},
      {"height zero, no path", [](InclusionProof& p) {
         p.root.height = 0;
         p.path.clear();
       }},
  };
  for (const auto& [what, edit] : edits) {
    InclusionProof proof = proof_;
    edit(proof);
    const ProofCheck check = VerifyInclusionProof(proof, ExpectedRoot{});
    EXPECT_EQ(check.verdict, ProofVerdict::kMalformed) << what << ": " << check.reason;
  }
  EXPECT_EQ(ProofCheck{}.verdict, ProofVerdict::kMalformed) << "a default check result is not valid";
}

TEST_F(ProofFixture, MalformedProofsNameTheField) {
  using Doc = rapidjson::Document;
  const std::vector<std::tuple<std::string, std::function<void(Doc&)>, std::string>> cases = {
      {"format", [](Doc& d) { d["format"].SetString("segverify-proof/2"); }, "format: unsupported format"},
      {"short nonce", [](Doc& d) { d["nonce"].SetString("abcd"); }, "nonce: expected 64 hex characters"},
      {"non-hex hash", [](Doc& d) { d["root"]["hash"].SetString("zz"); }, "root.hash: expected 64 hex"},
      {"path length", [](Doc& d) { d["path"].PopBack(); }, "path: path has 2 entries, root height is 3"},
      {"leaf index range", [](Doc& d) { d["leaf_index"].SetUint64(8); }, "leaf_index: leaf index 8 out of range"},
      {"height", [](Doc& d) { d["root"]["height"].SetUint(300); }, "root.height: height must be 1..48"},
      {"balance count", [](Doc& d) { d["balances"].PopBack(); }, "balances: expected 2 amounts"},
      {"amount decimals", [](Doc& d) { d["balances"][0].SetString("0.000000001"); }, "balances[0]: too many decimals"},
      {"amount as number", [](Doc& d) { d["balances"][0].SetInt(4); }, "balances[0]: expected an amount string"},
      {"index as string", [](Doc& d) { d["leaf_index"].SetString("3"); }, "leaf_index: expected a non-negative integer"},
      {"negative index", [](Doc& d) { d["leaf_index"].SetInt(-1); }, "leaf_index: expected a non-negative integer"},
      {"unknown field", [](Doc& d) { d.AddMember("extra", 1, d.GetAllocator()); }, "extra: unknown field"},
      {"missing field", [](Doc& d) { d.RemoveMember("pool"); }, "pool: missing"},
      {"empty id", [](Doc& d) { d["account_id"].SetString(""); }, "account_id: empty account id"},
      {"no assets", [](Doc& d) { d["assets"].Clear(); }, "assets: must list at least one asset"},
      {"duplicate asset", [](Doc& d) { d["assets"][1]["symbol"].SetString("BTC"); }, "duplicate asset BTC"},
  };
  for (const auto& [name, edit, expected] : cases) {
    SCOPED_TRACE(name);
    auto proof = Edited(edit);
    ASSERT_FALSE(proof.ok());
    EXPECT_NE(proof.error().message.find(expected), std::string::npos) << proof.error().message;
    EXPECT_EQ(proof.error().message.rfind("proof.json: ", 0), 0u) << proof.error().message;
  }
  EXPECT_FALSE(ParseInclusionProof("[]", "p").ok());
  EXPECT_FALSE(ParseInclusionProof("{", "p").ok());
  EXPECT_FALSE(ParseInclusionProof(std::string(200000, '[') , "p").ok());
}

}  // namespace
}  // namespace segverify::merkle
