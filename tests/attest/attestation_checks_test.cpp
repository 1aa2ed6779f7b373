// Pins the attestation core (verifier/attest/attestation.h RunAttestationChecks) directly, without
// the `attest` or `recheck` fronts: a plan (config, each pool's liabilities root, pinned hashes)
// and the sources' transports in, a report out — PASS when the reserves cover the roots' sums,
// FAIL when they do not, ERROR when a pool has no root or the pinned block is another one. The
// node is the honest loopback node tests/support/faulty_eth_node.py, which credits the config's
// one address with 10^6 ETH at block 16.
#include "verifier/attest/attestation.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/u128.h"
#include "tests/support/faulty_eth_node.h"
#include "tests/support/test_support.h"

namespace segverify::attest {
namespace {

using testing::FaultyEthNode;
using testing::TempDir;

// 10^18 wei: one ETH.
u128 Eth(std::uint64_t whole) { return u128(whole) * u128(1000000000000000000ull); }

class AttestationChecks : public ::testing::Test {
 protected:
  void SetUp() override {
    auto config = LoadAttestationConfig(testing::WriteFaultConfig(dir_, node_.url()));
    ASSERT_TRUE(config.ok()) << config.error().message;
    plan_.config = std::move(*config);
    environment_.transports = clients::LiveTransports();
    environment_.checkpoint = [this](std::string_view point) { checkpoints_.emplace_back(point); };
  }

  // The pool's liabilities: a root whose ETH sum is `sum` (its hash is not checked here).
  void Liabilities(std::optional<u128> sum) {
    PoolLiabilities pool;
    if (sum) {
      merkle::PublishedRoot root;
      root.assets = plan_.config.AssetSpecs();
      root.height = 1;
      root.hash.fill(0x5a);
      root.sums = {*sum};
      pool.root = root;
      pool.accounts = 1;
    }
    plan_.liabilities = {pool};
  }

  static bool HasFinding(const report::Report& r, report::Check check) {
    for (const auto& f : r.findings) {
      if (f.check == check) return true;
    }
    return false;
  }

  FaultyEthNode node_{"none"};
  TempDir dir_;
  AttestationPlan plan_;
  CheckEnvironment environment_;
  std::vector<std::string> checkpoints_;
};

TEST_F(AttestationChecks, ReservesCoveringTheRootsSumsPass) {
  Liabilities(Eth(1));
  const report::Report r = RunAttestationChecks(plan_, environment_);
  EXPECT_EQ(r.verdict, report::Verdict::kPass) << (r.problems.empty() ? "" : r.problems[0].line);
  ASSERT_EQ(r.pools.size(), 1u);
  EXPECT_TRUE(r.pools[0].holds);
  ASSERT_EQ(r.pools[0].assets.size(), 1u);
  EXPECT_EQ(r.pools[0].assets[0].covered, true);
  ASSERT_EQ(r.chains.size(), 1u);
  EXPECT_TRUE(r.chains[0].block_hash.has_value());
  EXPECT_EQ(r.id, "faults-1");
  EXPECT_EQ(checkpoints_, std::vector<std::string>{"balances"});
}

TEST_F(AttestationChecks, ReservesBelowTheRootsSumsFail) {
  Liabilities(Eth(2000000));  // twice what the node holds
  const report::Report r = RunAttestationChecks(plan_, environment_);
  EXPECT_EQ(r.verdict, report::Verdict::kFail);
  ASSERT_EQ(r.pools.size(), 1u);
  EXPECT_FALSE(r.pools[0].holds);
  EXPECT_EQ(r.pools[0].assets[0].covered, false);
}

TEST_F(AttestationChecks, APoolWithoutARootCannotHold) {
  Liabilities(std::nullopt);
  Problem no_tree;
  no_tree.kind = ProblemKind::kInput;
  no_tree.subject = "spot";
  no_tree.detail = "the tree could not be built";
  no_tree.line = "pool spot: the tree could not be built";
  plan_.problems = {no_tree};
  const report::Report r = RunAttestationChecks(plan_, environment_);
  EXPECT_EQ(r.verdict, report::Verdict::kError);
  ASSERT_FALSE(r.problems.empty());
  EXPECT_EQ(r.problems[0], no_tree) << "the plan's problems come first";
  EXPECT_FALSE(r.pools[0].holds);
}

TEST_F(AttestationChecks, APinnedHashThatIsNotTheSourcesBlockIsNeverAPass) {
  Liabilities(Eth(1));
  plan_.pinned_hashes["ethereum"] = "0x" + std::string(64, 'e');
  const report::Report r = RunAttestationChecks(plan_, environment_);
  EXPECT_NE(r.verdict, report::Verdict::kPass);
  EXPECT_TRUE(HasFinding(r, report::Check::kBlockHash)) << "another block at the pinned height is named";
}

TEST_F(AttestationChecks, AnUnreachableSourceIsCouldNotCheck) {
  Liabilities(Eth(1));
  auto config = LoadAttestationConfig(testing::WriteFaultConfig(dir_, "http://127.0.0.1:9"));
  ASSERT_TRUE(config.ok()) << config.error().message;
  plan_.config = std::move(*config);
  const report::Report r = RunAttestationChecks(plan_, environment_);
  EXPECT_EQ(r.verdict, report::Verdict::kError);
  ASSERT_FALSE(r.problems.empty());
  EXPECT_EQ(r.problems[0].kind, ProblemKind::kUnreachable) << r.problems[0].line;
  EXPECT_EQ(r.pools[0].assets[0].covered, std::nullopt) << "unknown reserves are not a shortfall";
}

}  // namespace
}  // namespace segverify::attest
