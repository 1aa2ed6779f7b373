// The test hooks (common/test_hook.h) are not in the shipped binary: `segverify` ignores
// SEGVERIFY_TEST_PAUSE_AT and SEGVERIFY_TEST_CRASH_AT, while the test build
// (segverify-with-test-hooks) obeys them — which shows the variables are the right ones.
#include <gtest/gtest.h>

#include <csignal>
#include <string>
#include <vector>

#include "tests/support/faulty_eth_node.h"
#include "tests/support/segverify_process.h"
#include "tests/support/test_support.h"

namespace segverify::testing {
namespace {

const std::string kKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

std::vector<std::string> TreeBuild(const TempDir& dir, const std::string& out) {
  return {"tree",        "build", "--liabilities", SourcePath("fixtures/worked-example/liabilities.csv"),
          "--assets",    "BTC:8,ETH:18", "--nonce-key", kKey, "--out", dir.File(out), "--quiet"};
}

TEST(TestHooks, TheShippedBinaryIgnoresThePauseVariable) {
  TempDir dir;
  ProcessOptions options;
  options.env = {"SEGVERIFY_TEST_PAUSE_AT=tree-build-leaves-hashed"};
  const ProcessResult run = RunSegverifyProcess(TreeBuild(dir, "tree"), dir, options, std::chrono::seconds(60));
  EXPECT_FALSE(run.timed_out) << run.err;
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err.find("test pause"), std::string::npos) << run.err;
  EXPECT_TRUE(FileExists(dir.File("tree/root.json")));
}

// The same attestation (one honest loopback node) under SEGVERIFY_TEST_CRASH_AT=staged: the shipped
// binary reaches its verdict, the test build is killed at the point.
TEST(TestHooks, TheShippedBinaryIgnoresTheCrashVariable) {
  FaultyEthNode node("none");
  TempDir dir;
  const std::string config = WriteFaultConfig(dir, node.url());
  const std::vector<std::string> args = {"attest", config, "--out", dir.File("out"), "--quiet"};
  ProcessOptions shipped;
  shipped.env = {"SEGVERIFY_TEST_CRASH_AT=staged:KILL"};
  const ProcessResult run = RunSegverifyProcess(args, dir, shipped);
  EXPECT_EQ(run.signal, 0) << run.err;
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const ProcessResult crashed = RunSegverifyProcess(args, dir, CrashedAt("staged", "KILL"));
  EXPECT_EQ(crashed.signal, SIGKILL) << crashed.err;
}

TEST(TestHooks, TheTestBuildPausesWhereTold) {
  TempDir dir;
  SegverifyProcess run(TreeBuild(dir, "tree"), dir, PausedAt("tree-build-leaves-hashed"));
  ASSERT_TRUE(run.WaitForPause("tree-build-leaves-hashed")) << run.ErrSoFar();
  run.Signal(SIGKILL);
  EXPECT_EQ(run.Wait().signal, SIGKILL);
}

}  // namespace
}  // namespace segverify::testing
