// Contract vaults and tokens end to end (docs/DESIGN.md §Contract vaults and
// §Assets and tokens): the real `segverify attest` on Safes made from the OFFICIAL Safe 1.4.1
// contracts (npm @safe-global/safe-contracts 1.4.1, at safe-deployments' canonical addresses) on
// anvil with chain id 1, and the `sig verify` / `address inspect` contract rules on the same node.
//
// One world for the whole binary (tests/attest/vault_world.mjs: one anvil, every Safe, look-alike
// and token at one pinned block, one config per scenario), so this is registered as ONE ctest
// (tests/attest/tests.cmake) rather than one process per test. Expected values come from the
// fixture's own model of what it built (world.json: owners, modules, guard as it set them up) and
// from the rules applied by hand, never from segverify. Every scenario that writes a report is
// replayed from its evidence (`attest --replay`) and must give report.json byte for byte.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/attest/lying_front.h"
#include "tests/attest/sample_exchange_run.h"

namespace segverify::testing {
namespace {

// ---- the world --------------------------------------------------------------------------------------
class VaultWorld {
 public:
  VaultWorld() {
    launcher_ = std::make_unique<ChildProcess>(
        "node",
        std::vector<std::string>{SourcePath("tests/attest/vault_world.mjs"), "--out", dir_.File("world"),
                                 "--contracts-cache", BuildDir() + "/vaults-test-contracts.json"},
        true);
    const std::string line = launcher_->FirstLine(120000);
    if (line.rfind("READY ", 0) != 0) throw std::runtime_error("vault_world.mjs said \"" + line + "\", not READY");
    auto doc = ParseJsonFile(dir_.File("world/world.json"), JsonLimits{64u << 20, 64});
    if (!doc) throw std::runtime_error(doc.error().message);
    world_ = std::move(doc.value());
  }

  const JsonDocument& json() const { return *world_; }
  std::string Config(const std::string& scenario) const { return dir_.File("world/" + scenario + "/config.json"); }
  std::string Out(const std::string& name) const { return dir_.File("runs/" + name); }
  std::string url() const { return Text((*world_)["url"]); }
  std::uint64_t pin() const { return (*world_)["pin_block"].GetUint64(); }
  std::string message() const { return Text((*world_)["message"]); }

  const JsonValue& Entry(const std::string& id) const { return (*world_)["entries"][id.c_str()]; }
  std::string Address(const std::string& id) const { return Text(Entry(id)["address"]); }
  std::string KeyAddress(const std::string& party) const { return Text((*world_)["keys"][party.c_str()]["address"]); }
  std::string SafeContract(const std::string& name) const {
    return Text((*world_)["safe_contracts"][name.c_str()]["address"]);
  }
  std::vector<std::string> List(const std::string& id, const char* field) const {
    std::vector<std::string> out;
    for (const auto& v : Entry(id)[field].GetArray()) out.push_back(v.GetString());
    return out;
  }
  std::string Signature(const std::string& id) const {
    for (const auto& s : Entry(id)["signatures"].GetArray()) {
      if (Text(s["message"]) == message()) return Text(s["signature"]);
    }
    throw std::runtime_error(id + " has no signature of the message");
  }

  static std::string Text(const JsonValue& v) { return std::string(v.GetString(), v.GetStringLength()); }

 private:
  TempDir dir_;  // declared first: destroyed after the launcher has stopped
  std::unique_ptr<ChildProcess> launcher_;
  std::unique_ptr<JsonDocument> world_;
};

VaultWorld& World() {
  static VaultWorld world;  // started by the first test; stopped (and waited for) at exit
  return world;
}

// ---- running scenarios --------------------------------------------------------------------------------
std::string Describe(const JsonDocument& report) {
  std::string s;
  for (const auto& f : Findings(report)) s += "\n  " + f.severity + " " + f.check + " " + f.subject + ": " + f.detail;
  if (report.HasMember("errors") && report["errors"].IsArray()) {
    for (const auto& e : report["errors"].GetArray())
      s += std::string("\n  error: ") + (e.IsString() ? e.GetString() : "?");
  }
  return s;
}

// Attests `scenario`, then replays it from its evidence: same exit code, same report.json bytes.
AttestRun Attest(const std::string& scenario) {
  const std::string out = World().Out(scenario);
  AttestRun run = RunAttest({World().Config(scenario), "--out", out, "--quiet"});
  if (run.report) {
    AttestRun replay = RunAttest({World().Config(scenario), "--out", World().Out(scenario + "-replay"), "--replay",
                                  out + "/evidence", "--quiet"});
    EXPECT_EQ(replay.result.exit_code, run.result.exit_code) << scenario << " replay: " << replay.result.err;
    EXPECT_EQ(replay.report_text, run.report_text) << scenario << ": the replay's report.json differs";
  }
  return run;
}

std::vector<ReportFinding> ErrorFindings(const JsonDocument& report) {
  std::vector<ReportFinding> out;
  for (const auto& f : Findings(report)) {
    if (f.severity == "error") out.push_back(f);
  }
  return out;
}

void ExpectPass(const AttestRun& run) {
  ASSERT_TRUE(run.report) << run.result.err;
  EXPECT_EQ(run.result.exit_code, 0) << run.result.err << Describe(*run.report);
  EXPECT_EQ(Verdict(*run.report), "PASS") << Describe(*run.report);
  EXPECT_TRUE(ErrorFindings(*run.report).empty()) << Describe(*run.report);
}

// FAIL with exactly one error finding, of `check`, about `subject`; returns its detail.
std::string ExpectOnlyError(const AttestRun& run, const std::string& check, const std::string& subject) {
  if (!run.report) {
    ADD_FAILURE() << "no report.json: " << run.result.err;
    return "";
  }
  EXPECT_EQ(run.result.exit_code, 1) << run.result.err << Describe(*run.report);
  EXPECT_EQ(Verdict(*run.report), "FAIL") << Describe(*run.report);
  auto errors = ErrorFindings(*run.report);
  if (errors.size() != 1) {
    ADD_FAILURE() << "expected one error finding (" << check << "):" << Describe(*run.report);
    return "";
  }
  EXPECT_EQ(errors[0].check, check) << Describe(*run.report);
  EXPECT_EQ(errors[0].subject, subject) << Describe(*run.report);
  return errors[0].detail;
}

// Could not check: exit 2, a report with verdict ERROR whose errors mention every `needle`.
void ExpectCannotCheck(const AttestRun& run, const std::vector<std::string>& needles) {
  ASSERT_TRUE(run.report) << run.result.err;
  EXPECT_EQ(run.result.exit_code, 2) << run.result.err;
  EXPECT_EQ(Verdict(*run.report), "ERROR") << Describe(*run.report);
  const std::string described = Describe(*run.report);
  for (const auto& needle : needles)
    EXPECT_NE(described.find(needle), std::string::npos) << needle << " in" << described;
}

// The only pool address's report entry.
const JsonValue& PoolAddress(const JsonDocument& report) { return report["pools"][0]["addresses"][0]; }

std::vector<std::string> Strings(const JsonValue& array) {
  std::vector<std::string> out;
  for (const auto& v : array.GetArray()) out.push_back(v.GetString());
  return out;
}

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// ---- vaults -----------------------------------------------------------------------------------------
// One firm owner (known only from firm.keys) of a Safe 2-of-3 beside two custodians: segregated.
TEST(VaultScenario, SegregatedSafeWithOneFirmOwnerPassesWithAnInfoFinding) {
  AttestRun run = Attest("segregated");
  ExpectPass(run);
  ASSERT_TRUE(run.report);
  const std::string safe = World().Address("segregated");
  const std::string firm_cold = World().KeyAddress("key:firm-cold");
  bool info = false;
  for (const auto& f : Findings(*run.report, "shared-key")) {
    info = info || (f.severity == "info" && f.subject == safe && Contains(f.detail, firm_cold));
  }
  EXPECT_TRUE(info) << Describe(*run.report);
  const JsonValue& address = PoolAddress(*run.report);
  EXPECT_EQ(VaultWorld::Text(address["address"]), safe);
  EXPECT_EQ(VaultWorld::Text(address["type"]), "contract");
  EXPECT_EQ(VaultWorld::Text(address["ownership"]), "valid");
  const JsonValue& vault = address["vault"];
  EXPECT_EQ(VaultWorld::Text(vault["kind"]), "safe");
  EXPECT_EQ(VaultWorld::Text(vault["version"]), "1.4.1");
  EXPECT_EQ(VaultWorld::Text(vault["singleton"]), World().SafeContract("Safe"));
  EXPECT_EQ(Strings(vault["owners"]), World().List("segregated", "owners"));
  EXPECT_EQ(vault["threshold"].GetUint64(), 2u);
  EXPECT_TRUE(Strings(vault["modules"]).empty());
  EXPECT_EQ(Strings(vault["firm_owners"]), std::vector<std::string>{firm_cold});
  EXPECT_TRUE(Strings(vault["contract_owners"]).empty());
  EXPECT_TRUE(vault["guard"].IsNull());
  EXPECT_EQ(VaultWorld::Text(vault["fallback_handler"]), World().SafeContract("CompatibilityFallbackHandler"));
  EXPECT_EQ(VaultWorld::Text(vault["fallback_handler_check"]), "official");
  // Its setup: the block of its createProxyWithNonce (the fixture's own record), no initializer,
  // read from an older block than the pin, so an agreed read.
  const JsonValue& setup = vault["setup"];
  ASSERT_TRUE(setup.IsObject()) << Describe(*run.report);
  EXPECT_EQ(setup["block"].GetUint64(), World().Entry("segregated")["setup_block"].GetUint64());
  EXPECT_TRUE(setup["initializer"].IsNull());
  EXPECT_EQ(VaultWorld::Text(setup["check"]), "no-initializer");
  EXPECT_EQ(VaultWorld::Text(setup["reads"]), "agreed");
  // The firm's own Safe is a firm contract: its vault object is reported, never judged.
  const JsonValue& firm_safe = (*run.report)["firm"]["addresses"][1];
  EXPECT_EQ(VaultWorld::Text(firm_safe["address"]), World().Address("firm_safe"));
  EXPECT_EQ(VaultWorld::Text(firm_safe["vault"]["kind"]), "safe");
  EXPECT_EQ(Strings(firm_safe["vault"]["firm_owners"]), std::vector<std::string>{World().KeyAddress("key:firm-hot")});
  EXPECT_EQ(VaultWorld::Text((*run.report)["firm"]["addresses"][0]["type"]), "eoa");
  // report.html says the policy in words.
  EXPECT_TRUE(Contains(ReadFile(World().Out("segregated") + "/report.html"),
                       "Safe 1.4.1, 2 of 3 owners, 1 firm owner, no modules"));
}

TEST(VaultScenario, FirmOwnersAtTheThresholdFail) {
  AttestRun run = Attest("firm-control");
  const std::string detail = ExpectOnlyError(run, "firm-control", World().Address("firm_control"));
  EXPECT_TRUE(Contains(detail, World().KeyAddress("key:firm-hot")) &&
              Contains(detail, World().KeyAddress("key:firm-cold")))
      << detail;
  ASSERT_TRUE(run.report);
  EXPECT_EQ(Strings(PoolAddress(*run.report)["vault"]["firm_owners"]).size(), 2u);
}

TEST(VaultScenario, OneOfOneFirmSafeFails) {
  AttestRun run = Attest("firm-1of1");
  ExpectOnlyError(run, "firm-control", World().Address("firm_1of1"));
}

// The owner is the account of the negation of firm-hot's key (n - d): not a configured firm address,
// but the key recovered from firm-hot's EIP-191 signature has that x-coordinate.
TEST(VaultScenario, FirmKeyRecoveredFromASignatureCountsWithBothParities) {
  const std::vector<std::string> owners = World().List("firm_negated_key", "owners");
  ASSERT_EQ(owners.size(), 1u);
  ASSERT_NE(owners[0], World().KeyAddress("key:firm-hot"));
  AttestRun run = Attest("firm-negated-key");
  const std::string detail = ExpectOnlyError(run, "firm-control", World().Address("firm_negated_key"));
  EXPECT_TRUE(Contains(detail, owners[0])) << detail;
}

TEST(VaultScenario, ModuleEnabledBeforeThePinIsNoPass) {
  AttestRun run = Attest("module-before-pin");
  const std::string module = World().KeyAddress("key:module");
  const std::string detail = ExpectOnlyError(run, "vault-module", World().Address("module_before"));
  EXPECT_TRUE(Contains(detail, module)) << detail;
  ASSERT_TRUE(run.report);
  EXPECT_EQ(Strings(PoolAddress(*run.report)["vault"]["modules"]), std::vector<std::string>{module});
}

// The module arrives after the pin and takes 1.9 of the 2 ETH: the state AT the pin is judged
// (agreed reads: what the node answers for the pinned hash).
TEST(VaultScenario, ModuleEnabledOnlyAfterThePinPasses) {
  const JsonValue& after = World().Entry("module_after")["after_pin"];
  ASSERT_TRUE(after.IsObject());
  ASSERT_EQ(after["modules"].Size(), 1u);  // the fixture did enable it, after the pin
  AttestRun run = Attest("module-after-pin");
  ExpectPass(run);
  ASSERT_TRUE(run.report);
  EXPECT_TRUE(Strings(PoolAddress(*run.report)["vault"]["modules"]).empty());
  EXPECT_EQ(VaultWorld::Text(PoolAddress(*run.report)["balances"]["ETH"]), "2");
  EXPECT_EQ(VaultWorld::Text((*run.report)["chains"]["ethereum"]["reads"]), "agreed");
}

// The same world under proven reads: anvil proves its LATEST state whatever block hash it is
// asked for, so its account proofs do not hash to the pinned header's stateRoot. That is a node
// answering from "latest", and nothing it says may count: could not check, never a PASS.
TEST(VaultScenario, ANodeProvingItsLatestStateIsRefused) {
  AttestRun run = Attest("module-after-pin-proven");
  ASSERT_TRUE(run.report) << run.result.err;
  EXPECT_EQ(run.result.exit_code, 2) << run.result.err;
  EXPECT_EQ(Verdict(*run.report), "ERROR") << Describe(*run.report);
  bool mismatch = false;
  for (const auto& p : (*run.report)["problems"].GetArray()) {
    mismatch = mismatch || VaultWorld::Text(p["kind"]) == "proof-mismatch";
  }
  EXPECT_TRUE(mismatch) << run.result.err;
  EXPECT_TRUE(Contains(run.result.err, "does not hash to")) << run.result.err;
}

// The segregated Safe's ERC-1271 proof signed by two keys that own nothing. The Safe itself says
// invalid. A provider that answers "valid" to every isValidSignature cannot change that under
// proven reads: a recognized Safe's signatures are checked against its proven owners and
// threshold, never asked of the provider.
TEST(VaultScenario, ForgedSafeSignatureStaysInvalidBehindAProviderThatSaysValid) {
  const std::string safe = World().Address("segregated");
  ExpectOnlyError(Attest("forged-erc1271"), "ownership", safe);
  LyingFront liar(World().url(), "erc1271");
  std::string config = ReadFile(World().Config("forged-erc1271"));
  const std::string honest = "\"" + World().url() + "\"";
  ASSERT_NE(config.find(honest), std::string::npos);
  config.replace(config.find(honest), honest.size(), "\"" + liar.url() + "\"");
  const std::string lied_config = World().Config("forged-erc1271") + ".liar.json";
  WriteFile(lied_config, config);
  AttestRun lied = RunAttest({lied_config, "--out", World().Out("forged-erc1271-liar"), "--quiet"});
  const std::string detail = ExpectOnlyError(lied, "ownership", safe);
  EXPECT_TRUE(Contains(detail, "not an owner")) << detail;
}

// 20 modules: two pages of getModulesPaginated on the official contract, every module listed in
// the Safe's own order (newest first, as the fixture enabled them).
TEST(VaultScenario, EveryModulePageIsRead) {
  const std::vector<std::string> modules = World().List("many_modules", "modules");
  ASSERT_EQ(modules.size(), 20u);
  AttestRun run = Attest("many-modules");
  ExpectOnlyError(run, "vault-module", World().Address("many_modules"));
  ASSERT_TRUE(run.report);
  EXPECT_EQ(Strings(PoolAddress(*run.report)["vault"]["modules"]), modules);
}

TEST(VaultScenario, GuardIsShownAsInfo) {
  AttestRun run = Attest("guard");
  ExpectPass(run);
  ASSERT_TRUE(run.report);
  const std::string guard = World().SafeContract("DebugTransactionGuard");
  EXPECT_EQ(VaultWorld::Text(PoolAddress(*run.report)["vault"]["guard"]), guard);
  bool info = false;
  for (const auto& f : Findings(*run.report, "vault-guard"))
    info = info || (f.severity == "info" && Contains(f.detail, guard));
  EXPECT_TRUE(info) << Describe(*run.report);
}

// Answers like a Safe (getters, any signature accepted) but its code is not canonical.
TEST(VaultScenario, SafeImitationIsNoPass) {
  AttestRun run = Attest("imitation");
  ExpectOnlyError(run, "vault-unverified", World().Address("imitation"));
  ASSERT_TRUE(run.report);
  EXPECT_EQ(VaultWorld::Text(PoolAddress(*run.report)["vault"]["kind"]), "unknown");
  EXPECT_EQ(VaultWorld::Text(PoolAddress(*run.report)["ownership"]), "valid");  // its signature check says yes
}

// A real SafeProxy, made by the official factory, in front of a non-canonical singleton.
TEST(VaultScenario, RealProxyOverANonCanonicalSingletonIsNoPass) {
  const JsonValue& proxy = World().Entry("fake_singleton");
  ASSERT_EQ(VaultWorld::Text(proxy["proxy_code_hash"]),
            VaultWorld::Text(World().json()["safe_contracts"]["SafeProxy"]["code_hash"]));
  AttestRun run = Attest("fake-singleton");
  const std::string detail = ExpectOnlyError(run, "vault-unverified", World().Address("fake_singleton"));
  EXPECT_TRUE(Contains(detail, World().Address("imitation"))) << detail;
  ASSERT_TRUE(run.report);
  EXPECT_EQ(VaultWorld::Text(PoolAddress(*run.report)["vault"]["kind"]), "unknown");
}

// An owner that is itself a contract could be anyone's: with one firm owner it meets the threshold.
TEST(VaultScenario, ContractOwnerWithAFirmOwnerAtTheThresholdIsUnverified) {
  AttestRun run = Attest("contract-owner-with-firm");
  const std::string detail = ExpectOnlyError(run, "vault-unverified", World().Address("contract_owner_firm"));
  EXPECT_TRUE(Contains(detail, World().Address("segregated"))) << detail;
  ASSERT_TRUE(run.report);
  const JsonValue& vault = PoolAddress(*run.report)["vault"];
  EXPECT_EQ(Strings(vault["contract_owners"]), std::vector<std::string>{World().Address("segregated")});
  EXPECT_EQ(Strings(vault["firm_owners"]), std::vector<std::string>{World().KeyAddress("key:firm-hot")});
}

// ---- backdoors (tests/support/contracts/SafeBackdoors.sol) ----------------------------------------------------
// Custodians own the Safe, but its fallback handler says "valid" to any ERC-1271 question: whoever
// picked it signs for the Safe (permits, Permit2). Its code is no official handler's.
TEST(VaultScenario, RogueFallbackHandlerIsUnverified) {
  AttestRun run = Attest("rogue-handler");
  const std::string handler = World().Address("rogue_handler");
  const std::string detail = ExpectOnlyError(run, "vault-unverified", World().Address("rogue_handler_safe"));
  EXPECT_TRUE(Contains(detail, handler) && Contains(detail, "fallback handler")) << detail;
  ASSERT_TRUE(run.report);
  const JsonValue& vault = PoolAddress(*run.report)["vault"];
  EXPECT_EQ(VaultWorld::Text(vault["fallback_handler"]), handler);
  EXPECT_EQ(VaultWorld::Text(vault["fallback_handler_check"]), "unofficial");
}

// setup() delegatecalled EntryPlanter, which wrote owners[backdoor] and modules[backdoor]: no list
// shows them, and the backdoor is no firm address; the setup's initializer gives it away.
TEST(VaultScenario, SetupThatDelegatecallsAnUnknownContractIsUnverified) {
  const std::string planter = World().Address("planter");
  ASSERT_EQ(VaultWorld::Text(World().Entry("setup_plant")["initializer"]), planter);
  AttestRun run = Attest("setup-plant");
  const std::string detail = ExpectOnlyError(run, "vault-unverified", World().Address("setup_plant"));
  EXPECT_TRUE(Contains(detail, planter) && Contains(detail, "setup")) << detail;
  ASSERT_TRUE(run.report);
  const JsonValue& vault = PoolAddress(*run.report)["vault"];
  EXPECT_EQ(Strings(vault["owners"]), World().List("setup_plant", "owners"));  // the backdoor is in no list
  EXPECT_TRUE(Strings(vault["modules"]).empty());
  const JsonValue& setup = vault["setup"];
  EXPECT_EQ(setup["block"].GetUint64(), World().Entry("setup_plant")["setup_block"].GetUint64());
  EXPECT_EQ(VaultWorld::Text(setup["initializer"]), planter);
  EXPECT_EQ(VaultWorld::Text(setup["check"]), "unofficial-initializer");
}

// A delegatecall the owners signed after setup wrote owners[firm-hot] of a 1-of-2: getOwners()
// shows two custodians, but the Safe accepts firm-hot's signature alone.
TEST(VaultScenario, FirmOwnerWrittenOffTheListControlsTheSafe) {
  const std::string firm_hot = World().KeyAddress("key:firm-hot");
  AttestRun run = Attest("later-owner");
  const std::string detail = ExpectOnlyError(run, "firm-control", World().Address("later_owner"));
  EXPECT_TRUE(Contains(detail, firm_hot) && Contains(detail, "not in getOwners()")) << detail;
  ASSERT_TRUE(run.report);
  const JsonValue& vault = PoolAddress(*run.report)["vault"];
  EXPECT_EQ(Strings(vault["owners"]), World().List("later_owner", "owners"));
  EXPECT_EQ(Strings(vault["firm_owners"]), std::vector<std::string>{firm_hot});
}

// The same, writing modules[firm-hot]: getModulesPaginated shows none, but firm-hot can
// execTransactionFromModule.
TEST(VaultScenario, FirmModuleWrittenOffTheListIsAModule) {
  const std::string firm_hot = World().KeyAddress("key:firm-hot");
  ASSERT_TRUE(World().List("later_module", "modules").empty());
  AttestRun run = Attest("later-module");
  const std::string detail = ExpectOnlyError(run, "vault-module", World().Address("later_module"));
  EXPECT_TRUE(Contains(detail, firm_hot) && Contains(detail, "not in getModulesPaginated")) << detail;
  ASSERT_TRUE(run.report);
  EXPECT_EQ(Strings(PoolAddress(*run.report)["vault"]["modules"]), std::vector<std::string>{firm_hot});
}

TEST(VaultScenario, ContractOwnerBelowTheThresholdPasses) {
  AttestRun run = Attest("contract-owner");
  ExpectPass(run);
  ASSERT_TRUE(run.report);
  EXPECT_EQ(Strings(PoolAddress(*run.report)["vault"]["contract_owners"]),
            std::vector<std::string>{World().Address("segregated")});
}

TEST(VaultScenario, Eip191ProofForAContractIsInvalid) {
  AttestRun run = Attest("eip191-for-contract");
  const std::string detail = ExpectOnlyError(run, "ownership", World().Address("segregated"));
  EXPECT_TRUE(Contains(detail, "has code")) << detail;
}

TEST(VaultScenario, Erc1271ProofForAnEoaIsInvalid) {
  AttestRun run = Attest("erc1271-for-eoa");
  const std::string detail = ExpectOnlyError(run, "ownership", World().KeyAddress("key:pool-eoa"));
  EXPECT_TRUE(Contains(detail, "no code")) << detail;
}

// ---- tokens -----------------------------------------------------------------------------------------
TEST(TokenScenario, RightDecimalsPass) {
  AttestRun run = Attest("decimals-right");
  ExpectPass(run);
  ASSERT_TRUE(run.report);
  const JsonValue* tok = PoolAsset(*run.report, "vaults", "TOK");
  ASSERT_NE(tok, nullptr);
  EXPECT_EQ(VaultWorld::Text((*tok)["reserves"]), "5");  // 5 * 10^18 base units minted, 18 decimals
}

// An 18-decimal token declared with 6: 10^12 times too much would be counted.
TEST(TokenScenario, WrongDecimalsAreNoPass) {
  AttestRun run = Attest("decimals-wrong");
  const std::string detail = ExpectOnlyError(run, "token-decimals", World().Address("tok18"));
  EXPECT_TRUE(Contains(detail, "18") && Contains(detail, "6")) << detail;
}

TEST(TokenScenario, OneContractUnderTwoSymbolsIsAConfigError) {
  AttestRun run = Attest("duplicate-contract");
  EXPECT_EQ(run.result.exit_code, 2);
  EXPECT_FALSE(run.report);
  EXPECT_TRUE(Contains(run.result.err, "assets[1].contract") && Contains(run.result.err, "TOK")) << run.result.err;
}

TEST(TokenScenario, SecondNativeAssetIsAConfigError) {
  AttestRun run = Attest("second-native");
  EXPECT_EQ(run.result.exit_code, 2);
  EXPECT_FALSE(run.report);
  EXPECT_TRUE(Contains(run.result.err, "native")) << run.result.err;
}

// Two balances of 2^127: the sum cannot be represented. Could not check — never a FAIL.
TEST(TokenScenario, ReservesPast2To128AreCouldNotCheck) {
  AttestRun run = Attest("reserves-overflow");
  ExpectCannotCheck(run, {"BIG", "reserves", "2^128-1"});
  ASSERT_TRUE(run.report);
  const JsonValue* big = PoolAsset(*run.report, "vaults", "BIG");
  ASSERT_NE(big, nullptr);
  EXPECT_TRUE((*big)["reserves"].IsNull());
  EXPECT_TRUE((*big)["covered"].IsNull());
}

TEST(TokenScenario, LiabilitiesPast2To128AreCouldNotCheck) {
  AttestRun run = Attest("liabilities-overflow");
  ExpectCannotCheck(run, {"BIG", "2^128-1"});
}

// ---- the command line on the same node ------------------------------------------------------------------
std::vector<std::string> SigArgs(const std::string& address, const std::string& signature) {
  return {"sig",   "verify",    "--chain",         "ethereum",    "--address",
          address, "--message", World().message(), "--signature", signature};
}

std::vector<std::string> With(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

TEST(VaultCli, SigVerifyOfAContractNeedsANode) {
  const std::vector<std::string> rpc = {"--rpc", World().url(), "--block", std::to_string(World().pin())};
  for (const std::string id : {"segregated", "firm_1of1"}) {  // a 130-byte and a 65-byte Safe signature
    SCOPED_TRACE(id);
    const auto args = SigArgs(World().Address(id), World().Signature(id));
    CommandResult offline = RunSegverify(args);
    EXPECT_EQ(offline.exit_code, 2) << offline.out << offline.err;
    EXPECT_TRUE(Contains(offline.err, "needs a node") && Contains(offline.err, "--rpc")) << offline.err;
    CommandResult detected = RunSegverify(With(args, rpc));
    EXPECT_EQ(detected.exit_code, 0) << detected.out << detected.err;
    CommandResult as_eoa = RunSegverify(With(args, With(rpc, {"--type", "eip191"})));
    EXPECT_EQ(as_eoa.exit_code, 1) << as_eoa.out << as_eoa.err;
    EXPECT_TRUE(Contains(as_eoa.out, "has code")) << as_eoa.out;
  }
}

TEST(VaultCli, AddressInspectTellsContractFromEoaOnlyWithANode) {
  const std::string safe = World().Address("segregated");
  const std::string eoa = World().KeyAddress("key:pool-eoa");
  const std::string block = std::to_string(World().pin());
  CommandResult offline = RunSegverify({"address", "inspect", "--chain", "ethereum", safe});
  EXPECT_EQ(offline.exit_code, 0);
  EXPECT_TRUE(Contains(offline.out, "type: unknown") && Contains(offline.out, "cannot tell")) << offline.out;
  CommandResult contract =
      RunSegverify({"address", "inspect", "--chain", "ethereum", "--rpc", World().url(), "--json", safe});
  EXPECT_EQ(contract.exit_code, 0) << contract.err;
  EXPECT_TRUE(Contains(contract.out, "\"type\":\"contract\"")) << contract.out;
  CommandResult account =
      RunSegverify({"address", "inspect", "--chain", "ethereum", "--rpc", World().url(), "--block", block, eoa});
  EXPECT_EQ(account.exit_code, 0) << account.err;
  EXPECT_TRUE(Contains(account.out, "type: eoa") && Contains(account.out, "block: " + block)) << account.out;
  // Before the Safe was created, its address had no code.
  CommandResult before =
      RunSegverify({"address", "inspect", "--chain", "ethereum", "--rpc", World().url(), "--block", "0", safe});
  EXPECT_TRUE(Contains(before.out, "type: eoa")) << before.out;
}

}  // namespace
}  // namespace segverify::testing
