// The contract-vault rules as pure functions (verifier/attest/vault_policy.h) and the policy in
// words (verifier/report/vault_words.h). Code hashes are those of docs/DESIGN.md
// §Contract vaults, which @safe-global/safe-deployments 1.37.56 lists; key-to-account vectors are
// the well-known account of private key 1 and ethers 6.17.0's `new Wallet(n - 1).address`.
#include "verifier/attest/vault_policy.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "common/hashes.h"
#include "verifier/report/vault_words.h"

namespace segverify::attest {
namespace {

using report::Finding;
using report::Severity;

Hash256 HashOf(const std::string& hex) {
  Hash256 h{};
  EXPECT_TRUE(FromHexExact(hex.substr(2), h)) << hex;
  return h;
}

// 0x00…0<n>, n > 1. Their EIP-55 forms below are ethers 6.17.0 getAddress's.
EthAddress Addr(unsigned n) {
  EthAddress a{};
  a[18] = static_cast<std::uint8_t>(n >> 8);
  a[19] = static_cast<std::uint8_t>(n);
  return a;
}

const Hash256 kProxy130 = HashOf("0xb89c1b3bdf2cf8827818646bce9a8f6e372885f8c55e5c07acbd307cb133b000");
const Hash256 kProxy141 = HashOf("0xd7d408ebcd99b2b70be43e20253d6d92a8ea8fab29bd3be7f55b10032331fb4c");
const Hash256 kSafe130 = HashOf("0xbba688fbdb21ad2bb58bc320638b43d94e7d100f6f3ebaab0a4e4de6304b1c2e");
const Hash256 kSafeL2130 = HashOf("0x21842597390c4c6e3c1239e434a682b054bd9548eee5e9b1d6a4482731023c0f");
const Hash256 kSafe141 = HashOf("0x1fe2df852ba3299d6534ef416eefa406e56ced995bca886ab7a553e6d0c5e1c4");
const Hash256 kSafeL2141 = HashOf("0xb1f926978a0f44a2c0ec8fe822418ae969bd8c3f18d61e5103100339894f81ff");
// safe-deployments' zkSync SafeL2 1.4.1: another VM's code, not an EVM singleton.
const Hash256 kZkSyncSafeL2141 = HashOf("0x520462ebe1156cd2d37b1d470c57f23e12fe0c4cda4c62502d96e03fa0cb44da");

// safe-deployments 1.37.56: CompatibilityFallbackHandler 1.3.0 and 1.4.1, SafeToL2Setup 1.4.1
// (dist/assets/v1.3.0/compatibility_fallback_handler.json, v1.4.1/compatibility_fallback_handler.json,
// v1.4.1/safe_to_l2_setup.json); MultiSend 1.4.1 (v1.4.1/multi_send.json) is official but no setup helper.
const Hash256 kHandler130 = HashOf("0x03e69f7ce809e81687c69b19a7d7cca45b6d551ffdec73d9bb87178476de1abf");
const Hash256 kHandler141 = HashOf("0x7c6007a5d711cea8dfd5d91f5940ec29c7f200fe511eb1fc1397b367af3c42f9");
const Hash256 kSafeToL2Setup141 = HashOf("0x2f25df28caf984366ee584e13241707e85dcd5a6ea0c14267928dafc1fd6274b");
const Hash256 kMultiSend141 = HashOf("0x0e4f7fc66550a322d1e7688e181b75e217e662a4f3f4d6a29b22bc61217c4b77");

const EthAddress kA = Addr(0xa), kB = Addr(0xb), kC = Addr(0xc), kModule = Addr(0x30d), kGuard = Addr(0x6a2d);

ContractFacts Safe141(std::vector<EthAddress> owners, std::uint64_t threshold) {
  ContractFacts facts;
  facts.code_hash = kProxy141;
  facts.singleton = Addr(0x5a);
  facts.singleton_code_hash = kSafe141;
  SafePolicy policy;
  policy.owners = std::move(owners);
  policy.threshold = threshold;
  policy.fallback_handler = Addr(0xfb);
  policy.fallback_handler_code_hash = kHandler141;
  policy.setup = SafeSetupFacts{7, {EthAddress{}}, std::nullopt};  // set up in block 7, no initializer
  facts.policy = policy;
  return facts;
}

std::vector<std::string> Checks(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(std::string(ToString(f.check)) + (f.severity == Severity::kError ? "/error" : "/info"));
  return out;
}

VaultAssessment AssessPool(const ContractFacts& facts, const std::set<EthAddress>& firm) {
  return AssessVault(facts, firm, "0xVAULT", std::string("spot"));
}

TEST(VaultRecognition, OfficialProxiesAndCanonicalSingletonsOnly) {
  EXPECT_EQ(SafeProxyVersion(kProxy130), std::optional<std::string_view>("1.3.0"));
  EXPECT_EQ(SafeProxyVersion(kProxy141), std::optional<std::string_view>("1.4.1"));
  EXPECT_FALSE(SafeProxyVersion(kSafe141));
  EXPECT_FALSE(SafeProxyVersion(Hash256{}));
  struct Case {
    Hash256 hash;
    const char* version;
    bool l2;
  };
  for (const Case& c : {Case{kSafe130, "1.3.0", false}, Case{kSafeL2130, "1.3.0", true}, Case{kSafe141, "1.4.1", false},
                        Case{kSafeL2141, "1.4.1", true}}) {
    auto singleton = CanonicalSafeSingleton(c.hash);
    ASSERT_TRUE(singleton);
    EXPECT_EQ(singleton->version, c.version);
    EXPECT_EQ(singleton->l2, c.l2);
  }
  EXPECT_FALSE(CanonicalSafeSingleton(kZkSyncSafeL2141));
  EXPECT_FALSE(CanonicalSafeSingleton(kProxy141));
}

TEST(VaultFirmAddresses, ConfigAddressesAndBothAccountsOfEveryKey) {
  // Private key 1: its public key is G. Its account and that of n - 1 (same x, other y).
  const EthAddress key_one = *ParseEthAddressHex("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
  const EthAddress minus_one = *ParseEthAddressHex("0x80C0dbf239224071c59dD8970ab9d542E3414aB2");
  const std::string gx = "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
  const std::string gy = "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8";
  for (const std::string& key : {"02" + gx, "03" + gx, "04" + gx + gy, gx}) {
    SCOPED_TRACE(key);
    EXPECT_EQ(FirmEthereumAddresses({}, {*FromHex(key)}), (std::set<EthAddress>{key_one, minus_one}));
  }
  EXPECT_EQ(FirmEthereumAddresses({kA}, {*FromHex("02" + gx)}), (std::set<EthAddress>{kA, key_one, minus_one}));
  Bytes beyond_p(33, 0xff);  // x >= the field size: not a point, skipped
  beyond_p[0] = 2;
  EXPECT_EQ(FirmEthereumAddresses({kA}, {beyond_p}), std::set<EthAddress>{kA});
}

TEST(VaultPolicy, OneFirmOwnerOfTwoOfThreeIsInfo) {
  auto out = AssessPool(Safe141({kA, kB, kC}, 2), {kA});
  EXPECT_EQ(Checks(out.findings), std::vector<std::string>{"shared-key/info"});
  EXPECT_EQ(out.findings[0].subject, "0xVAULT");
  EXPECT_NE(out.findings[0].detail.find("pool spot"), std::string::npos) << out.findings[0].detail;
  const report::VaultReport& v = out.vault;
  EXPECT_EQ(v.kind, "safe");
  EXPECT_EQ(v.version, "1.4.1");
  EXPECT_EQ(v.singleton, "0x000000000000000000000000000000000000005a");
  EXPECT_EQ(v.owners, (std::vector<std::string>{"0x000000000000000000000000000000000000000A",
                                                "0x000000000000000000000000000000000000000b",
                                                "0x000000000000000000000000000000000000000C"}));
  EXPECT_EQ(v.threshold, 2u);
  EXPECT_EQ(v.firm_owners, std::vector<std::string>{"0x000000000000000000000000000000000000000A"});
  EXPECT_TRUE(v.modules.empty());
  EXPECT_TRUE(v.contract_owners.empty());
  EXPECT_FALSE(v.guard);
  EXPECT_EQ(v.fallback_handler, std::optional<std::string>("0x00000000000000000000000000000000000000fb"));
}

TEST(VaultPolicy, NoFirmOwnerNoFinding) { EXPECT_TRUE(AssessPool(Safe141({kA, kB, kC}, 2), {}).findings.empty()); }

TEST(VaultPolicy, FirmOwnersMeetingTheThresholdAreFirmControl) {
  EXPECT_EQ(Checks(AssessPool(Safe141({kA, kB, kC}, 2), {kA, kB}).findings),
            std::vector<std::string>{"firm-control/error"});
  EXPECT_EQ(Checks(AssessPool(Safe141({kA}, 1), {kA}).findings), std::vector<std::string>{"firm-control/error"});
  EXPECT_EQ(Checks(AssessPool(Safe141({kA, kB, kC}, 3), {kA, kB, kC}).findings),
            std::vector<std::string>{"firm-control/error"});
  // Two of three firm owners under a 3-of-3: below the threshold.
  EXPECT_EQ(Checks(AssessPool(Safe141({kA, kB, kC}, 3), {kA, kB}).findings),
            std::vector<std::string>{"shared-key/info"});
}

TEST(VaultPolicy, ContractOwnersCountWithFirmOwners) {
  ContractFacts facts = Safe141({kA, kB, kC}, 2);
  facts.policy->contract_owners = {kB};
  auto with_firm = AssessPool(facts, {kA});
  EXPECT_EQ(Checks(with_firm.findings), (std::vector<std::string>{"vault-unverified/error", "shared-key/info"}));
  EXPECT_EQ(with_firm.vault.contract_owners, std::vector<std::string>{"0x000000000000000000000000000000000000000b"});
  EXPECT_TRUE(AssessPool(facts, {}).findings.empty());  // one contract owner alone is below 2
  facts.policy->contract_owners = {kB, kC};
  EXPECT_EQ(Checks(AssessPool(facts, {}).findings), std::vector<std::string>{"vault-unverified/error"});
  // A contract owner that is a firm address is a firm owner.
  facts.policy->contract_owners = {kB};
  auto firm_contract = AssessPool(facts, {kA, kB});
  EXPECT_EQ(Checks(firm_contract.findings), std::vector<std::string>{"firm-control/error"});
  EXPECT_TRUE(firm_contract.vault.contract_owners.empty());
}

TEST(VaultPolicy, ModulesAreErrorsAndAGuardIsInfo) {
  ContractFacts facts = Safe141({kA, kB, kC}, 2);
  facts.policy->modules = {kModule};
  facts.policy->guard = kGuard;
  auto out = AssessPool(facts, {});
  EXPECT_EQ(Checks(out.findings), (std::vector<std::string>{"vault-module/error", "vault-guard/info"}));
  EXPECT_NE(out.findings[0].detail.find("0x000000000000000000000000000000000000030D"), std::string::npos)
      << out.findings[0].detail;
  EXPECT_EQ(out.vault.modules, std::vector<std::string>{"0x000000000000000000000000000000000000030D"});
  EXPECT_EQ(out.vault.guard, std::optional<std::string>("0x0000000000000000000000000000000000006A2D"));
}

TEST(VaultPolicy, AnythingButACanonicalSafeIsUnverified) {
  ContractFacts other = Safe141({kA, kB, kC}, 2);
  other.code_hash = kSafe141;  // the singleton's own code, not a proxy: recognition is by hash, not by layout
  ContractFacts bad_singleton = Safe141({kA, kB, kC}, 2);
  bad_singleton.singleton_code_hash = kZkSyncSafeL2141;
  ContractFacts unread_singleton = Safe141({kA, kB, kC}, 2);
  unread_singleton.singleton_code_hash.reset();
  ContractFacts unread_policy = Safe141({kA, kB, kC}, 2);
  unread_policy.policy.reset();
  for (const ContractFacts* facts : {&other, &bad_singleton, &unread_singleton, &unread_policy}) {
    auto out = AssessPool(*facts, {});
    EXPECT_EQ(Checks(out.findings), std::vector<std::string>{"vault-unverified/error"});
    EXPECT_EQ(out.vault.kind, "unknown");
  }
  EXPECT_NE(AssessPool(bad_singleton, {}).findings[0].detail.find("0x000000000000000000000000000000000000005a"),
            std::string::npos);
}

// A proxy never set up (no owners, threshold 0) can be taken by whoever calls setup() first.
TEST(VaultPolicy, ImpossibleSafeStatesAreUnverified) {
  for (const ContractFacts& facts : {Safe141({}, 0), Safe141({kA}, 0), Safe141({kA, kB}, 3)}) {
    EXPECT_EQ(Checks(AssessPool(facts, {}).findings), std::vector<std::string>{"vault-unverified/error"});
  }
}

TEST(VaultPolicy, Safe130IsRecognizedToo) {
  ContractFacts facts = Safe141({kA, kB}, 1);
  facts.code_hash = kProxy130;
  facts.singleton_code_hash = kSafeL2130;
  auto out = AssessPool(facts, {});
  EXPECT_EQ(out.vault.kind, "safe");
  EXPECT_EQ(out.vault.version, "1.3.0");
}

TEST(VaultPolicy, FirmContractsAreReportedNotJudged) {
  auto out = AssessVault(Safe141({kA}, 1), {kA}, "0xFIRM", std::nullopt);
  EXPECT_TRUE(out.findings.empty());
  EXPECT_EQ(out.vault.firm_owners.size(), 1u);
  ContractFacts unknown;
  unknown.code_hash = kSafe141;
  EXPECT_TRUE(AssessVault(unknown, {}, "0xFIRM", std::nullopt).findings.empty());
}

TEST(VaultWords, PolicyInOneSentence) {
  auto words = [](const ContractFacts& facts, const std::set<EthAddress>& firm) {
    return report::VaultPolicyInWords(AssessPool(facts, firm).vault);
  };
  EXPECT_EQ(words(Safe141({kA, kB, kC}, 2), {kA}), "Safe 1.4.1, 2 of 3 owners, 1 firm owner, no modules");
  EXPECT_EQ(words(Safe141({kA}, 1), {}), "Safe 1.4.1, 1 of 1 owner, no firm owners, no modules");
  ContractFacts busy = Safe141({kA, kB, kC}, 2);
  busy.policy->contract_owners = {kC};
  busy.policy->modules = {kModule, Addr(0x30e)};
  busy.policy->guard = kGuard;
  EXPECT_EQ(words(busy, {kA, kB}), "Safe 1.4.1, 2 of 3 owners, 2 firm owners, 1 contract owner, 2 modules, a guard");
  report::VaultReport unknown;
  unknown.kind = "unknown";
  EXPECT_EQ(report::VaultPolicyInWords(unknown), "not a recognized Safe: who controls it cannot be read");
}

}  // namespace
}  // namespace segverify::attest

namespace segverify::attest {
namespace {

// ---- no blind spots: the fallback handler, hidden entries, the setup --------------------------------
TEST(VaultHandler, UnsetOrAnOfficialCompatibilityFallbackHandlerOnly) {
  EXPECT_EQ(OfficialFallbackHandler(kHandler130), std::optional<std::string_view>("1.3.0"));
  EXPECT_EQ(OfficialFallbackHandler(kHandler141), std::optional<std::string_view>("1.4.1"));
  EXPECT_FALSE(OfficialFallbackHandler(kSafe141));
  ContractFacts facts = Safe141({kA, kB, kC}, 2);
  for (const Hash256& official : {kHandler130, kHandler141}) {
    facts.policy->fallback_handler_code_hash = official;
    auto out = AssessPool(facts, {});
    EXPECT_TRUE(out.findings.empty());
    EXPECT_EQ(out.vault.fallback_handler_check, "official");
  }
  facts.policy->fallback_handler = EthAddress{};
  facts.policy->fallback_handler_code_hash.reset();
  EXPECT_TRUE(AssessPool(facts, {}).findings.empty());
  EXPECT_EQ(AssessPool(facts, {}).vault.fallback_handler_check, "unset");
  // Rogue code, or no code at all (CREATE2 can put anything there later).
  facts.policy->fallback_handler = Addr(0xbad);
  for (const Hash256& other : {kSafe141, Keccak256(std::string_view())}) {
    facts.policy->fallback_handler_code_hash = other;
    auto out = AssessPool(facts, {});
    EXPECT_EQ(Checks(out.findings), std::vector<std::string>{"vault-unverified/error"});
    EXPECT_NE(out.findings[0].detail.find("fallback handler"), std::string::npos) << out.findings[0].detail;
    EXPECT_EQ(out.vault.fallback_handler_check, "unofficial");
  }
  // A firm Safe is reported, not judged.
  EXPECT_TRUE(AssessVault(facts, {}, "0xFIRM", std::nullopt).findings.empty());
}

TEST(VaultHiddenEntries, AFirmOwnerOffTheListCountsTowardsTheThreshold) {
  ContractFacts facts = Safe141({kB, kC}, 1);
  facts.policy->firm_owner_entries = {kA};
  auto out = AssessPool(facts, {kA});
  EXPECT_EQ(Checks(out.findings), std::vector<std::string>{"firm-control/error"});
  EXPECT_NE(out.findings[0].detail.find("not in getOwners()"), std::string::npos) << out.findings[0].detail;
  EXPECT_EQ(out.vault.firm_owners, std::vector<std::string>{"0x000000000000000000000000000000000000000A"});
  // A listed firm owner's own entry is set too: counted once.
  facts = Safe141({kA, kB, kC}, 2);
  facts.policy->firm_owner_entries = {kA};
  EXPECT_EQ(Checks(AssessPool(facts, {kA}).findings), std::vector<std::string>{"shared-key/info"});
}

TEST(VaultHiddenEntries, AFirmModuleOffTheListIsAModule) {
  ContractFacts facts = Safe141({kA, kB, kC}, 2);
  facts.policy->firm_module_entries = {kModule};
  auto out = AssessPool(facts, {kModule});
  EXPECT_EQ(Checks(out.findings), std::vector<std::string>{"vault-module/error"});
  EXPECT_NE(out.findings[0].detail.find("not in getModulesPaginated"), std::string::npos) << out.findings[0].detail;
  EXPECT_EQ(out.vault.modules, std::vector<std::string>{"0x000000000000000000000000000000000000030D"});
  // Listed and set: one module, nothing off the list.
  facts.policy->modules = {kModule};
  out = AssessPool(facts, {kModule});
  EXPECT_EQ(out.vault.modules.size(), 1u);
  EXPECT_EQ(out.findings[0].detail.find("not in getModulesPaginated"), std::string::npos) << out.findings[0].detail;
}

TEST(VaultSetup, NoInitializerOrAnOfficialHelperOnly) {
  EXPECT_EQ(OfficialSetupHelper(kSafeToL2Setup141), std::optional<std::string_view>("SafeToL2Setup 1.4.1"));
  EXPECT_FALSE(OfficialSetupHelper(kMultiSend141));
  struct Case {
    SafeSetupFacts setup;
    const char* check;
    bool vouched;
  };
  const EthAddress helper = Addr(0x2e1), planter = Addr(0x91a);
  const Case cases[] = {
      {{7, {EthAddress{}}, std::nullopt}, "no-initializer", true},
      {{7, {helper}, kSafeToL2Setup141}, "official-helper", true},
      {{7, {planter}, kMultiSend141}, "unofficial-initializer", false},
      {{7, {planter}, Keccak256(std::string_view())}, "unofficial-initializer", false},
      {{7, {}, std::nullopt}, "no-setup-log", false},
      // A delegatecalled contract can emit a SafeSetup of its own, before the real one.
      {{7, {EthAddress{}, planter}, std::nullopt}, "several-setup-logs", false},
      {{std::nullopt, {}, std::nullopt}, "no-setup-block", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.check);
    ContractFacts facts = Safe141({kA, kB, kC}, 2);
    facts.policy->setup = c.setup;
    auto out = AssessPool(facts, {});
    ASSERT_TRUE(out.vault.setup);
    EXPECT_EQ(out.vault.setup->check, c.check);
    EXPECT_EQ(out.vault.setup->block, c.setup.block);
    EXPECT_EQ(out.vault.setup->reads, "agreed");
    if (c.vouched) {
      EXPECT_TRUE(out.findings.empty());
    } else {
      EXPECT_EQ(Checks(out.findings), std::vector<std::string>{"vault-unverified/error"});
    }
  }
  // Not read at all: never a PASS.
  ContractFacts facts = Safe141({kA, kB, kC}, 2);
  facts.policy->setup.reset();
  EXPECT_EQ(Checks(AssessPool(facts, {}).findings), std::vector<std::string>{"vault-unverified/error"});
}

}  // namespace
}  // namespace segverify::attest
