// Pins verifier/server/proof_request.* (the logic behind POST /api/verify-proof) directly: each
// outcome from a real proof (tree build + proof export through the CLI) and its edits, and the
// JSON answer for each.
#include "verifier/server/proof_request.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/hex.h"
#include "tests/server/server_harness.h"
#include "tests/support/test_support.h"

namespace segverify::server {
namespace {

class ProofRequest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    tree_ = new testing::TreeFixture(testing::BuildTree(dir_->path(), "spot", "22"));
  }
  static void TearDownTestSuite() {
    delete tree_;
    delete dir_;
  }
  static std::vector<Hash256> Published() {
    Hash256 root{};
    EXPECT_TRUE(FromHexExact(tree_->root_hash, root));
    return {Hash256{}, root};
  }
  static testing::TempDir* dir_;
  static testing::TreeFixture* tree_;
};
testing::TempDir* ProofRequest::dir_ = nullptr;
testing::TreeFixture* ProofRequest::tree_ = nullptr;

// A proof of a run that a new run of the same id replaced (docs/FORMAT.md §13): not valid, and
// told so with the date of the replacement.
TEST_F(ProofRequest, AProofOfAReplacedRunIsNotValidAndSaysSo) {
  report::ListedRoot replaced;
  replaced.report_id = "2026-11";
  replaced.pool = "spot";
  replaced.hash = tree_->root_hash;
  replaced.superseded_at = "2026-12-03T10:20:00Z";
  const ProofRequestAnswer answer = CheckProofRequest(tree_->alice_proof, {Hash256{}}, report::PublishedRoots{{}, {replaced}});
  EXPECT_EQ(answer.outcome, ProofRequestOutcome::kSuperseded);
  EXPECT_EQ(answer.error,
            "this proof belongs to a run of 2026-11 that was replaced on 3 December 2026, 10:20 UTC; ask for your "
            "proof of the current run");
}

TEST_F(ProofRequest, APublishedProofIsValid) {
  const ProofRequestAnswer answer = CheckProofRequest(tree_->alice_proof, Published());
  EXPECT_EQ(answer.outcome, ProofRequestOutcome::kValid) << answer.error;
  EXPECT_EQ(ProofAnswerToJson(answer), "{\"valid\":true}");
}

TEST_F(ProofRequest, AProofOfAnUnpublishedRootIsNotPublished) {
  const ProofRequestAnswer answer = CheckProofRequest(tree_->alice_proof, {Hash256{}});
  EXPECT_EQ(answer.outcome, ProofRequestOutcome::kNotPublished);
  EXPECT_FALSE(answer.error.empty());
}

TEST_F(ProofRequest, AnAlteredProofIsInvalid) {
  std::string altered = tree_->alice_proof;
  const std::size_t at = altered.find("\"0.5\"");
  ASSERT_NE(at, std::string::npos) << altered;
  altered.replace(at, 5, "\"0.6\"");
  const ProofRequestAnswer answer = CheckProofRequest(altered, Published());
  EXPECT_EQ(answer.outcome, ProofRequestOutcome::kInvalid);
  const std::string json = ProofAnswerToJson(answer);
  EXPECT_EQ(json.rfind("{\"valid\":false,\"error\":\"", 0), 0u) << json;
}

TEST_F(ProofRequest, NotJsonAndNotAProofAreToldApart) {
  EXPECT_EQ(CheckProofRequest("{\"format\":", Published()).outcome, ProofRequestOutcome::kNotJson);
  EXPECT_EQ(CheckProofRequest(std::string(100000, '['), Published()).outcome, ProofRequestOutcome::kNotJson);
  EXPECT_EQ(CheckProofRequest("{\"a\":1,\"a\":2}", Published()).outcome, ProofRequestOutcome::kNotJson);
  EXPECT_EQ(CheckProofRequest("{}", Published()).outcome, ProofRequestOutcome::kNotAProof);
  EXPECT_EQ(CheckProofRequest("[1,2,3]", Published()).outcome, ProofRequestOutcome::kNotAProof);
}

}  // namespace
}  // namespace segverify::server
