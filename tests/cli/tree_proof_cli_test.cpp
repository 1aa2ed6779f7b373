// End-to-end: `segverify tree build`, `proof export`, `proof verify` run as a user would, checking
// exit codes (0 holds, 1 does not hold, 2 cannot check) and output.
#include <gtest/gtest.h>

#include "tests/support/test_support.h"

namespace segverify::testing {
namespace {

const std::string kKey = "7f3a5c9e1b2d4f6081a3c5e7092b4d6f8a1c3e5f7092b4d6f8a1c3e5f7092b4d";

class TreeCli : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = RunSegverify({"tree", "build", "--liabilities", SourcePath("fixtures/liabilities/spot.csv"), "--assets",
                           "BTC:8,ETH:18,USDT:6", "--out", dir_.File("tree"), "--pool", "spot", "--nonce-key", kKey});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    build_out_ = r.out;
    build_err_ = r.err;
    auto e = RunSegverify({"proof", "export", "--tree", dir_.File("tree"), "--account", "erin, jr.", "--out",
                           dir_.File("erin.json")});
    ASSERT_EQ(e.exit_code, 0) << e.err;
  }
  TempDir dir_;
  std::string build_out_, build_err_;
};

TEST_F(TreeCli, BuildPrintsRootAndSums) {
  EXPECT_NE(build_out_.find("root "), std::string::npos);
  EXPECT_NE(build_out_.find("10 accounts, height 4"), std::string::npos) << build_out_;
  // Column totals of fixtures/liabilities/spot.csv, from Python decimal.Decimal sums of the CSV.
  EXPECT_NE(build_out_.find("sum BTC 18.08012"), std::string::npos) << build_out_;
  EXPECT_NE(build_out_.find("sum ETH 17.950000000000000001"), std::string::npos);
  EXPECT_NE(build_out_.find("sum USDT 102811.613456"), std::string::npos);
  EXPECT_TRUE(FileExists(dir_.File("tree/root.json")));
}

TEST_F(TreeCli, NonceKeyNeverAppearsInOutput) {
  for (const char* file : {"tree/root.json", "tree/tree.json", "tree/accounts.dat", "erin.json"}) {
    EXPECT_EQ(ReadFile(dir_.File(file)).find(kKey), std::string::npos) << file;
  }
  EXPECT_EQ(build_out_.find(kKey), std::string::npos);
  EXPECT_EQ(build_err_.find(kKey), std::string::npos);
  auto bad = RunSegverify({"tree", "build", "--liabilities", SourcePath("fixtures/liabilities/spot.csv"), "--assets",
                           "BTC:8,ETH:18,USDT:6", "--out", dir_.File("t2"), "--nonce-key", kKey + "00"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err.find(kKey), std::string::npos) << bad.err;
}

TEST_F(TreeCli, ExportedProofVerifiesAgainstRootFileAndHash) {
  auto v = RunSegverify({"proof", "verify", dir_.File("erin.json"), "--root", dir_.File("tree/root.json")});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_EQ(v.out.rfind("valid: account erin, jr. (BTC 0.75, ETH 1.5, USDT 42.123456)", 0), 0u) << v.out;

  const std::string root = ReadFile(dir_.File("tree/root.json"));
  const std::string hash = root.substr(root.find("\"hash\":\"") + 8, 64);
  auto by_hash = RunSegverify({"proof", "verify", dir_.File("erin.json"), "--root-hash", hash, "--json"});
  EXPECT_EQ(by_hash.exit_code, 0);
  EXPECT_NE(by_hash.out.find("\"valid\":true"), std::string::npos) << by_hash.out;
  EXPECT_NE(by_hash.out.find("\"anchored\":true"), std::string::npos);

  // Without a published root the proof's own root proves nothing: refused, saying what to give.
  auto unanchored = RunSegverify({"proof", "verify", dir_.File("erin.json")});
  EXPECT_EQ(unanchored.exit_code, 2);
  EXPECT_EQ(unanchored.out, "");
  EXPECT_NE(unanchored.err.find("give the published root to check against: --root root.json|roots.json, --root-hash "
                                "HEX or --site URL|DIR"),
            std::string::npos)
      << unanchored.err;

  auto from_stdin = RunSegverify({"proof", "verify", "-", "--root-hash", hash}, ReadFile(dir_.File("erin.json")));
  EXPECT_EQ(from_stdin.exit_code, 0) << from_stdin.err;
}

TEST_F(TreeCli, TamperedProofIsInvalidWithExitOne) {
  std::string proof = ReadFile(dir_.File("erin.json"));
  const auto at = proof.find("\"balances\":[\"0.75\"");
  ASSERT_NE(at, std::string::npos);
  proof.replace(at, 18, "\"balances\":[\"7.5\"");
  WriteFile(dir_.File("tampered.json"), proof);
  auto v = RunSegverify({"proof", "verify", dir_.File("tampered.json"), "--root", dir_.File("tree/root.json")});
  EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
  EXPECT_EQ(v.out.rfind("invalid: ", 0), 0u) << v.out;
}

TEST_F(TreeCli, ProofAgainstAnotherRootIsInvalid) {
  auto other = RunSegverify({"tree", "build", "--liabilities", SourcePath("fixtures/liabilities/margin.csv"), "--assets",
                             "BTC:8,ETH:18,USDT:6", "--out", dir_.File("other"), "--quiet"});
  ASSERT_EQ(other.exit_code, 0) << other.err;
  auto v = RunSegverify({"proof", "verify", dir_.File("erin.json"), "--root", dir_.File("other/root.json")});
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_NE(v.out.find("the proof is for pool spot, the root is pool default's"), std::string::npos) << v.out;
  // The same root without its pool name: the roots themselves differ.
  std::string unnamed = ReadFile(dir_.File("other/root.json"));
  const std::size_t pool = unnamed.find("\"pool\"");
  ASSERT_NE(pool, std::string::npos) << unnamed;
  unnamed.erase(pool, unnamed.find(',', pool) + 1 - pool);
  WriteFile(dir_.File("unnamed.json"), unnamed);
  v = RunSegverify({"proof", "verify", dir_.File("erin.json"), "--root", dir_.File("unnamed.json")});
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_NE(v.out.find("differs from the published root"), std::string::npos) << v.out;
}

TEST_F(TreeCli, MalformedProofIsExitTwo) {
  WriteFile(dir_.File("bad.json"), "{\"format\":\"segverify-proof/1\"");
  auto v = RunSegverify({"proof", "verify", dir_.File("bad.json"), "--root", dir_.File("tree/root.json")});
  EXPECT_EQ(v.exit_code, 2);
  EXPECT_NE(v.err.find("bad.json: invalid JSON"), std::string::npos) << v.err;
  auto missing = RunSegverify({"proof", "verify", dir_.File("nope.json"), "--root", dir_.File("tree/root.json")});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("nope.json: cannot open"), std::string::npos);
}

TEST_F(TreeCli, ExportAllWritesOneVerifiableProofPerLine) {
  auto e = RunSegverify({"proof", "export", "--tree", dir_.File("tree"), "--all", "--out", dir_.File("all.jsonl"), "--quiet"});
  ASSERT_EQ(e.exit_code, 0) << e.err;
  const std::string all = ReadFile(dir_.File("all.jsonl"));
  std::size_t lines = 0, start = 0;
  for (std::size_t nl; (nl = all.find('\n', start)) != std::string::npos; start = nl + 1) {
    WriteFile(dir_.File("line.json"), all.substr(start, nl - start));
    auto v = RunSegverify({"proof", "verify", dir_.File("line.json"), "--root", dir_.File("tree/root.json")});
    EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
    ++lines;
  }
  EXPECT_EQ(lines, 10u);
}

TEST_F(TreeCli, UnknownAccountIsExitTwo) {
  auto e = RunSegverify({"proof", "export", "--tree", dir_.File("tree"), "--account", "zed"});
  EXPECT_EQ(e.exit_code, 2);
  EXPECT_NE(e.err.find("account \"zed\" is not in this tree"), std::string::npos) << e.err;
}

TEST(TreeCliErrors, BadCsvIsExitTwoNamingTheLineAndLeavesNoRoot) {
  TempDir dir;
  WriteFile(dir.File("l.csv"), "account_id,BTC\nalice,1\nbob,1e3\n");
  auto r = RunSegverify({"tree", "build", "--liabilities", dir.File("l.csv"), "--assets", "BTC:8", "--out", dir.File("t")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("l.csv:3:5: BTC: exponent not allowed in amount \"1e3\""), std::string::npos) << r.err;
  EXPECT_FALSE(FileExists(dir.File("t/root.json")));
}

TEST(TreeCliErrors, UsageErrorsAreExitTwoAndHelpIsExitZero) {
  EXPECT_EQ(RunSegverify({}).exit_code, 2);
  EXPECT_EQ(RunSegverify({"tree", "build"}).exit_code, 2);
  EXPECT_EQ(RunSegverify({"tree", "build", "--liabilities", "x", "--assets", "BTC", "--out", "y"}).exit_code, 2);
  EXPECT_EQ(RunSegverify({"proof", "verify", "p.json", "--bogus"}).exit_code, 2);
  for (std::vector<std::string> args : {std::vector<std::string>{"--help"}, {"tree", "build", "--help"},
                                        {"proof", "export", "--help"}, {"proof", "verify", "--help"}}) {
    auto h = RunSegverify(args);
    EXPECT_EQ(h.exit_code, 0);
    EXPECT_NE(h.out.find("Usage"), std::string::npos) << h.out;
  }
}

}  // namespace
}  // namespace segverify::testing
