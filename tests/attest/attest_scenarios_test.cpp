// `segverify attest` end to end on the sample exchange, one scenario per rule:
// real anvil (--chain-id 1) + the Bitcoin test server, real signatures made by npm tools
// (fixtures/sample-exchange/generate.mjs). Each test asserts the exit code, report.json's verdict
// and the finding the broken rule must produce. Expected amounts are the sample's funding
// (tests/scenario/sample_exchange.mjs) and liabilities (fixtures/liabilities/*.csv), by hand.
#include <gtest/gtest.h>

#include <string>

#include "tests/attest/sample_exchange_run.h"

namespace segverify::testing {
namespace {

bool Mentions(const ReportFinding& f, const std::string& text) {
  return f.subject.find(text) != std::string::npos || f.detail.find(text) != std::string::npos;
}

std::string Describe(const JsonDocument& report) {
  std::string s;
  for (const auto& f : Findings(report)) s += "\n  " + f.severity + " " + f.check + " " + f.subject + ": " + f.detail;
  if (report.HasMember("errors") && report["errors"].IsArray()) {
    for (const auto& e : report["errors"].GetArray()) s += std::string("\n  error: ") + (e.IsString() ? e.GetString() : "?");
  }
  return s;
}

// Asserts exit code and verdict, and returns the findings of `check` with severity "error".
std::vector<ReportFinding> ExpectFailure(const AttestRun& run, const std::string& check) {
  EXPECT_EQ(run.result.exit_code, 1) << run.result.err;
  if (!run.report) {
    ADD_FAILURE() << "no report.json; stderr: " << run.result.err;
    return {};
  }
  EXPECT_EQ(Verdict(*run.report), "FAIL") << Describe(*run.report);
  std::vector<ReportFinding> errors;
  for (const auto& f : Findings(*run.report, check)) {
    if (f.severity == "error") errors.push_back(f);
  }
  EXPECT_FALSE(errors.empty()) << "no \"" << check << "\" error finding:" << Describe(*run.report);
  return errors;
}

// Runs `scenario`; it must FAIL with an error finding of `check` naming one of `names` (the
// canonical address, or the key).
void ExpectFindingNaming(const std::string& scenario, const std::string& check, const std::vector<std::string>& names) {
  TempDir dir;
  auto found = ExpectFailure(RunScenario(scenario, dir), check);
  ASSERT_FALSE(found.empty());
  bool named = false;
  for (const auto& name : names) named = named || Mentions(found[0], name);
  EXPECT_TRUE(named) << found[0].subject << ": " << found[0].detail;
}

void ExpectAsset(const JsonDocument& report, const std::string& pool, const std::string& symbol,
                 const std::string& reserves, bool covered) {
  const JsonValue* a = PoolAsset(report, pool, symbol);
  ASSERT_NE(a, nullptr) << pool << "/" << symbol << " missing";
  ASSERT_TRUE(a->HasMember("reserves") && (*a)["reserves"].IsString()) << pool << "/" << symbol;
  EXPECT_EQ(std::string((*a)["reserves"].GetString()), reserves) << pool << "/" << symbol;
  ASSERT_TRUE(a->HasMember("covered") && (*a)["covered"].IsBool());
  EXPECT_EQ((*a)["covered"].GetBool(), covered) << pool << "/" << symbol;
}

// Funding of the pass scenario; liabilities: spot 18.08012 BTC, 17.950000000000000001 ETH,
// 102811.613456 USDT; margin 5.25 BTC, 8 ETH, 12800 USDT.
void ExpectSampleReserves(const JsonDocument& report) {
  ExpectAsset(report, "spot", "BTC", "18.08012", true);
  ExpectAsset(report, "spot", "ETH", "17.950000000000000001", true);
  ExpectAsset(report, "spot", "USDT", "102811.613456", true);
  ExpectAsset(report, "margin", "BTC", "5.25", true);
  ExpectAsset(report, "margin", "ETH", "8", true);
  ExpectAsset(report, "margin", "USDT", "12800", true);
}

TEST(AttestScenario, PassHoldsWithEveryCheckDone) {
  TempDir dir;
  AttestRun run = RunScenario("pass", dir);
  ASSERT_TRUE(run.report) << run.result.err;
  EXPECT_EQ(run.result.exit_code, 0) << run.result.err << Describe(*run.report);
  EXPECT_EQ(Verdict(*run.report), "PASS") << Describe(*run.report);
  ExpectSampleReserves(*run.report);
  for (const auto& f : Findings(*run.report)) EXPECT_NE(f.severity, "error") << f.check << " " << f.subject;
  // E1 (in firm.keys) is one key of spot's 2-of-3: shown as "info", not failing.
  bool e1_info = false;
  for (const auto& f : Findings(*run.report, "shared-key")) {
    e1_info = e1_info || (f.severity == "info" && (Mentions(f, SamplePublicKey("exchange-e1")) ||
                                                   Mentions(f, SampleAddress("spot_p2wsh"))));
  }
  EXPECT_TRUE(e1_info) << Describe(*run.report);
  // The Bitcoin test server's block ids are sha256("segverify test block <h>") (its header).
  const auto& chains = (*run.report)["chains"];
  ASSERT_TRUE(chains.HasMember("bitcoin") && chains.HasMember("ethereum"));
  EXPECT_EQ(std::string(chains["bitcoin"]["block_hash"].GetString()),
            "1848a5e241d80838d9d7f4aec03d079a688bff38018f23b763ef307bf6fcf237");  // sha256("segverify test block 200")
  EXPECT_EQ(chains["bitcoin"]["height"].GetUint64(), 200u);
  EXPECT_EQ(chains["ethereum"]["block"].GetUint64(), 40u);
  EXPECT_EQ(std::string(chains["ethereum"]["block_hash"].GetString()).size(), 66u);
  // Every client can get their proof from the pool's tree, and it verifies against the pool's root.
  CommandResult proof = RunSegverify({"proof", "export", "--tree", dir.File("out/pools/spot"), "--account", "alice",
                                      "--out", dir.File("alice.json")});
  ASSERT_EQ(proof.exit_code, 0) << proof.err;
  CommandResult verify = RunSegverify({"proof", "verify", dir.File("alice.json"), "--root",
                                       dir.File("out/pools/spot/root.json")});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_TRUE(FileExists(dir.File("out/report.html")));
  EXPECT_TRUE(std::filesystem::is_directory(dir.File("out/evidence")));
}

TEST(AttestScenario, OverlapWrittenInUpperCaseBech32) {
  ExpectFindingNaming("overlap", "overlap", {SampleAddress("spot_p2wpkh")});  // canonical: lower case
}

TEST(AttestScenario, OverlapWrittenInLowerCaseEthereum) {
  ExpectFindingNaming("overlap-eth", "overlap", {SampleAddress("spot_eoa")});  // canonical: EIP-55
}

TEST(AttestScenario, DoubleCountAcrossPools) {
  ExpectFindingNaming("double-count", "double-count", {SampleAddress("spot_p2tr")});
}

TEST(AttestScenario, DoubleCountWithinOnePool) {
  ExpectFindingNaming("double-count-same-pool", "double-count", {SampleAddress("spot_eoa")});
}

TEST(AttestScenario, SharedKeyListedInFirmKeys) {
  ExpectFindingNaming("shared-key", "shared-key", {SampleAddress("shared_firm_cold_p2wpkh"), SamplePublicKey("firm-cold")});
}

// The key behind the firm's P2PKH address (known from its BIP-137 proof) also holds a pool P2WPKH.
TEST(AttestScenario, SharedKeyOfFirmAddress) {
  ExpectFindingNaming("shared-key-firm-address", "shared-key",
                      {SampleAddress("shared_firm_p2pkh_p2wpkh"), SamplePublicKey("firm-p2pkh")});
}

TEST(AttestScenario, FirmControlsMultisigPool) {
  ExpectFindingNaming("firm-control", "firm-control", {SampleAddress("firm_controlled_p2wsh")});
}

TEST(AttestScenario, UnderCoverageOfOneAssetOnly) {
  TempDir dir;
  AttestRun run = RunScenario("under-coverage", dir);
  auto found = ExpectFailure(run, "coverage");
  ASSERT_TRUE(run.report);
  EXPECT_EQ(found.size(), 1u) << Describe(*run.report);
  ExpectAsset(*run.report, "spot", "USDT", "102811.613455", false);  // 0.000001 short
  ExpectAsset(*run.report, "spot", "BTC", "18.08012", true);
  ExpectAsset(*run.report, "spot", "ETH", "17.950000000000000001", true);
  ExpectAsset(*run.report, "margin", "USDT", "12800", true);
  for (const auto& f : Findings(*run.report)) {
    if (f.severity == "error") {
      EXPECT_EQ(f.check, "coverage") << f.subject << ": " << f.detail;
    }
  }
}

TEST(AttestScenario, StaleSignatureOverLastMonthsMessage) {
  ExpectFindingNaming("stale-signature", "ownership", {SampleAddress("spot_p2wpkh")});
}

// A new month's message left unchanged in the signatures (here: the config's message changed, the
// signatures not): every proof fails, and one line says why that most likely is.
TEST(AttestScenario, EveryProofFailingAsksWhetherTheMessageIsTheOneSigned) {
  TempDir dir;
  SampleExchange exchange("pass", dir.path());
  auto config = ParseJsonFile(exchange.config_path());
  ASSERT_TRUE(config.ok());
  (**config)["message"].SetString("Example Exchange attestation 2026-12: client assets", (*config)->GetAllocator());
  WriteFile(exchange.config_path(), JsonToString(**config));
  AttestRun run = RunAttest({exchange.config_path(), "--out", dir.File("out")});
  exchange.Stop();
  EXPECT_EQ(run.result.exit_code, 1) << run.result.err;
  EXPECT_NE(run.result.err.find("ownership proofs fail to verify: is the config's message the one that was signed?"),
            std::string::npos)
      << run.result.err;
  ASSERT_TRUE(run.report);
  EXPECT_NE(run.report_text.find("is the config's message the one that was signed?"), std::string::npos);
}

TEST(AttestScenario, SignatureByAnAddressNotInThePool) {
  ExpectFindingNaming("foreign-signature", "ownership", {SampleAddress("spot_eoa")});
}

TEST(AttestScenario, Erc1271VaultSignedByNonOwner) {
  ExpectFindingNaming("erc1271-invalid", "ownership", {SampleAddress("spot_vault")});
}

TEST(AttestScenario, FundsMovedAfterThePinStillPass) {
  TempDir dir;
  AttestRun run = RunScenario("moved-after-pin", dir);
  ASSERT_TRUE(run.report) << run.result.err;
  EXPECT_EQ(run.result.exit_code, 0) << Describe(*run.report);
  EXPECT_EQ(Verdict(*run.report), "PASS") << Describe(*run.report);
  ExpectSampleReserves(*run.report);  // read at block 40, before the 10 ETH left
}

TEST(AttestScenario, FundsMovedBeforeThePinFailCoverage) {
  TempDir dir;
  AttestRun run = RunScenario("moved-before-pin", dir);
  auto found = ExpectFailure(run, "coverage");
  ASSERT_TRUE(run.report);
  // 10 ETH + gas left the spot EOA; the spot P2TR's 3.08012 BTC left before height 200.
  ExpectAsset(*run.report, "spot", "BTC", "15", false);
  const JsonValue* eth = PoolAsset(*run.report, "spot", "ETH");
  ASSERT_NE(eth, nullptr);
  EXPECT_FALSE((*eth)["covered"].GetBool());
  EXPECT_EQ(std::string((*eth)["reserves"].GetString()).substr(0, 2), "7.");  // 7.95 ETH minus gas
  EXPECT_EQ(found.size(), 2u) << Describe(*run.report);
}

TEST(AttestScenario, NodeDownIsAnErrorNamingTheSource) {
  TempDir dir;
  AttestRun run = RunScenario("node-down", dir);
  EXPECT_EQ(run.result.exit_code, 2) << run.result.err;
  ASSERT_TRUE(run.report) << "report.json must be written for ERROR too; stderr: " << run.result.err;
  EXPECT_EQ(Verdict(*run.report), "ERROR");
  auto config = ParseJsonFile(dir.File("servers/config.json"));
  ASSERT_TRUE(config);
  std::string url = (**config)["chains"]["ethereum"]["sources"][0]["url"].GetString();
  std::string host_port = url.substr(std::string("http://").size());
  bool named = false;
  ASSERT_TRUE(run.report->HasMember("errors") && (*run.report)["errors"].IsArray());
  for (const auto& e : (*run.report)["errors"].GetArray()) {
    named = named || std::string(e.GetString()).find(host_port) != std::string::npos;
  }
  EXPECT_TRUE(named) << "no error names " << host_port << Describe(*run.report);
  EXPECT_NE(run.result.err.find(host_port), std::string::npos) << run.result.err;
}

TEST(AttestScenario, SourcesDisagreeIsNeverPass) {
  TempDir dir;
  AttestRun run = RunScenario("sources-disagree", dir);
  ASSERT_TRUE(run.report) << run.result.err;
  EXPECT_TRUE(run.result.exit_code == 1 || run.result.exit_code == 2) << run.result.exit_code;
  EXPECT_NE(Verdict(*run.report), "PASS");
  auto found = Findings(*run.report, "sources-disagree");
  ASSERT_FALSE(found.empty()) << Describe(*run.report);
  EXPECT_TRUE(Mentions(found[0], SampleAddress("spot_p2wsh"))) << found[0].subject << ": " << found[0].detail;
}

}  // namespace
}  // namespace segverify::testing
