// `proof verify FILE` on a file of one proof per line (docs/FORMAT.md §5, "Checking a whole export"):
// counts, the first 20 failing lines named, exit 0/1/2, --json, streaming in bounded memory.
#include <gtest/gtest.h>

#include "tests/hostile/measured_run.h"
#include "tests/support/test_support.h"

namespace segverify::testing {
namespace {

const std::string kKey = "7f3a5c9e1b2d4f6081a3c5e7092b4d6f8a1c3e5f7092b4d6f8a1c3e5f7092b4d";

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1) {
    lines.push_back(text.substr(start, nl - start));
  }
  return lines;
}

std::string Joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

// A proof line whose first balance is changed: well-formed, and it does not hold.
std::string Tampered(std::string line) {
  const auto at = line.find("\"balances\":[\"");
  EXPECT_NE(at, std::string::npos) << line;
  line.insert(at + 13, "1");
  return line;
}

class ProofLines : public ::testing::Test {
 protected:
  void SetUp() override {
    auto built = RunSegverify({"tree", "build", "--liabilities", SourcePath("fixtures/liabilities/spot.csv"),
                               "--assets", "BTC:8,ETH:18,USDT:6", "--out", dir_.File("tree"), "--pool", "spot",
                               "--nonce-key", kKey, "--quiet"});
    ASSERT_EQ(built.exit_code, 0) << built.err;
    auto exported = RunSegverify(
        {"proof", "export", "--tree", dir_.File("tree"), "--all", "--out", dir_.File("all.jsonl"), "--quiet"});
    ASSERT_EQ(exported.exit_code, 0) << exported.err;
    lines_ = Lines(ReadFile(dir_.File("all.jsonl")));
    ASSERT_EQ(lines_.size(), 10u);
  }
  CommandResult Verify(const std::string& text, std::vector<std::string> extra = {}) {
    WriteFile(dir_.File("check.jsonl"), text);
    std::vector<std::string> args = {"proof", "verify", dir_.File("check.jsonl"), "--root", dir_.File("tree/root.json")};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunSegverify(args);
  }
  TempDir dir_;
  std::vector<std::string> lines_;
};

TEST_F(ProofLines, AWholeExportIsValid) {
  auto run = Verify(ReadFile(dir_.File("all.jsonl")), {"--threads", "2"});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find(": 10 proofs checked against root "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find(" of pool spot: 10 valid, 0 invalid, 0 could not be checked\n"), std::string::npos) << run.out;
  // From stdin as well.
  auto piped = RunSegverify({"proof", "verify", "-", "--root", dir_.File("tree/root.json")},
                            ReadFile(dir_.File("all.jsonl")));
  EXPECT_EQ(piped.exit_code, 0) << piped.out << piped.err;
  EXPECT_EQ(piped.out.rfind("stdin: 10 proofs checked", 0), 0u) << piped.out;
}

TEST_F(ProofLines, AnInvalidAndAMalformedLineAreNamedAndTheInvalidOneDecides) {
  std::vector<std::string> lines = lines_;
  lines[3] = Tampered(lines[3]);
  lines[6] = "{\"format\":\"segverify-proof/1\"}";
  auto run = Verify(Joined(lines));
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("10 proofs checked against root"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find(": 8 valid, 1 invalid, 1 could not be checked\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("\nline 4: invalid: path recomputes to root "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("\nline 7: could not check: "), std::string::npos) << run.out;
  EXPECT_LT(run.out.find("line 4:"), run.out.find("line 7:")) << run.out;

  auto json = Verify(Joined(lines), {"--json"});
  EXPECT_EQ(json.exit_code, 1);
  EXPECT_EQ(json.out.rfind("{\"proofs\":10,\"valid\":8,\"invalid\":1,\"could_not_check\":1,\"lines\":[{\"line\":4,"
                           "\"verdict\":\"root-hash-mismatch\",",
                           0),
            0u)
      << json.out;
  EXPECT_NE(json.out.find("{\"line\":7,\"verdict\":\"malformed\","), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"lines_not_shown\":0}"), std::string::npos) << json.out;
}

TEST_F(ProofLines, OnlyUnreadableLinesAreExitTwo) {
  std::vector<std::string> lines = lines_;
  lines[0] = "not json";
  lines[9] = lines[9].substr(0, lines[9].size() / 2);
  auto run = Verify(Joined(lines));
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_NE(run.out.find(": 8 valid, 0 invalid, 2 could not be checked\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("line 1: could not check: "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("line 10: could not check: "), std::string::npos) << run.out;
}

TEST_F(ProofLines, TheFirstTwentyProblemsAreNamedThenCounted) {
  std::vector<std::string> lines;
  for (int copy = 0; copy < 3; ++copy) {
    for (const std::string& line : lines_) lines.push_back(Tampered(line));
  }
  lines.push_back(lines_[0]);
  auto run = Verify(Joined(lines), {"--threads", "3"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find(": 1 valid, 30 invalid, 0 could not be checked\n"), std::string::npos) << run.out;
  for (int line = 1; line <= 20; ++line) {
    EXPECT_NE(run.out.find("\nline " + std::to_string(line) + ": invalid: "), std::string::npos) << line;
  }
  EXPECT_EQ(run.out.find("\nline 21: "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("\n... and 10 more lines\n"), std::string::npos) << run.out;
}

TEST_F(ProofLines, BlankLinesAreSkippedAndLinesKeepTheirNumbers) {
  std::vector<std::string> lines = {lines_[0], "", "  ", Tampered(lines_[1]), lines_[2]};
  auto run = Verify(Joined(lines));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find(": 3 proofs checked"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("\nline 4: invalid: "), std::string::npos) << run.out;
}

TEST_F(ProofLines, AOneProofFileIsCheckedAsBefore) {
  auto run = Verify(lines_[2] + "\n");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.rfind("valid: account ", 0), 0u) << run.out;
}

// Overlong lines (one longer than a whole read round) are counted, not held; the lines after
// them keep their numbers; memory stays bounded on a file far larger than a round.
TEST_F(ProofLines, OverlongLinesAndLargeFilesStayBounded) {
  const std::string big_line = "{\"format\":\"" + std::string(20u << 20, 'x') + "\"}";
  const std::string medium_line = "{\"pool\":\"" + std::string(2u << 20, 'y') + "\"}";
  std::string text = lines_[0] + "\n" + big_line + "\n" + medium_line + "\n" + Tampered(lines_[1]) + "\n";
  // ~40 MB more of valid lines.
  const std::string all = ReadFile(dir_.File("all.jsonl"));
  while (text.size() < (60u << 20)) text += all;
  WriteFile(dir_.File("big.jsonl"), text);
  auto run = RunSegverifyMeasured(
      {"proof", "verify", dir_.File("big.jsonl"), "--root", dir_.File("tree/root.json")}, dir_,
      std::chrono::seconds(240));
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("\nline 2: could not check: line longer than 1 MiB\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("\nline 3: could not check: line longer than 1 MiB\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("\nline 4: invalid: "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find(" 1 invalid, 2 could not be checked\n"), std::string::npos) << run.out;
  // Two read rounds of 16 MiB and the process itself: well under the file's size.
  EXPECT_LT(run.max_rss_kb * 1024, kMemoryBoundScale * (56L << 20)) << run.max_rss_kb << " KiB";
}

TEST_F(ProofLines, AnEmptyFileIsExitTwo) {
  auto run = Verify("\n\n");
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
}

}  // namespace
}  // namespace segverify::testing
