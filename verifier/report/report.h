// The attestation report (format "segverify-report/1", docs/FORMAT.md §8): the one model of
// what `attest` found, written by attest, read back by replay and by the status server, and
// rendered as JSON (report_json.h) and HTML (report_html.h).
//
// Amounts are base units (u128) with their asset's decimals; text only at the edges, through
// merkle/amount.h. Every rendering is a deterministic function of the Report value (no clock, no
// randomness), so a rerun on the same inputs and evidence gives byte-identical files.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/chain.h"
#include "common/problem.h"
#include "common/result.h"
#include "common/u128.h"
#include "merkle/asset.h"
#include "merkle/published_root.h"
#include "verifier/report/finding.h"

namespace segverify::report {

inline constexpr std::string_view kReportFormat = "segverify-report/1";

// PASS: every check was done and holds. FAIL: every check was done and one does not hold.
// ERROR: some check could not be done (a node was down, an input unreadable): never a PASS.
enum class Verdict { kPass, kFail, kError };
std::string_view ToString(Verdict verdict);  // "PASS", "FAIL", "ERROR"
[[nodiscard]] Result<Verdict> ParseVerdict(std::string_view text);

// How report.json names a chain's pinned height: "height" for bitcoin, "block" for an EVM chain.
// report.json carries a chain's family by this key.
std::string_view HeightKey(Chain family);

// An ERC-20's balances mapping as proven reads found it (report.json "balance_slots").
struct BalanceSlotReport {
  std::uint64_t slot = 0;
  std::string layout;  // "solidity", "vyper"
  bool operator==(const BalanceSlotReport&) const = default;
};

struct ChainReport {
  std::string chain;               // the configured name: "bitcoin", "ethereum", "arbitrum", ...
  Chain family = Chain::kBitcoin;  // bitcoin or the EVM family (common/chain.h)
  std::uint64_t height = 0;
  std::optional<std::string> block_hash;  // nullopt: the sources did not agree, or could not be read
  std::optional<std::string> block_time;  // UTC ISO 8601 from the block header ("2026-11-01T00:00:00Z")
  std::vector<std::string> sources;       // how each source is shown (never with credentials)
  // EVM chains: "proven" (state proven against the block hash) or "agreed" (every source alike);
  // nullopt for Bitcoin. `agreed_reads` names what was only agreed, not proven.
  std::optional<std::string> reads;
  std::vector<std::string> agreed_reads;
  std::map<std::string, BalanceSlotReport> balance_slots;  // by token symbol, found by search

  bool operator==(const ChainReport&) const = default;
};

struct AssetCoverage {
  merkle::AssetSpec asset;
  u128 liabilities = 0;
  std::optional<u128> reserves;  // nullopt: could not be established
  // reserves >= liabilities; nullopt when either could not be established. An unknown is never
  // shown as a shortfall.
  std::optional<bool> covered;

  bool operator==(const AssetCoverage&) const = default;
};

struct AddressBalance {
  std::string symbol;
  std::optional<u128> amount;  // base units; nullopt: could not be read

  bool operator==(const AddressBalance&) const = default;
};

// How a Safe was set up (report.json "setup"): read from the block where its threshold first became
// non-zero, older than the pin, so these are agreed reads (every source alike), not pinned ones.
struct SafeSetupReport {
  std::optional<std::uint64_t> block;      // null: no such block found
  std::optional<std::string> initializer;  // setup's delegatecall target, EIP-55; null: zero or no log
  // "no-initializer", "official-helper", "unofficial-initializer", "no-setup-log", "several-setup-logs",
  // "no-setup-block" (vault_policy.h)
  std::string check;
  std::string reads = "agreed";

  bool operator==(const SafeSetupReport&) const = default;
};

// Who controls a contract address (docs/DESIGN.md §Contract vaults), read at the pinned block.
// Everything but `kind` is for kind "safe" only.
struct VaultReport {
  std::string kind;                 // "safe" (a recognized Safe) or "unknown" (nothing can be read)
  std::string version;              // "1.4.1" (safe only)
  std::string singleton;            // the canonical singleton in the proxy's slot 0, EIP-55
  std::vector<std::string> owners;  // EIP-55
  std::uint64_t threshold = 0;
  std::vector<std::string> modules;             // enabled modules, EIP-55
  std::vector<std::string> firm_owners;         // owners that are firm addresses or firm keys' addresses
  std::vector<std::string> contract_owners;     // owners with code that are not firm addresses
  std::optional<std::string> guard;             // the guard, when one is set
  std::optional<std::string> fallback_handler;  // the fallback handler, when one is set
  // "unset", "official" (a CompatibilityFallbackHandler's code) or "unofficial"; "" in reports
  // written before it was judged
  std::string fallback_handler_check;
  std::optional<SafeSetupReport> setup;  // nullopt in reports written before it was read

  bool operator==(const VaultReport&) const = default;
};

// What an address's ownership proof showed (report.json `ownership`; the names are ToString's).
enum class Ownership {
  kValid,          // "valid": the proof verifies
  kInvalid,        // "invalid": it does not
  kMissing,        // "missing": no proof was given
  kUnsupported,    // "unsupported": a kind of proof that cannot be checked for this address
  kMalformed,      // "malformed": the proof cannot be read
  kCannotCheck,    // "cannot-check": checking needs what could not be had (a node's answer)
  kInternalError,  // "internal-error": the check itself failed
};
std::string_view ToString(Ownership ownership);
[[nodiscard]] std::optional<Ownership> ParseOwnership(std::string_view text);
// Whether the proof's standing is settled either way (valid, invalid, malformed, missing), not
// left open by something that could not be checked.
bool IsDetermined(Ownership ownership);

struct AddressReport {
  std::string chain;    // the configured chain's name (its family: FamilyOf)
  std::string address;  // canonical form
  std::string type;     // p2wpkh, p2wsh, eoa, contract, ...
  std::string proof;    // proof type, or "none"
  Ownership ownership = Ownership::kMissing;
  std::vector<AddressBalance> balances;  // pool addresses: one per asset of the address's chain
  std::optional<VaultReport> vault;      // contract addresses

  bool operator==(const AddressReport&) const = default;
};

struct PoolReport {
  std::string name;
  std::uint64_t accounts = 0;
  std::optional<merkle::PublishedRoot> root;  // nullopt: the tree could not be built
  std::vector<AssetCoverage> assets;
  std::vector<AddressReport> addresses;
  bool holds = false;  // a root, and every asset covered

  bool operator==(const PoolReport&) const = default;
};

struct Report {
  std::string id;
  std::string message;
  std::optional<std::string> as_of;  // when the liabilities were taken (config "as_of", ISO 8601 UTC)
  Verdict verdict = Verdict::kError;
  std::vector<ChainReport> chains;
  std::vector<PoolReport> pools;
  std::vector<AddressReport> firm_addresses;
  std::vector<Finding> findings;
  // Why a check could not be done (verdict ERROR), as values (common/problem.h); report.json writes
  // each problem's `line` into `errors` and its fields into `problems`.
  std::vector<Problem> problems;
  std::string config_sha256;
  std::vector<std::pair<std::string, std::string>> liabilities_sha256;  // pool -> hex
  std::string tool_version;

  bool operator==(const Report&) const = default;
};

// The verdict the contents call for: ERROR if any check could not be done, FAIL if any error
// finding or any pool does not hold, PASS otherwise.
Verdict DecideVerdict(const Report& report);

// The chain report named `name`, or nullptr.
const ChainReport* FindChain(const Report& report, std::string_view name);
// The family of the address's chain: its chain report's, or (a chain the report does not list) the
// address's form, 0x-prefixed hex being an EVM account.
Chain FamilyOf(const Report& report, const AddressReport& address);

// Why `report`'s verdict is not backed by its contents (a PASS with an uncovered asset, an error
// finding, an unknown block hash or root, no pools, a pool contract that is not a recognized Safe
// or that the firm's and contract owners or a module control, a pool address of an EVM chain (any
// chain of the family, compared by family, never by name) not known to be a contract or an EOA; a FAIL or ERROR that
// its contents do not call for), or nullopt when it is. Readers refuse such a report: a shown PASS is always backed.
std::optional<std::string> VerdictContradiction(const Report& report);

}  // namespace segverify::report
