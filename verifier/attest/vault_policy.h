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
// The fallback handler is read and reported but not judged: it cannot move funds (the Safe CALLs
// it), and it is only ever set by the owners.
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

// What a canonical singleton's getters and storage say about a Safe at the pin.
struct SafePolicy {
  std::vector<EthAddress> owners;  // getOwners() order
  std::uint64_t threshold = 0;
  std::vector<EthAddress> modules;       // every enabled module, getModulesPaginated order
  EthAddress guard{};                    // zero: none
  EthAddress fallback_handler{};         // zero: none
  std::set<EthAddress> contract_owners;  // owners with code at the pin

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
