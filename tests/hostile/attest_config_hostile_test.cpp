// `segverify attest` on hostile config files (and a hostile liabilities file behind a good
// config): exit 2, one error line naming the file and JSON path, and no report that says PASS.
// The config's node URL is a closed port, so a config that slipped through could not pass
// either; the mutations of individual fields are covered in tests/attest/.
#include <filesystem>

#include <gtest/gtest.h>

#include "tests/support/faulty_eth_node.h"
#include "tests/hostile/hostile_cases.h"
#include "tests/hostile/measured_run.h"

namespace segverify::testing {
namespace {

const std::string kClosedPort = "http://127.0.0.1:9";

MeasuredRun Attest(const std::string& config_text, const TempDir& dir) {
  WriteFaultConfig(dir, kClosedPort);  // writes spot.csv beside it
  WriteFile(dir.File("config.json"), config_text);
  return RunSegverifyMeasured({"attest", dir.File("config.json"), "--out", dir.File("out"), "--quiet"}, dir);
}

std::string GoodConfig() {
  TempDir scratch;
  return ReadFile(WriteFaultConfig(scratch, kClosedPort));
}

bool NoReportOrNotPass(const std::string& out_dir) {
  const std::string report = out_dir + "/report.json";
  if (!FileExists(report)) return true;
  return ReadFile(report).find("\"verdict\":\"PASS\"") == std::string::npos;
}

TEST(AttestConfigHostile, WholeFileGarbageIsRefused) {
  const std::vector<std::pair<std::string, std::string>> inputs = {
      {"empty", ""},
      {"binary garbage", BinaryGarbage()},
      {"100k levels of nesting", DeeplyNestedJson(100000)},
      {"truncated", GoodConfig().substr(0, 150)},
      {"not an object", "[\"segverify-attestation/1\"]"},
  };
  for (const auto& [name, text] : inputs) {
    SCOPED_TRACE(name);
    TempDir dir;
    auto run = Attest(text, dir);
    ExpectCannotCheck(run, "config.json");
    EXPECT_TRUE(NoReportOrNotPass(dir.File("out")));
  }
}

TEST(AttestConfigHostile, EditedConfigsAreRefusedNamingTheField) {
  const std::vector<EditCase> cases = {
      {"format version", "segverify-attestation/1", "segverify-attestation/2", 2, "format"},
      {"number as string", "\"block\":16", "\"block\":\"16\"", 2, "block"},
      {"string as number", "\"id\":\"faults-1\"", "\"id\":20261", 2, "id"},
      {"negative block", "\"block\":16", "\"block\":-16", 2, "block"},
      {"exponent decimals", "\"decimals\":18", "\"decimals\":1.8e1", 2, "decimals"},
      {"decimals over 38", "\"decimals\":18", "\"decimals\":39", 2, "decimals"},
      {"duplicate key", "\"id\":\"faults-1\",", "\"id\":\"faults-1\",\"id\":\"faults-2\",", 2, "id"},
      {"NUL in pool name", "\"name\":\"spot\"", "\"name\":\"sp\\u0000ot\"", 2, "pools[0].name"},
      {"path in pool name", "\"name\":\"spot\"", "\"name\":\"../spot\"", 2, "pools[0].name"},
      {"invalid UTF-8 in id", "\"id\":\"faults-1\"", "\"id\":\"faults-\xc3\x28\"", 2, "config.json"},
  };
  const std::string config = GoodConfig();
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    TempDir dir;
    auto run = Attest(WithEdit(config, c.find, c.replace), dir);
    ExpectCannotCheck(run, "config.json");
    EXPECT_NE(run.err.find(c.must_name), std::string::npos) << run.err;
    EXPECT_TRUE(NoReportOrNotPass(dir.File("out")));
  }
}

TEST(AttestConfigHostile, HostileLiabilitiesBehindAGoodConfigAreNeverPass) {
  const std::vector<std::pair<std::string, std::string>> csvs = {
      {"sum over u128", "account_id,ETH\na,340282366920938463463.374607431768211455\nb,0.000000000000000001\n"},
      {"NUL in id", std::string("account_id,ETH\na\0b,1\n", 20)},
      {"negative", "account_id,ETH\na,-1\n"},
      {"binary garbage", BinaryGarbage()},
  };
  for (const auto& [name, csv] : csvs) {
    SCOPED_TRACE(name);
    TempDir dir;
    WriteFaultConfig(dir, kClosedPort);
    WriteFile(dir.File("spot.csv"), csv);
    auto run = RunSegverifyMeasured({"attest", dir.File("config.json"), "--out", dir.File("out"), "--quiet"}, dir);
    EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
    EXPECT_NE(run.err.find("spot.csv"), std::string::npos) << run.err;
    EXPECT_TRUE(NoReportOrNotPass(dir.File("out")));
    const std::string tree = dir.File("out/pools/spot");
    EXPECT_TRUE(!std::filesystem::exists(tree) || std::filesystem::is_empty(tree)) << "a tree was left for bad liabilities";
  }
}

TEST(AttestConfigHostile, SixtyFourMegabyteConfigIsBounded) {
  TempDir dir;
  auto run = Attest(HugeJson("{\"format\":\"segverify-attestation/1\",\"id\":\""), dir);
  ExpectCannotCheck(run, "config.json");
  EXPECT_LT(run.seconds, 5.0);
  EXPECT_LT(run.max_rss_kb * 1024, 4 * kMemoryBoundScale * static_cast<long>(kHugeInputBytes));
  EXPECT_TRUE(NoReportOrNotPass(dir.File("out")));
}

}  // namespace
}  // namespace segverify::testing
