// `proof verify` needs the published root (docs/FORMAT.md §5, "How to verify a proof", step 4):
// --root root.json, --root roots.json (any listed root; a superseded one is named as such),
// --root-hash, --site DIR.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/test_support.h"

namespace segverify::testing {
namespace {

const std::string kKey = "7f3a5c9e1b2d4f6081a3c5e7092b4d6f8a1c3e5f7092b4d6f8a1c3e5f7092b4d";

// A roots.json record for a root.json's text: the root's own fields plus id and verdict.
std::string RecordOf(const std::string& root_json, const std::string& id) {
  std::string record = root_json;
  const std::string format = "\"format\":\"segverify-root/1\",";
  const auto at = record.find(format);
  EXPECT_NE(at, std::string::npos) << root_json;
  record.replace(at, format.size(), "\"id\":\"" + id + "\",");
  while (!record.empty() && (record.back() == '\n' || record.back() == ' ')) record.pop_back();
  record.pop_back();  // the closing brace
  return record + ",\"verdict\":\"PASS\",\"attested_at\":null}";
}

std::string HashOf(const std::string& root_json) {
  return root_json.substr(root_json.find("\"hash\":\"") + 8, 64);
}

class ProofRoots : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const auto& [name, csv] : {std::pair{"spot", "spot"}, std::pair{"other", "margin"}}) {
      auto built = RunSegverify({"tree", "build", "--liabilities", SourcePath("fixtures/liabilities/") + csv + ".csv",
                                 "--assets", "BTC:8,ETH:18,USDT:6", "--out", dir_.File(name), "--pool", "spot",
                                 "--nonce-key", kKey, "--quiet"});
      ASSERT_EQ(built.exit_code, 0) << built.err;
    }
    auto e = RunSegverify({"proof", "export", "--tree", dir_.File("spot"), "--account", "alice", "--out",
                           dir_.File("alice.json")});
    ASSERT_EQ(e.exit_code, 0) << e.err;
    spot_ = ReadFile(dir_.File("spot/root.json"));
    other_ = ReadFile(dir_.File("other/root.json"));
  }
  CommandResult Verify(const std::vector<std::string>& root_args) {
    std::vector<std::string> args = {"proof", "verify", dir_.File("alice.json")};
    args.insert(args.end(), root_args.begin(), root_args.end());
    return RunSegverify(args);
  }
  TempDir dir_;
  std::string spot_, other_;
};

TEST_F(ProofRoots, AnyRootListedInRootsJsonIsAccepted) {
  WriteFile(dir_.File("roots.json"), "[" + RecordOf(other_, "2026-12") + "," + RecordOf(spot_, "2026-11") + "]");
  auto run = Verify({"--root", dir_.File("roots.json")});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(run.out.rfind("valid: account alice", 0), 0u) << run.out;
}

TEST_F(ProofRoots, ARootNotListedIsInvalid) {
  WriteFile(dir_.File("roots.json"), "[" + RecordOf(other_, "2026-12") + "]");
  auto run = Verify({"--root", dir_.File("roots.json")});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("invalid: proof's root " + HashOf(spot_) + " is not one of the published roots"),
            std::string::npos)
      << run.out;
}

TEST_F(ProofRoots, AListedRootOfAnotherPoolIsInvalid) {
  std::string record = RecordOf(spot_, "2026-11");
  record.replace(record.find("\"pool\":\"spot\""), 13, "\"pool\":\"firm\"");
  WriteFile(dir_.File("roots.json"), "[" + record + "]");
  auto run = Verify({"--root", dir_.File("roots.json")});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("the proof is for pool spot, the root is pool firm's"), std::string::npos) << run.out;
}

TEST_F(ProofRoots, ASupersededRootSaysWhichRunReplacedIt) {
  std::string superseded = RecordOf(spot_, "2026-11");
  superseded.back() = ',';
  superseded += "\"superseded_at\":\"2026-12-02T09:30:00Z\"}";
  WriteFile(dir_.File("roots.json"),
            "{\"format\":\"segverify-roots/2\",\"roots\":[" + RecordOf(other_, "2026-11") + "],\"superseded\":[" +
                superseded + "]}");
  auto run = Verify({"--root", dir_.File("roots.json")});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("invalid: this proof belongs to a run of 2026-11 that was replaced on 2026-12-02; ask for "
                         "your proof of the current run"),
            std::string::npos)
      << run.out;
  // The same file with the root current again: valid.
  WriteFile(dir_.File("roots.json"),
            "{\"format\":\"segverify-roots/2\",\"roots\":[" + RecordOf(spot_, "2026-11") + "],\"superseded\":[]}");
  EXPECT_EQ(Verify({"--root", dir_.File("roots.json")}).exit_code, 0);
}

TEST_F(ProofRoots, ASiteDirectoryIsReadThroughItsRootsJson) {
  std::filesystem::create_directories(dir_.File("site"));
  WriteFile(dir_.File("site/roots.json"), "[" + RecordOf(spot_, "2026-11") + "]");
  auto run = Verify({"--site", dir_.File("site")});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  WriteFile(dir_.File("site/roots.json"), "[" + RecordOf(other_, "2026-11") + "]");
  EXPECT_EQ(Verify({"--site", dir_.File("site")}).exit_code, 1);
  auto missing = Verify({"--site", dir_.File("spot")});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("--site: "), std::string::npos) << missing.err;
  EXPECT_NE(missing.err.find("roots.json"), std::string::npos) << missing.err;
}

TEST_F(ProofRoots, NoRootOrTwoRootsAreUsageErrors) {
  auto none = Verify({});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_EQ(none.out, "");
  EXPECT_NE(none.err.find("give the published root"), std::string::npos) << none.err;
  auto two = Verify({"--root", dir_.File("spot/root.json"), "--root-hash", HashOf(spot_)});
  EXPECT_EQ(two.exit_code, 2);
  EXPECT_NE(two.err.find("give only one of --root, --root-hash and --site"), std::string::npos) << two.err;
  WriteFile(dir_.File("empty-roots.json"), "[]");
  auto empty = Verify({"--root", dir_.File("empty-roots.json")});
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_NE(empty.err.find("lists no root"), std::string::npos) << empty.err;
}

}  // namespace
}  // namespace segverify::testing
