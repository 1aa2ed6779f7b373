// Bitcoin Core JSON-RPC client: pinning by getblockhash/getblockheader and balances from
// scantxoutset.
//
// scantxoutset reads the UTXO set at the node's TIP: its answer is accepted only when the
// result's "height" and "bestblock" equal the pinned height and hash. A tip that moved is an
// Error ("tip moved to height H: cannot read balances at pinned height P") — never recomputed.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "clients/bitcoin_types.h"
#include "clients/json_rpc.h"
#include "clients/transport.h"
#include "common/result.h"
#include "common/u128.h"

namespace segverify::clients {

class BitcoinCoreClient {
 public:
  explicit BitcoinCoreClient(std::unique_ptr<Transport> transport);

  const std::string& source() const { return rpc_.source(); }

  // getblockhash(height), confirmed by getblockheader(hash).height == height. Error
  // "<source>: block N does not exist yet" beyond the tip. Returns lower-case hex.
  [[nodiscard]] Result<std::string> BlockHash(std::uint64_t height);

  // One scantxoutset "start" over addr(<address>) descriptors; each unspent is attributed by its
  // scriptPubKey. Sums in satoshis, in input order. Errors: tip moved, success false, malformed.
  [[nodiscard]] Result<std::vector<u128>> Balances(const std::vector<BitcoinTarget>& targets,
                                                   const BitcoinBlockPin& pin);

 private:
  JsonRpcClient rpc_;
};

}  // namespace segverify::clients
