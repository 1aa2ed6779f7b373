// Usage errors that say what was meant (docs/DESIGN.md "Command line"): an unknown command or option
// named with the nearest known one, a command group alone listing its commands, `segverify help
// [CMD]` (verifier/cli/usage_hints.h). Each case below was CLI11's bare message before ("A subcommand is required", "--out is
// required" for a typo of --out).
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/test_support.h"

namespace segverify::testing {
namespace {

bool Has(const CommandResult& run, const std::string& text) { return run.err.find(text) != std::string::npos; }

TEST(UsageHints, AnUnknownCommandIsNamedWithTheNearestOne) {
  const CommandResult run = RunSegverify({"atest"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_TRUE(Has(run, "segverify: usage error: unknown command 'atest'; did you mean 'attest'?")) << run.err;
  const CommandResult sub = RunSegverify({"proof", "verfy", "x.json"});
  EXPECT_EQ(sub.exit_code, 2);
  EXPECT_TRUE(Has(sub, "unknown command 'verfy' of 'proof'; did you mean 'verify'?")) << sub.err;
  EXPECT_TRUE(Has(RunSegverify({"pubilsh"}), "did you mean 'publish'?"));
  const CommandResult far = RunSegverify({"frobnicate"});
  EXPECT_TRUE(Has(far, "unknown command 'frobnicate' (commands: ")) << far.err;
}

TEST(UsageHints, AnUnknownOptionIsNamedWithTheNearestOne) {
  TempDir dir;
  WriteFile(dir.File("cfg.json"), "{}");
  const CommandResult run = RunSegverify({"attest", dir.File("cfg.json"), "--outt", dir.File("out")});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_TRUE(Has(run, "unknown option '--outt' for 'attest'; did you mean '--out'?")) << run.err;
  EXPECT_FALSE(std::filesystem::exists(dir.File("out")));
}

TEST(UsageHints, AGroupAloneListsItsCommands) {
  const CommandResult run = RunSegverify({"proof"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_TRUE(Has(run, "'proof' needs a command: ")) << run.err;
  EXPECT_TRUE(Has(run, "verify")) << run.err;
  EXPECT_TRUE(Has(run, "export")) << run.err;
  const CommandResult none = RunSegverify({});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_TRUE(Has(none, "a command is required: attest, ")) << none.err;
}

TEST(UsageHints, HelpCommandShowsTheCommandsHelp) {
  const CommandResult all = RunSegverify({"help"});
  EXPECT_EQ(all.exit_code, 0) << all.err;
  EXPECT_NE(all.out.find("recheck"), std::string::npos) << all.out;
  const CommandResult one = RunSegverify({"help", "publish"});
  EXPECT_EQ(one.exit_code, 0) << one.err;
  EXPECT_NE(one.out.find("--report"), std::string::npos) << one.out;
  EXPECT_EQ(one.out, RunSegverify({"publish", "--help"}).out);
}

}  // namespace
}  // namespace segverify::testing
