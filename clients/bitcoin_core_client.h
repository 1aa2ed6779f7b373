// Bitcoin Core JSON-RPC client: pinning by getblockhash/getblockheader, and balances at the pinned
// height (docs/DESIGN.md §Bitcoin history).
//
// - Tip at the pin: one `scantxoutset start` over addr(<address>) descriptors; its answer is only
//   accepted when its "height" and "bestblock" are the pin (a tip that moved during the scan
//   sends the read down the next path).
// - Tip past the pin: `scanblocks start [descriptors] 0 PIN` (Core >= 25, needs
//   -blockfilterindex=1) names the blocks that may touch the addresses; their activity comes from
//   `getdescriptoractivity` (Core >= 29) or, on "Method not found", from `getblock HASH 3` (inputs
//   with their prevouts, Core >= 23). Each address's balance at the pin is what it received in
//   those blocks minus what was spent of it there; every spend must match an output received, and
//   the pinned hash is checked again at the end. A node without the index or without scanblocks
//   is an Error saying -blockfilterindex=1 is needed; so is an index whose best block
//   (`getindexinfo`, asked before the scan) is below the pin, naming both heights: Core's
//   scanblocks skips the blocks its index has not reached and still says it completed.
// - Scans (`scantxoutset start`, `scanblocks start`) are sent at most once per read, with the long
//   scan deadline and no stall limit. When the start gets no answer (connection lost, deadline),
//   the client polls `<method> status` until the node's scan (its own) ends or the deadline passes
//   — so the node is left free for the next run — and then fails. When Core says "Scan already in
//   progress" (a scan this run did not start), the client polls `status` until that scan ends and
//   then sends its own start once, all within the one scan deadline. It never sends `abort`: the
//   scan may be someone else's.
// - Progress: Core answers a scan's `start` only when the scan is done, minutes later. Meanwhile a
//   second connection (Transport::Watcher, not recorded as evidence) asks `<method> status` every
//   second and hands the percent Core gives to `scan_progress`; the waiting for a scan in
//   progress reports the percent its polls read too. A replay has no watcher and shows none.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "clients/bitcoin_types.h"
#include "clients/json_rpc.h"
#include "clients/transport.h"
#include "common/progress.h"
#include "common/result.h"
#include "common/u128.h"

namespace segverify::clients {

struct BitcoinCoreOptions {
  // Deadline of one scan request (and of the waiting for a scan in progress): scantxoutset over
  // the mainnet UTXO set, or scanblocks over 900k block filters, take minutes.
  std::chrono::milliseconds scan_deadline{std::chrono::minutes(30)};
  // Block hashes per getdescriptoractivity call (an exchange's address may be in many blocks).
  std::size_t activity_blocks_per_call = 200;
  // Hears how far Core's scans are, as percent of 100, under steps ending in kPercentUnit
  // ("bitcoin source 1 (http://host:8332): scantxoutset, Core's scan of the UTXO set [%]"). May be
  // null; called from a watching thread.
  ProgressCallback scan_progress;
};

class BitcoinCoreClient {
 public:
  explicit BitcoinCoreClient(std::unique_ptr<Transport> transport, BitcoinCoreOptions options = {});

  const std::string& source() const { return rpc_.source(); }

  // getblockhash(height), confirmed by getblockheader(hash).height == height. Error
  // "<source>: block N does not exist yet" beyond the tip. Returns lower-case hex.
  [[nodiscard]] Result<std::string> BlockHash(std::uint64_t height);
  // BlockHash and the header's "time" (seconds since 1970, UTC).
  [[nodiscard]] Result<BitcoinBlockHeader> PinBlock(std::uint64_t height);

  // Balances in satoshis at `pin`, in input order (see above for how).
  [[nodiscard]] Result<std::vector<u128>> Balances(const std::vector<BitcoinTarget>& targets,
                                                   const BitcoinBlockPin& pin);

 private:
  // Balances from scantxoutset, or nullopt when the tip moved past the pin during the scan.
  [[nodiscard]] Result<std::optional<std::vector<u128>>> BalancesAtTip(const std::vector<BitcoinTarget>& targets,
                                                                       const BitcoinBlockPin& pin);
  [[nodiscard]] Result<std::vector<u128>> BalancesAtPastHeight(const std::vector<BitcoinTarget>& targets,
                                                               const BitcoinBlockPin& pin);
  [[nodiscard]] Result<std::vector<std::string>> RelevantBlocks(const std::string& descriptors,
                                                                const BitcoinBlockPin& pin);
  [[nodiscard]] Result<std::uint64_t> TipHeight();
  // The block filter index's best block (getindexinfo) is at or above the pin; otherwise an Error
  // starting with `why` that names both heights.
  [[nodiscard]] Status CheckFilterIndexReaches(const BitcoinBlockPin& pin, const std::string& why);

  // bitcoin_core_scan.cpp: `<method> start` sent once on the scan terms. An RPC error answer is
  // returned as a reply for the caller to judge; "Scan already in progress" and a start without
  // an answer are Errors after waiting for the node's scan to end (see above).
  [[nodiscard]] Result<RpcReply> StartScanOnce(const std::string& method, const std::string& params_json);
  // Polls `<method> status` until no scan runs or `deadline`; says which.
  struct ScanWait {
    bool ended = false;  // the node answered that no scan runs
    std::string text;    // what happened, for an error message
  };
  ScanWait WaitForScanToEnd(const std::string& method, std::chrono::steady_clock::time_point deadline);

  JsonRpcClient rpc_;
  BitcoinCoreOptions options_;
};

}  // namespace segverify::clients
