// Contract vaults: who controls an Ethereum contract in a pool (docs/DESIGN.md
// §Contract vaults). Pure: takes what was read at the pinned block (vault_reads.h)
// and the firm's Ethereum addresses, returns the report's `vault` object and the findings; no I/O.
//
// A pool contract is a recognized vault only if it is a Safe: its runtime code hash is an official
// SafeProxy's AND the singleton in its storage slot 0 has one of safe-deployments' canonical code
// hashes. Then, with F = the firm's Ethereum addresses:
//   - firm owners meet the threshold                       → `firm-control`   (error)
//   - firm owners alone do not, but with contract owners do → `vault-unverified` (error): an owner
//     that is itself a contract could be anyone's
//   - some firm owners, below the threshold                → `shared-key`     (info)
//   - any enabled module                                   → `vault-module`   (error): a module moves
//     funds without the owners
//   - a guard                                              → `vault-guard`    (info): it can only
//     block transactions, never move funds
//   - any other contract, or a Safe in a state no set-up Safe can be in (no owners, threshold 0 or
//     above the owner count: a proxy that was never set up can be taken over by anyone)
//                                                          → `vault-unverified` (error)
//   - a fallback handler that is not unset or an official CompatibilityFallbackHandler (by code
//     hash)                                                → `vault-unverified` (error): the Safe
//     answers ERC-1271 through its handler, and an ERC-1271 "yes" moves tokens (EIP-2612-style
//     permits accepting contract signatures, Permit2, EIP-3009 transfers with authorization)
//   - hidden entries: a firm address whose `owners[F]` or `modules[F]` is set at the pin counts as
//     a firm owner / enabled module even when getOwners() or getModulesPaginated do not list it
//     (the Safe honours any non-zero entry)
//   - a setup that cannot be vouched for: no block where the threshold became non-zero, not
//     exactly one SafeSetup log in that block, or an initializer (setup's delegatecall target)
//     that is neither zero nor an official setup helper (by code hash)
//                                                          → `vault-unverified` (error): a setup
//     delegatecall can plant owners and modules that no list shows
// docs/FORMAT.md §8 and docs/SECURITY.md "Contract vaults" say the same for readers.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/evm.h"
#include "common/hex.h"
#include "common/sha256.h"
#include "verifier/report/finding.h"
#include "verifier/report/report.h"

namespace segverify::attest {

// An official SafeProxy's runtime code hash → its version ("1.3.0", "1.4.1"); nullopt otherwise.
std::optional<std::string_view> SafeProxyVersion(const Hash256& runtime_code_hash);

struct SafeSingleton {
  std::string_view version;  // "1.3.0", "1.4.1"
  bool l2 = false;           // SafeL2 (emits events for indexers; same rules)
};
// A canonical Safe singleton's code hash (safe-deployments) → which one; nullopt otherwise.
std::optional<SafeSingleton> CanonicalSafeSingleton(const Hash256& code_hash);

// An official CompatibilityFallbackHandler's code hash → its version; nullopt otherwise.
std::optional<std::string_view> OfficialFallbackHandler(const Hash256& code_hash);
// An official setup helper's code hash (a contract Safe's setup may delegatecall) → its name.
std::optional<std::string_view> OfficialSetupHelper(const Hash256& code_hash);

// The fallback handler's verdict: unset, an official CompatibilityFallbackHandler, or anything
// else (report.json "fallback_handler_check").
enum class HandlerCheck { kUnset, kOfficial, kUnofficial };
// The setup's verdict (report.json "setup.check"); only the first two can be vouched for.
enum class SetupCheck {
  kNoInitializer,          // one SafeSetup log, initializer zero
  kOfficialHelper,         // one SafeSetup log, initializer with an official helper's code
  kUnofficialInitializer,  // one SafeSetup log, any other initializer
  kNoSetupLog,             // no SafeSetup log in the block where the threshold became non-zero
  kSeveralSetupLogs,       // more than one there
  kNoSetupBlock,           // the threshold was already non-zero at block 0
};
std::string_view ToString(HandlerCheck check);
std::string_view ToString(SetupCheck check);

// How a Safe was set up, from blocks before the pin (agreed reads, vault_reads.h).
struct SafeSetupFacts {
  std::optional<std::uint64_t> block;    // first block with a non-zero threshold; nullopt: none (set at genesis)
  std::vector<EthAddress> initializers;  // of every SafeSetup log of the Safe in that block, in log order
  // The code hash of the one initializer at that block, when there is exactly one log and its
  // initializer is not zero.
  std::optional<Hash256> initializer_code_hash;

  bool operator==(const SafeSetupFacts&) const = default;
};

// What a canonical singleton's getters and storage say about a Safe at the pin.
struct SafePolicy {
  std::vector<EthAddress> owners;  // getOwners() order
  std::uint64_t threshold = 0;
  std::vector<EthAddress> modules;                    // every enabled module, getModulesPaginated order
  EthAddress guard{};                                 // zero: none
  EthAddress fallback_handler{};                      // zero: none
  std::set<EthAddress> contract_owners;               // owners with code at the pin
  std::optional<Hash256> fallback_handler_code_hash;  // the handler's code hash at the pin, when one is set
  // Firm addresses whose owners[F] / modules[F] entry is set at the pin, listed or not.
  std::set<EthAddress> firm_owner_entries;
  std::set<EthAddress> firm_module_entries;
  std::optional<SafeSetupFacts> setup;  // nullopt: not read

  bool operator==(const SafePolicy&) const = default;
};

// Everything read about one contract address at the pin. Reads stop where recognition fails, so
// `singleton` is set only for an official proxy's code and `policy` only for a canonical singleton;
// the evaluation below re-derives recognition from the hashes and never trusts that layout.
struct ContractFacts {
  Hash256 code_hash{};
  std::optional<EthAddress> singleton;
  std::optional<Hash256> singleton_code_hash;
  std::optional<SafePolicy> policy;

  bool operator==(const ContractFacts&) const = default;
};

// The policy of a recognized Safe (an official proxy over a canonical singleton, its lists read)
// whose ERC-1271 answers come from an official CompatibilityFallbackHandler; nullptr otherwise.
// Only such a Safe's signatures can be judged without asking the chain (chain/safe_signature.h).
const SafePolicy* SafeWithOfficialHandler(const ContractFacts& facts);

// The firm's Ethereum addresses: its configured Ethereum addresses, and the accounts of every firm
// key (firm.keys and every key recovered from a firm ownership signature, Bitcoin or Ethereum),
// each key with both y parities (chain::EthereumAddressesOfKeyHolder). Keys that are not valid
// points are skipped (the config and the signature checks have refused them already).
std::set<EthAddress> FirmEthereumAddresses(const std::vector<EthAddress>& firm_addresses,
                                           const std::vector<Bytes>& firm_keys);

struct VaultAssessment {
  report::VaultReport vault;
  std::vector<report::Finding> findings;  // empty unless asked for a pool address
};

// The report's `vault` object for a contract address, and — when `pool` is set (the pool's name) —
// the findings above, with `subject` (the address as shown) as their subject. Firm contracts get
// the object only: their control is the firm's by definition.
VaultAssessment AssessVault(const ContractFacts& facts, const std::set<EthAddress>& firm, const std::string& subject,
                            const std::optional<std::string>& pool);

}  // namespace segverify::attest
