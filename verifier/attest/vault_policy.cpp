#include "verifier/attest/vault_policy.h"

#include <algorithm>

#include "common/plural.h"
#include "verifier/chain/ethereum_address.h"
#include "verifier/chain/ethereum_key.h"

namespace segverify::attest {
namespace {

using report::Finding;
using report::Severity;

struct KnownCode {
  const char* hash_hex;
  std::string_view version;
  bool l2;
};

// Official SafeProxy runtime code hashes (keccak256 of the code a SafeProxyFactory deploys; the
// code does not depend on the singleton, which the proxy keeps in storage):
//  - 1.3.0: GnosisSafeProxy, @safe-global/safe-contracts 1.3.0 (as docs/DESIGN.md §Contract vaults
// lists it);
//  - 1.4.1: SafeProxy, keccak256 of deployedBytecode in @safe-global/safe-contracts 1.4.1
//    build/artifacts/contracts/proxies/SafeProxy.sol/SafeProxy.json (npm, pinned in package.json;
//    tests/attest/safe_fixture.mjs checks it against the factory's proxyCreationCode on a node).
constexpr KnownCode kSafeProxies[] = {
    {"b89c1b3bdf2cf8827818646bce9a8f6e372885f8c55e5c07acbd307cb133b000", "1.3.0", false},
    {"d7d408ebcd99b2b70be43e20253d6d92a8ea8fab29bd3be7f55b10032331fb4c", "1.4.1", false},
};

// Canonical singleton code hashes: @safe-global/safe-deployments 1.37.56 (pinned in package.json),
// dist/assets/v1.3.0/gnosis_safe.json, gnosis_safe_l2.json ("canonical" and "eip155" deployments
// share the code hash) and dist/assets/v1.4.1/safe.json, safe_l2.json ("canonical"). The zkSync
// deployments' hashes are left out: zkSync Era is not an EVM chain this verifier reads.
constexpr KnownCode kSafeSingletons[] = {
    {"bba688fbdb21ad2bb58bc320638b43d94e7d100f6f3ebaab0a4e4de6304b1c2e", "1.3.0", false},
    {"21842597390c4c6e3c1239e434a682b054bd9548eee5e9b1d6a4482731023c0f", "1.3.0", true},
    {"1fe2df852ba3299d6534ef416eefa406e56ced995bca886ab7a553e6d0c5e1c4", "1.4.1", false},
    {"b1f926978a0f44a2c0ec8fe822418ae969bd8c3f18d61e5103100339894f81ff", "1.4.1", true},
};

// Official CompatibilityFallbackHandler code hashes: @safe-global/safe-deployments 1.37.56,
// dist/assets/v1.3.0/compatibility_fallback_handler.json ("canonical" and "eip155" share it) and
// dist/assets/v1.4.1/compatibility_fallback_handler.json ("canonical"); the 1.4.1 one is also
// keccak256 of deployedBytecode in @safe-global/safe-contracts 1.4.1
// build/artifacts/contracts/handler/CompatibilityFallbackHandler.sol (no immutables, metadata
// included: the npm build is the deployed code; tests/vaults/safe_fixture.mjs checks both on anvil).
constexpr KnownCode kFallbackHandlers[] = {
    {"03e69f7ce809e81687c69b19a7d7cca45b6d551ffdec73d9bb87178476de1abf", "1.3.0", false},
    {"7c6007a5d711cea8dfd5d91f5940ec29c7f200fe511eb1fc1397b367af3c42f9", "1.4.1", false},
};

// Official setup helpers (contracts a Safe's setup may delegatecall): SafeToL2Setup 1.4.1,
// @safe-global/safe-deployments 1.37.56 dist/assets/v1.4.1/safe_to_l2_setup.json ("canonical"). It
// only points slot 0 at SafeL2 on chains other than mainnet (contracts/libraries/SafeToL2Setup.sol);
// it writes no owner or module. MultiSend and CreateCall are official too, but not helpers: what a
// MultiSend runs is whatever its data says, so a setup through it is judged like any other.
constexpr KnownCode kSetupHelpers[] = {
    {"2f25df28caf984366ee584e13241707e85dcd5a6ea0c14267928dafc1fd6274b", "SafeToL2Setup 1.4.1", false},
};

template <std::size_t N>
const KnownCode* Find(const KnownCode (&table)[N], const Hash256& hash) {
  const std::string hex = ToHex(hash);
  for (const KnownCode& known : table) {
    if (hex == known.hash_hex) return &known;
  }
  return nullptr;
}

std::string Addresses(const std::vector<EthAddress>& addresses) {
  std::string out;
  for (const EthAddress& a : addresses) out += (out.empty() ? "" : ", ") + chain::ToEip55(a);
  return out;
}

std::vector<std::string> Eip55List(const std::vector<EthAddress>& addresses) {
  std::vector<std::string> out;
  for (const EthAddress& a : addresses) out.push_back(chain::ToEip55(a));
  return out;
}

// Why a contract is not a recognized Safe, or nullopt when it is one.
std::optional<std::string> Unrecognized(const ContractFacts& facts) {
  const auto proxy = SafeProxyVersion(facts.code_hash);
  if (!proxy) {
    return "its code (hash 0x" + ToHex(facts.code_hash) +
           ") is not an official SafeProxy's: who controls this contract cannot be read";
  }
  if (!facts.singleton || !facts.singleton_code_hash) {
    return "its singleton (storage slot 0) could not be read: who controls it cannot be read";
  }
  if (!CanonicalSafeSingleton(*facts.singleton_code_hash)) {
    return "this SafeProxy " + std::string(*proxy) + " delegates to " + chain::ToEip55(*facts.singleton) +
           " (code hash 0x" + ToHex(*facts.singleton_code_hash) +
           "), which is not a canonical Safe singleton: who controls it cannot be read";
  }
  if (!facts.policy) return "its owners, threshold and modules could not be read";
  const SafePolicy& p = *facts.policy;
  if (p.owners.empty() || p.threshold == 0 || p.threshold > p.owners.size()) {
    return "it has " + Count(p.owners.size(), "owner", "owners") + " and threshold " + std::to_string(p.threshold) +
           ", which no Safe that was set up can have (a proxy never set up can be taken over by anyone)";
  }
  return std::nullopt;
}

struct OwnerCounts {
  std::vector<EthAddress> firm;           // owners in F: listed ones in list order, then entries off the list
  std::vector<EthAddress> contracts;      // owners with code that are not in F
  std::vector<EthAddress> unlisted_firm;  // firm owners getOwners() does not show
};

OwnerCounts CountOwners(const SafePolicy& policy, const std::set<EthAddress>& firm) {
  OwnerCounts counts;
  std::set<EthAddress> distinct;
  for (const EthAddress& owner : policy.owners) {
    if (!distinct.insert(owner).second) continue;  // a canonical Safe has no duplicates; count each once anyway
    if (firm.count(owner) != 0)
      counts.firm.push_back(owner);
    else if (policy.contract_owners.count(owner) != 0)
      counts.contracts.push_back(owner);
  }
  for (const EthAddress& entry : policy.firm_owner_entries) {
    if (!distinct.insert(entry).second) continue;
    counts.firm.push_back(entry);
    counts.unlisted_firm.push_back(entry);
  }
  return counts;
}

// Every enabled module: the listed ones, then firm addresses whose entry is set off the list.
std::vector<EthAddress> EnabledModules(const SafePolicy& policy, std::vector<EthAddress>* unlisted = nullptr) {
  std::vector<EthAddress> out = policy.modules;
  for (const EthAddress& entry : policy.firm_module_entries) {
    if (std::find(out.begin(), out.end(), entry) != out.end()) continue;
    out.push_back(entry);
    if (unlisted) unlisted->push_back(entry);
  }
  return out;
}

HandlerCheck JudgeHandler(const SafePolicy& p) {
  if (p.fallback_handler == EthAddress{}) return HandlerCheck::kUnset;
  // No code is no better than rogue code: CREATE2 can put any code at that address later.
  if (p.fallback_handler_code_hash && OfficialFallbackHandler(*p.fallback_handler_code_hash))
    return HandlerCheck::kOfficial;
  return HandlerCheck::kUnofficial;
}

SetupCheck JudgeSetup(const SafeSetupFacts& setup) {
  if (!setup.block) return SetupCheck::kNoSetupBlock;
  if (setup.initializers.empty()) return SetupCheck::kNoSetupLog;
  // setup() runs once (OwnerManager.setupOwners requires threshold 0) and emits one SafeSetup, after
  // its delegatecall: any other log of that topic was emitted by the code it delegatecalled.
  if (setup.initializers.size() > 1) return SetupCheck::kSeveralSetupLogs;
  if (setup.initializers.front() == EthAddress{}) return SetupCheck::kNoInitializer;
  if (setup.initializer_code_hash && OfficialSetupHelper(*setup.initializer_code_hash))
    return SetupCheck::kOfficialHelper;
  return SetupCheck::kUnofficialInitializer;
}

// Why a setup cannot be vouched for (nullopt: it can).
std::optional<std::string> SetupProblem(const SafeSetupFacts& setup, SetupCheck check) {
  const std::string at = setup.block ? " in block " + std::to_string(*setup.block) : "";
  switch (check) {
    case SetupCheck::kNoInitializer:
    case SetupCheck::kOfficialHelper:
      return std::nullopt;
    case SetupCheck::kNoSetupBlock:
      return "its threshold is not zero at block 0, so its setup cannot be found";
    case SetupCheck::kNoSetupLog:
      return "no SafeSetup log" + at +
             ", where its threshold became non-zero: it was not set up by a Safe singleton's setup(), and "
             "owners or modules no list shows may have been written";
    case SetupCheck::kSeveralSetupLogs:
      return std::to_string(setup.initializers.size()) + " SafeSetup logs" + at +
             " (setup emits one): code its setup delegatecalled emitted the others";
    case SetupCheck::kUnofficialInitializer:
      return "its setup" + at + " delegatecalled " + chain::ToEip55(setup.initializers.front()) +
             (setup.initializer_code_hash ? " (code hash 0x" + ToHex(*setup.initializer_code_hash) + ")" : "") +
             ", which is not an official setup helper: it may have written owners or modules that no list shows";
  }
  return std::nullopt;
}

std::string OffList(const std::vector<EthAddress>& unlisted, const std::string& list) {
  if (unlisted.empty()) return "";
  return "; " + Addresses(unlisted) + (unlisted.size() == 1 ? " is" : " are") + " not in " + list +
         " but set in the Safe's storage, which the Safe honours";
}

void PolicyFindings(const SafePolicy& p, const OwnerCounts& owners, const std::string& subject, const std::string& what,
                    std::vector<Finding>& findings) {
  const std::size_t firm = owners.firm.size();
  const std::size_t contracts = owners.contracts.size();
  if (firm >= p.threshold) {
    findings.push_back({report::Check::kFirmControl, subject,
                        "firm addresses alone meet the threshold of " + what + " (" +
                            Count(firm, "firm owner", "firm owners") + ": " + Addresses(owners.firm) +
                            OffList(owners.unlisted_firm, "getOwners()") + ")",
                        Severity::kError});
  } else if (firm + contracts >= p.threshold) {
    findings.push_back({report::Check::kVaultUnverified, subject,
                        "firm owners (" + std::to_string(firm) + ") and owners that are contracts (" +
                            std::to_string(contracts) + ": " + Addresses(owners.contracts) +
                            ") together meet the threshold of " + what + ": a contract owner could be anyone's",
                        Severity::kError});
  }
  if (firm > 0 && firm < p.threshold) {
    findings.push_back({report::Check::kSharedKey, subject,
                        Count(firm, "owner", "owners") + " of " + what + " " +
                            (firm == 1 ? "is a firm address" : "are firm addresses") + " (" + Addresses(owners.firm) +
                            OffList(owners.unlisted_firm, "getOwners()") + "), below the threshold",
                        Severity::kInfo});
  }
  std::vector<EthAddress> unlisted_modules;
  const std::vector<EthAddress> modules = EnabledModules(p, &unlisted_modules);
  if (!modules.empty()) {
    findings.push_back({report::Check::kVaultModule, subject,
                        Count(modules.size(), "module is", "modules are") + " enabled on " + what + " (" +
                            Addresses(modules) + OffList(unlisted_modules, "getModulesPaginated") +
                            "): a module moves funds without the owners' signatures",
                        Severity::kError});
  }
  if (JudgeHandler(p) == HandlerCheck::kUnofficial) {
    findings.push_back(
        {report::Check::kVaultUnverified, subject,
         what + " answers ERC-1271 through its fallback handler " + chain::ToEip55(p.fallback_handler) +
             (p.fallback_handler_code_hash ? " (code hash 0x" + ToHex(*p.fallback_handler_code_hash) + ")"
                                           : " (code unknown)") +
             ", which is not an official CompatibilityFallbackHandler: whoever controls it can sign for the Safe "
             "wherever a contract signature moves tokens (permits, Permit2, transfers with authorization)",
         Severity::kError});
  }
  if (!p.setup) {
    findings.push_back({report::Check::kVaultUnverified, subject, what + ": its setup was not read", Severity::kError});
  } else if (auto why = SetupProblem(*p.setup, JudgeSetup(*p.setup))) {
    findings.push_back({report::Check::kVaultUnverified, subject, what + ": " + *why, Severity::kError});
  }
  if (p.guard != EthAddress{}) {
    findings.push_back({report::Check::kVaultGuard, subject,
                        what + " has a transaction guard (" + chain::ToEip55(p.guard) +
                            "): it can block the owners' transactions, not move funds",
                        Severity::kInfo});
  }
}

}  // namespace

const SafePolicy* SafeWithOfficialHandler(const ContractFacts& facts) {
  if (Unrecognized(facts) || JudgeHandler(*facts.policy) != HandlerCheck::kOfficial) return nullptr;
  return &*facts.policy;
}

std::optional<std::string_view> SafeProxyVersion(const Hash256& runtime_code_hash) {
  const KnownCode* known = Find(kSafeProxies, runtime_code_hash);
  return known ? std::optional<std::string_view>(known->version) : std::nullopt;
}

std::optional<SafeSingleton> CanonicalSafeSingleton(const Hash256& code_hash) {
  const KnownCode* known = Find(kSafeSingletons, code_hash);
  return known ? std::optional<SafeSingleton>(SafeSingleton{known->version, known->l2}) : std::nullopt;
}

std::optional<std::string_view> OfficialFallbackHandler(const Hash256& code_hash) {
  const KnownCode* known = Find(kFallbackHandlers, code_hash);
  return known ? std::optional<std::string_view>(known->version) : std::nullopt;
}

std::optional<std::string_view> OfficialSetupHelper(const Hash256& code_hash) {
  const KnownCode* known = Find(kSetupHelpers, code_hash);
  return known ? std::optional<std::string_view>(known->version) : std::nullopt;
}

std::string_view ToString(HandlerCheck check) {
  switch (check) {
    case HandlerCheck::kUnset:
      return "unset";
    case HandlerCheck::kOfficial:
      return "official";
    case HandlerCheck::kUnofficial:
      return "unofficial";
  }
  return "unofficial";
}

std::string_view ToString(SetupCheck check) {
  switch (check) {
    case SetupCheck::kNoInitializer:
      return "no-initializer";
    case SetupCheck::kOfficialHelper:
      return "official-helper";
    case SetupCheck::kUnofficialInitializer:
      return "unofficial-initializer";
    case SetupCheck::kNoSetupLog:
      return "no-setup-log";
    case SetupCheck::kSeveralSetupLogs:
      return "several-setup-logs";
    case SetupCheck::kNoSetupBlock:
      return "no-setup-block";
  }
  return "no-setup-log";
}

std::set<EthAddress> FirmEthereumAddresses(const std::vector<EthAddress>& firm_addresses,
                                           const std::vector<Bytes>& firm_keys) {
  std::set<EthAddress> out(firm_addresses.begin(), firm_addresses.end());
  for (const Bytes& key : firm_keys) {
    for (const EthAddress& a : chain::EthereumAddressesOfKeyHolder(key)) out.insert(a);
  }
  return out;
}

VaultAssessment AssessVault(const ContractFacts& facts, const std::set<EthAddress>& firm, const std::string& subject,
                            const std::optional<std::string>& pool) {
  VaultAssessment out;
  if (auto why = Unrecognized(facts)) {
    out.vault.kind = "unknown";
    if (pool) {
      out.findings.push_back(
          {report::Check::kVaultUnverified, subject, "contract in pool " + *pool + ": " + *why, Severity::kError});
    }
    return out;
  }
  const SafePolicy& p = *facts.policy;
  const SafeSingleton singleton = *CanonicalSafeSingleton(*facts.singleton_code_hash);
  const OwnerCounts owners = CountOwners(p, firm);
  report::VaultReport& v = out.vault;
  v.kind = "safe";
  v.version = std::string(singleton.version);
  v.singleton = chain::ToEip55(*facts.singleton);
  v.owners = Eip55List(p.owners);
  v.threshold = p.threshold;
  v.modules = Eip55List(EnabledModules(p));
  v.firm_owners = Eip55List(owners.firm);
  v.contract_owners = Eip55List(owners.contracts);
  if (p.guard != EthAddress{}) v.guard = chain::ToEip55(p.guard);
  if (p.fallback_handler != EthAddress{}) v.fallback_handler = chain::ToEip55(p.fallback_handler);
  v.fallback_handler_check = std::string(ToString(JudgeHandler(p)));
  if (p.setup) {
    report::SafeSetupReport setup;
    setup.block = p.setup->block;
    if (p.setup->initializers.size() == 1 && p.setup->initializers.front() != EthAddress{})
      setup.initializer = chain::ToEip55(p.setup->initializers.front());
    setup.check = std::string(ToString(JudgeSetup(*p.setup)));
    v.setup = std::move(setup);
  }
  if (pool) {
    const std::string what =
        "this Safe " + std::to_string(p.threshold) + "-of-" + std::to_string(p.owners.size()) + " in pool " + *pool;
    PolicyFindings(p, owners, subject, what, out.findings);
  }
  return out;
}

}  // namespace segverify::attest
