// `segverify attest` and `segverify balances` against an Ethereum node that fails in each of the
// ways a real one can: the verdict is never PASS, the exit code is 2, and the error (and the
// report's "errors") names the source. The control case (an honest node) must PASS, so a fault
// that went unnoticed would show.
#include <gtest/gtest.h>

#include <ostream>

#include "common/json.h"
#include "tests/support/faulty_eth_node.h"
#include "tests/hostile/measured_run.h"

namespace segverify::testing {
namespace {

struct Fault {
  std::string name;
  int after;  // well-answered requests before the fault starts (2 = after chain id and pin)
};

// gtest would print the parameter's bytes in every test name line; the fault is enough.
void PrintTo(const Fault& fault, std::ostream* os) { *os << fault.name << " after " << fault.after; }

std::string ReportVerdictAndErrors(const std::string& report_path, std::string& errors) {
  auto doc = ParseJsonFile(report_path);
  if (!doc) return "unreadable report: " + doc.error().message;
  const JsonDocument& report = **doc;
  if (report.HasMember("errors") && report["errors"].IsArray()) {
    for (const auto& e : report["errors"].GetArray()) {
      if (e.IsString()) errors += std::string(e.GetString()) + "\n";
    }
  }
  return report.HasMember("verdict") && report["verdict"].IsString() ? report["verdict"].GetString() : "";
}

TEST(AttestFaults, HonestNodeGivesPass) {
  FaultyEthNode node("none");
  TempDir dir;
  auto run = RunSegverifyMeasured({"attest", WriteFaultConfig(dir, node.url()), "--out", dir.File("out"), "--quiet"}, dir);
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  std::string errors;
  EXPECT_EQ(ReportVerdictAndErrors(dir.File("out/report.json"), errors), "PASS");
  EXPECT_EQ(errors, "");
}

class AttestFault : public ::testing::TestWithParam<Fault> {};

TEST_P(AttestFault, NeverPassAndTheReportNamesTheSource) {
  FaultyEthNode node(GetParam().name, GetParam().after);
  TempDir dir;
  auto run = RunSegverifyMeasured({"attest", WriteFaultConfig(dir, node.url()), "--out", dir.File("out"), "--quiet"}, dir,
                                  std::chrono::seconds(30));
  EXPECT_FALSE(run.timed_out);
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  std::string errors;
  EXPECT_EQ(ReportVerdictAndErrors(dir.File("out/report.json"), errors), "ERROR");
  EXPECT_NE(errors.find(node.url()), std::string::npos) << "report errors: " << errors;
  EXPECT_NE(run.err.find(node.url()), std::string::npos) << run.err;
}

std::string FaultName(const ::testing::TestParamInfo<Fault>& info) {
  std::string name = info.param.name + "_after" + std::to_string(info.param.after);
  for (char& c : name) {
    if (c == '-') c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Faults, AttestFault,
                         ::testing::Values(Fault{"reset", 0}, Fault{"reset", 2}, Fault{"partial", 2},
                                           Fault{"http500", 0}, Fault{"http500", 2}, Fault{"rpc-error", 2},
                                           Fault{"wrong-ids", 2}, Fault{"flip", 2}, Fault{"flip", 3},
                                           Fault{"garbage", 2}),
                         FaultName);

class BalancesFault : public ::testing::TestWithParam<Fault> {};

TEST_P(BalancesFault, ExitTwoNamingTheSource) {
  FaultyEthNode node(GetParam().name, GetParam().after);
  TempDir dir;
  auto run = RunSegverifyMeasured({"balances", "--chain", "ethereum", "--source", "ethereum=" + node.url(), "--height",
                                   "16", kFaultTestAddress},
                                  dir, std::chrono::seconds(30));
  ExpectCannotCheck(run, node.url());
  EXPECT_EQ(run.out, "");
}

INSTANTIATE_TEST_SUITE_P(Faults, BalancesFault,
                         ::testing::Values(Fault{"reset", 1}, Fault{"partial", 0}, Fault{"http500", 2},
                                           Fault{"rpc-error", 0}, Fault{"wrong-ids", 2}, Fault{"flip", 2},
                                           Fault{"garbage", 1}),
                         FaultName);

TEST(BalancesFaults, HonestNodeAnswers) {
  FaultyEthNode node("none");
  TempDir dir;
  auto run = RunSegverifyMeasured(
      {"balances", "--chain", "ethereum", "--source", "ethereum=" + node.url(), "--height", "16", "--json", kFaultTestAddress},
      dir);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("\"amount\":\"1000000\""), std::string::npos) << run.out;
}

// A node whose JSON-RPC error quotes what it was sent: the URL's path and query (the API key), the
// Authorization header (Base64 of user:password) and an escape sequence. None of the secrets, in any
// form, reaches stdout, stderr, report.json or report.html, and the escape sequence arrives escaped.
TEST(AttestFaults, NodeTextEchoingTheUrlAndCredentialsIsScrubbed) {
  FaultyEthNode node("echo-secrets", 2);
  TempDir dir;
  const std::string port = node.port();
  const std::string url = "http://scrubuser:Pa55word9@127.0.0.1:" + port + "/v3/INFURAKEY0123456789?apikey=QKEY12345";
  const auto run =
      RunSegverifyMeasured({"attest", WriteFaultConfig(dir, url), "--out", dir.File("out"), "--quiet"}, dir);
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  const std::string basic = "c2NydWJ1c2VyOlBhNTV3b3JkOQ";  // Base64 of "scrubuser:Pa55word9", unpadded
  const std::string report = ReadFile(dir.File("out/report.json"));
  const std::string page = ReadFile(dir.File("out/report.html"));
  EXPECT_NE(run.err.find("bad request to"), std::string::npos) << "the node's text is shown: " << run.err;
  for (const std::string& secret : {std::string("INFURAKEY0123456789"), std::string("QKEY12345"),
                                    std::string("Pa55word9"), std::string("scrubuser"), basic}) {
    for (const std::string* text : {&run.out, &run.err, &report, &page}) {
      EXPECT_EQ(text->find(secret), std::string::npos) << secret << " in: " << *text;
    }
  }
  for (const std::string* text : {&run.out, &run.err, &report, &page}) {
    EXPECT_EQ(text->find('\x1b'), std::string::npos) << *text;
    EXPECT_EQ(text->find('\r'), std::string::npos) << *text;
  }
}

// Two sources of one chain fail in two ways (HTTP 500 from the first, no listener behind the
// second): the report's problems, its errors and the CLI's error lines name each, with its
// source index, and neither's credentials. Reporting only the first would send the operator to fix
// one source and find the next one broken on the re-run.
TEST(AttestFaults, EveryFailingSourceOfAChainIsReported) {
  FaultyEthNode refusing("http500", 0);
  TempDir dir;
  const std::string unreachable = "http://keeper:S3cretPw@127.0.0.1:1";  // a privileged port nothing listens on
  const std::string config = WriteFaultConfigWithSources(dir, {refusing.url(), unreachable}, R"("timeout_s":5)");
  auto run = RunSegverifyMeasured({"attest", config, "--out", dir.File("out"), "--quiet"}, dir, std::chrono::seconds(30));
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  std::string errors;
  EXPECT_EQ(ReportVerdictAndErrors(dir.File("out/report.json"), errors), "ERROR");
  auto report = ParseJsonFile(dir.File("out/report.json"));
  ASSERT_TRUE(report.ok());
  std::vector<std::uint64_t> sources;
  for (const auto& p : (**report)["problems"].GetArray()) {
    EXPECT_STREQ(p["chain"].GetString(), "ethereum");
    if (p["source"].IsUint64()) sources.push_back(p["source"].GetUint64());
  }
  EXPECT_EQ(sources, (std::vector<std::uint64_t>{0, 1})) << errors;
  for (const std::string& named : {std::string("ethereum source 1 (") + refusing.url(),
                                   std::string("ethereum source 2 (http://127.0.0.1:1)")}) {
    EXPECT_NE(errors.find(named), std::string::npos) << named << " in report errors: " << errors;
    EXPECT_NE(run.err.find(named), std::string::npos) << named << " in: " << run.err;
  }
  for (const std::string* text : {&run.err, &errors}) {
    EXPECT_EQ(text->find("S3cretPw"), std::string::npos) << *text;
    EXPECT_EQ(text->find("keeper"), std::string::npos) << *text;
  }

  auto balances = RunSegverifyMeasured({"balances", "--chain", "ethereum", "--source", "ethereum=" + refusing.url(),
                                        "--source", "ethereum=" + unreachable, "--height", "16", kFaultTestAddress},
                                       dir, std::chrono::seconds(30));
  EXPECT_EQ(balances.exit_code, 2) << balances.err;
  EXPECT_NE(balances.err.find("ethereum source 1 ("), std::string::npos) << balances.err;
  EXPECT_NE(balances.err.find("ethereum source 2 ("), std::string::npos) << balances.err;
  EXPECT_EQ(balances.err.find("S3cretPw"), std::string::npos) << balances.err;
}

}  // namespace
}  // namespace segverify::testing
