// Long scans on Bitcoin Core (`scantxoutset`, `scanblocks`): started once, never aborted.
//
// Both RPCs take an action (help: scantxoutset, scanblocks, Core 29.0,
// https://bitcoincore.org/en/doc/29.0.0/rpc/blockchain/scantxoutset/ and .../scanblocks/):
// "start" runs the scan and answers when it is done; "status" answers {"progress": N, ...} while a
// scan runs and null when none does; "abort" stops the running scan — whoever started it, which
// is why this client never sends it. Core runs one scan of each kind at a time: a second "start"
// gets RPC_INVALID_PARAMETER (-8) 'Scan already in progress, use action "abort" or "status"'
// (src/rpc/blockchain.cpp, CoinsViewScanReserver / BlockFiltersScanReserver).
#include <algorithm>
#include <thread>

#include "clients/bitcoin_core_client.h"
#include "clients/bitcoin_core_rpc.h"
#include "clients/http_transport.h"

namespace segverify::clients {
namespace {

using Clock = std::chrono::steady_clock;

bool IsScanInProgress(const RpcReply& reply) {
  return reply.is_error && reply.error_code == -8 &&
         reply.error_message.find("Scan already in progress") != std::string::npos;
}

// How often `status` is asked while waiting: about 30 times over the deadline, between 0.1 and 5 s.
std::chrono::milliseconds PollInterval(std::chrono::milliseconds deadline) {
  return std::clamp(deadline / 30, std::chrono::milliseconds(100), std::chrono::milliseconds(5000));
}

}  // namespace

Result<RpcReply> BitcoinCoreClient::StartScanOnce(const std::string& method, const std::string& params_json) {
  const Clock::time_point deadline = Clock::now() + options_.scan_deadline;
  auto start = [&]() {
    RequestTerms terms;
    terms.idempotent = false;
    terms.deadline = std::max(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()),
                              std::chrono::milliseconds(1));
    terms.silent_until_done = true;
    return rpc_.Call({method, params_json}, terms);
  };
  auto reply = start();
  const std::string origin = source() + " (" + method + " start)";
  if (reply && !IsScanInProgress(*reply)) return reply;
  if (!reply) {
    // Our own start may still be running on the node: wait for it, never send it again.
    return reply.error().Rephrased(reply.error().message + "; " + WaitForScanToEnd(method, deadline).text +
                                   "; the scan was not started a second time nor aborted");
  }
  // Someone else's scan: wait for it to end, then start this run's scan once, within the deadline.
  const ScanWait wait = WaitForScanToEnd(method, deadline);
  if (!wait.ended) {
    return Error{origin + ": the node is already running a " + method + " scan that this run did not start; " +
                     wait.text + "; that scan was not aborted and this one was not started",
                 ProblemKind::kTimedOut};
  }
  reply = start();
  if (reply && IsScanInProgress(*reply)) {
    return Error{origin + ": the node's " + method + " scan that this run did not start ended, but another began " +
                     "before this run's; none was aborted and this one was not started",
                 ProblemKind::kRefusedByNode};
  }
  if (!reply) {
    return reply.error().Rephrased(reply.error().message + " (after waiting for a scan this run did not start); " +
                                   WaitForScanToEnd(method, deadline).text +
                                   "; the scan was not started a third time nor aborted");
  }
  return reply;
}

BitcoinCoreClient::ScanWait BitcoinCoreClient::WaitForScanToEnd(const std::string& method, Clock::time_point deadline) {
  const std::chrono::milliseconds interval = PollInterval(options_.scan_deadline);
  std::string last_progress;
  while (true) {
    auto reply = rpc_.Call({method, "[\"status\"]"});
    if (!reply) return {false, "its state could not be read (" + reply.error().message + ")"};
    if (reply->is_error) return {false, "its state could not be read (" + reply->ShownError() + ")"};
    if (reply->result_json == "null") return {true, "the node's scan has ended"};
    auto status = ParseNodeJson(reply->result_json, source() + " (" + method + " status)", RpcNumbers::kExactText);
    if (status && (*status)->IsObject() && (*status)->HasMember("progress")) {
      if (auto percent = CoreUint64((**status)["progress"])) last_progress = std::to_string(*percent);
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left <= std::chrono::milliseconds(0)) {
      return {false, "the node's scan was still running" + (last_progress.empty() ? "" : " (" + last_progress + " %)") +
                         " when the scan deadline of " + DurationText(options_.scan_deadline) + " passed"};
    }
    std::this_thread::sleep_for(std::min(interval, left));
  }
}

}  // namespace segverify::clients
