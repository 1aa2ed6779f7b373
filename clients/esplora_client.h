// Esplora REST client (Blockstream/mempool.space API): block hash at a height and address
// balances at a pinned height, computed from the confirmed history.
//
// Balance at height P = sum of outputs paying the target's scriptPubKey in confirmed
// transactions with block_height <= P, minus the prevout values of inputs spending such outputs
// in confirmed transactions with block_height <= P. History is read from
// /address/:a/txs/chain (newest first) and /address/:a/txs/chain/:last_seen_txid until a page is
// EMPTY: the page size is a server setting (25 on Blockstream's, configurable in mempool's
// electrs), so a short page says nothing about the end (docs/DESIGN.md §Bitcoin history). A txid
// seen twice (a page repeating an earlier one), a history not newest first, a missing field or a
// negative result is an Error. No count ends a history: the transport's run deadline does, and
// memory stays bounded (one block's txids are kept for the repeat check).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "clients/bitcoin_types.h"
#include "clients/transport.h"
#include "common/result.h"
#include "common/u128.h"

namespace segverify::clients {

class EsploraClient {
 public:
  explicit EsploraClient(std::unique_ptr<Transport> transport);

  const std::string& source() const { return transport_->source(); }

  // GET /block-height/:h (404 → "block N does not exist yet"). Returns lower-case hex.
  [[nodiscard]] Result<std::string> BlockHash(std::uint64_t height);
  // BlockHash, and the block's "timestamp" from GET /block/:hash.
  [[nodiscard]] Result<BitcoinBlockHeader> PinBlock(std::uint64_t height);

  // Balances in satoshis at the pin, in input order. Checks the pin's hash before and after.
  [[nodiscard]] Result<std::vector<u128>> Balances(const std::vector<BitcoinTarget>& targets,
                                                   const BitcoinBlockPin& pin);

 private:
  [[nodiscard]] Result<u128> BalanceOf(const BitcoinTarget& target, const BitcoinBlockPin& pin);
  [[nodiscard]] Result<std::string> GetText(const std::string& path, bool allow_not_found, bool& not_found);

  std::unique_ptr<Transport> transport_;
};

}  // namespace segverify::clients
