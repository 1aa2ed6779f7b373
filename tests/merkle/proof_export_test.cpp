// Pins merkle/proof_export.* directly (tests/cli/proof_export_cli_test.cpp runs it through the
// CLI): the file name of each account's proof (docs/FORMAT.md §6: the hex SHA-256 of the id, in
// 256 folders), and the three destinations giving the same proofs, one per account, each valid
// against the tree's root; a directory that holds something else is never replaced.
#include "merkle/proof_export.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/hex.h"
#include "common/sha256.h"
#include "merkle/inclusion_proof.h"
#include "merkle/tree_store.h"
#include "tests/support/test_support.h"

namespace segverify::merkle {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

ProofExportOptions TwoThreads() {
  ProofExportOptions options;
  options.threads = 2;
  return options;
}

ProofExportOptions Replacing() {
  ProofExportOptions options;
  options.replace = true;
  return options;
}

const std::vector<std::string> kAccounts = {"alice", "bob", "carol", "dave, jr.", "\xc3\xa9mile"};

class ProofExport : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string csv = "account_id,BTC\n";
    for (std::size_t i = 0; i < kAccounts.size(); ++i) {
      const std::string& id = kAccounts[i];
      csv += (id.find(',') != std::string::npos ? "\"" + id + "\"" : id) + "," + std::to_string(i + 1) + "\n";
    }
    testing::WriteFile(dir_.File("l.csv"), csv);
    auto built = testing::RunSegverify({"tree", "build", "--liabilities", dir_.File("l.csv"), "--assets", "BTC:8",
                                        "--out", dir_.File("tree"), "--quiet", "--nonce-key", std::string(64, '7')});
    ASSERT_EQ(built.exit_code, 0) << built.err;
    auto tree = TreeStore::Open(dir_.File("tree"));
    ASSERT_TRUE(tree.ok()) << tree.error().message;
    tree_ = std::make_unique<TreeStore>(std::move(*tree));
  }

  // Every line parses, verifies against the tree's root, and the accounts are exactly kAccounts.
  void ExpectAllProofs(const std::vector<std::string>& documents) {
    std::set<std::string> seen;
    for (const std::string& text : documents) {
      auto proof = ParseInclusionProof(text, "proof");
      ASSERT_TRUE(proof.ok()) << proof.error().message;
      const ProofCheck check = VerifyInclusionProof(*proof, ExpectedRoot{tree_->root(), std::nullopt});
      EXPECT_EQ(check.verdict, ProofVerdict::kValid) << check.reason;
      seen.insert(proof->account_id);
    }
    EXPECT_EQ(seen, std::set<std::string>(kAccounts.begin(), kAccounts.end()));
  }

  static std::vector<std::string> Lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

  TempDir dir_;
  std::unique_ptr<TreeStore> tree_;
};

TEST(ProofFileName, IsTheHexSha256OfTheIdUnderItsFirstTwoDigits) {
  // SHA-256("alice"), computed with `printf alice | sha256sum`.
  const std::string alice = "2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db186d6e90";
  EXPECT_EQ(ProofFileName("alice"), alice.substr(0, 2) + "/" + alice + ".json");
  const std::string id = "\xc3\xa9mile/../x";
  const std::string hex = ToHex(Sha256(id));
  EXPECT_EQ(ProofFileName(id), hex.substr(0, 2) + "/" + hex + ".json") << "an id is never part of a path";
}

TEST_F(ProofExport, AFileHoldsOneValidProofPerAccountInLeafOrder) {
  ASSERT_TRUE(ExportProofsToFile(*tree_, dir_.File("all.jsonl"), {}).ok());
  const auto lines = Lines(testing::ReadFile(dir_.File("all.jsonl")));
  ASSERT_EQ(lines.size(), kAccounts.size());
  ExpectAllProofs(lines);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto proof = ParseInclusionProof(lines[i], "proof");
    ASSERT_TRUE(proof.ok());
    EXPECT_EQ(proof->leaf_index, i) << "leaf order";
  }
  EXPECT_TRUE(testing::StagingDirsIn(dir_.path()).empty());
}

TEST_F(ProofExport, TheStreamGetsTheSameLinesAsTheFile) {
  ASSERT_TRUE(ExportProofsToFile(*tree_, dir_.File("all.jsonl"), {}).ok());
  std::string streamed;
  ASSERT_TRUE(ExportProofsToStream(
                  *tree_,
                  [&](std::string_view chunk) {
                    streamed.append(chunk);
                    return Status::Ok();
                  },
                  TwoThreads())
                  .ok());
  EXPECT_EQ(streamed, testing::ReadFile(dir_.File("all.jsonl")));
}

TEST_F(ProofExport, AFailingStreamIsAnError) {
  const Status failed =
      ExportProofsToStream(*tree_, [](std::string_view) { return Status(Error{"disk full"}); }, {});
  EXPECT_FALSE(failed.ok());
}

TEST_F(ProofExport, ADirectoryHoldsEachProofUnderItsFileName) {
  ASSERT_TRUE(ExportProofsToDirectory(*tree_, dir_.File("proofs"), {}).ok());
  std::vector<std::string> documents;
  for (const std::string& id : kAccounts) {
    const std::string path = dir_.File("proofs/" + ProofFileName(id));
    ASSERT_TRUE(testing::FileExists(path)) << id;
    documents.push_back(testing::ReadFile(path));
    auto proof = ParseInclusionProof(documents.back(), path);
    ASSERT_TRUE(proof.ok()) << proof.error().message;
    EXPECT_EQ(proof->account_id, id);
  }
  ExpectAllProofs(documents);
  EXPECT_TRUE(testing::StagingDirsIn(dir_.path()).empty());
}

TEST_F(ProofExport, ADirectoryIsReplacedOnlyWhenAskedAndOnlyIfItIsAnExport) {
  ASSERT_TRUE(ExportProofsToDirectory(*tree_, dir_.File("proofs"), {}).ok());
  EXPECT_FALSE(ExportProofsToDirectory(*tree_, dir_.File("proofs"), {}).ok()) << "an earlier export without replace";
  EXPECT_TRUE(ExportProofsToDirectory(*tree_, dir_.File("proofs"), Replacing()).ok());
  fs::create_directories(dir_.File("other"));
  testing::WriteFile(dir_.File("other/keep.txt"), "not an export");
  EXPECT_FALSE(ExportProofsToDirectory(*tree_, dir_.File("other"), Replacing()).ok());
  EXPECT_EQ(testing::ReadFile(dir_.File("other/keep.txt")), "not an export");
}

}  // namespace
}  // namespace segverify::merkle
