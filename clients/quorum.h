// Quorum: reads balances for one chain at one pinned height from EVERY configured source,
// concurrently, and keeps only what all of them agree on.
//
// Outcomes:
// - Error (cannot check): any source down, unauthorised, malformed, on the wrong network, behind
//   the pinned height, or whose tip moved (scantxoutset). The message names the source; when
//   several sources fail at the same step, each is an Error of its own with its source index
//   (Error::Each: the first and its `others`).
// - ChainBalances with disagreements: sources disagree on the block hash or its timestamp (then no
//   balances at all) or on some balances (then those (address, asset) pairs are left out of
//   `balances`).
//   A result with any disagreement must never lead to PASS.
// - ChainBalances without disagreements: every balance agreed by all sources.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "clients/chain_source.h"
#include "common/progress.h"
#include "common/result.h"
#include "common/u128.h"

namespace segverify::clients {

struct BalanceQuery {
  Chain chain = Chain::kEthereum;  // the family: which sources can serve it
  std::string chain_name;          // the configured chain ("arbitrum"); empty: the family's name
  std::uint64_t height = 0;
  std::vector<AddressSpec> addresses;
  std::vector<AssetSpec> assets;  // Bitcoin: exactly one, with no contract
};

struct AddressBalance {
  std::string address;  // as given in the query
  std::string asset;    // symbol
  u128 amount = 0;      // base units (satoshi, wei, token unit)
};

// "source A says X, source B says Y" about one subject. Values are base-unit decimal text for
// balances, hashes for the block hash.
struct Disagreement {
  std::string subject;  // an address, or "block <height>"
  std::string asset;    // symbol; empty for the block hash
  std::string source_a;
  std::string value_a;
  std::string source_b;
  std::string value_b;

  // "sources disagree on <subject> [<asset>]: <A> says <X>, <B> says <Y>"
  std::string Describe() const;
};

struct ChainBalances {
  std::string chain;  // the query's chain name ("bitcoin", "ethereum", "arbitrum")
  std::uint64_t height = 0;
  std::string block_hash;                   // empty when the sources disagree on the block
  std::optional<std::uint64_t> block_time;  // the header's timestamp (UTC seconds), when agreed
  std::vector<std::string> sources;         // Display(config) of each source, in configuration order
  std::vector<AddressBalance> balances;     // address-major, assets in query order; agreed ones only
  std::vector<Disagreement> disagreements;
  // ERC-20 balance slots found by search (proven reads), by symbol: report.json shows them.
  std::map<std::string, BalanceSlot> balance_slots;
};

// `progress` (may be null) hears the work done as (address, source) pairs read, of
// addresses × sources, under the step "<chain>: reading balances"; it may be called from several
// threads at once (ProgressPrinter serialises). Sources that can read part of the addresses at a
// time (Ethereum in whole JSON-RPC batches, Esplora) are asked in chunks of about a twentieth, so
// progress moves; Bitcoin Core reads them all in one scan of the UTXO set.
[[nodiscard]] Result<ChainBalances> ReadChainBalances(const BalanceQuery& query,
                                                      const std::vector<SourceConfig>& sources,
                                                      const TransportFactory& transports,
                                                      const SourceOptions& options = {},
                                                      const ProgressCallback& progress = nullptr);

}  // namespace segverify::clients
