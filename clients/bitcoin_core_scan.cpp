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
#include <condition_variable>
#include <mutex>
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

// How often a watcher asks how far this run's scan is: a status answer costs Core nothing.
constexpr std::chrono::milliseconds kWatchInterval{1000};

// The "progress" of a `<method> status` answer (help: scantxoutset, scanblocks: "Approximate
// percent complete"), whole percent; nullopt when the answer has none (null: no scan runs).
std::optional<std::uint64_t> ScanPercent(const std::string& result_json, const std::string& origin) {
  auto status = ParseNodeJson(result_json, origin, RpcNumbers::kExactText);
  if (!status || !(*status)->IsObject() || !(*status)->HasMember("progress")) return std::nullopt;
  const JsonValue& progress = (**status)["progress"];
  if (!progress.IsString()) return std::nullopt;
  std::string_view text(progress.GetString(), progress.GetStringLength());
  text = text.substr(0, text.find('.'));  // documented as numeric: "12.5" is 12 %
  auto percent = Uint64FromDecimalText(text);
  if (!percent) return std::nullopt;
  return std::min<std::uint64_t>(*percent, 100);
}

// What the user reads while Core scans ("bitcoin source 1 (...): scantxoutset, Core's scan of the
// UTXO set 40%, 12 s so far").
std::string ScanStep(const std::string& source, const std::string& method) {
  const char* what = method == "scantxoutset" ? ", Core's scan of the UTXO set" : ", Core's scan of the block filters";
  return source + ": " + method + what + std::string(kPercentUnit);
}

// Reports how far this run's scan is while its `start` waits for the answer: asks `<method>
// status` every kWatchInterval on a watching connection (bitcoin_core_client.h §Progress) until
// stopped. Without a callback it does nothing; without a watcher it only reports the start (0 %)
// and, through Done, the end.
class ScanWatch {
 public:
  ScanWatch(std::unique_ptr<Transport> watcher, std::string method, std::string step, ProgressCallback progress)
      : method_(std::move(method)), step_(std::move(step)), progress_(std::move(progress)) {
    if (!progress_) return;
    progress_(step_, 0, 100);
    if (!watcher) return;
    rpc_ = std::make_unique<JsonRpcClient>(std::move(watcher), RpcNumbers::kExactText);
    thread_ = std::thread([this] { Run(); });
  }
  ~ScanWatch() { Stop(); }
  ScanWatch(const ScanWatch&) = delete;
  ScanWatch& operator=(const ScanWatch&) = delete;

  // The scan answered complete: the step ends at 100 % with its duration.
  void Done() {
    Stop();
    if (progress_) progress_(step_, 100, 100);
  }

 private:
  void Stop() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  void Run() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, kWatchInterval, [this] { return stop_; })) {
      lock.unlock();
      // Best effort: a status that fails or says nothing is skipped; the start decides the outcome.
      std::optional<std::uint64_t> percent;
      if (auto reply = rpc_->Call({method_, "[\"status\"]"}); reply && !reply->is_error) {
        percent = ScanPercent(reply->result_json, step_);
      }
      lock.lock();
      if (stop_) break;
      if (percent && *percent < 100) progress_(step_, *percent, 100);  // 100 % only once the answer is in
    }
  }

  std::string method_;
  std::string step_;
  ProgressCallback progress_;
  std::unique_ptr<JsonRpcClient> rpc_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;  // last: started once everything it reads is constructed
};

}  // namespace

Result<RpcReply> BitcoinCoreClient::StartScanOnce(const std::string& method, const std::string& params_json) {
  const Clock::time_point deadline = Clock::now() + options_.scan_deadline;
  auto start = [&]() {
    RequestTerms terms;
    terms.idempotent = false;
    terms.deadline = std::max(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()),
                              std::chrono::milliseconds(1));
    terms.silent_until_done = true;
    ScanWatch watch(rpc_.Watcher(), method, ScanStep(source(), method), options_.scan_progress);
    auto answer = rpc_.Call({method, params_json}, terms);
    if (answer && !answer->is_error) watch.Done();
    return answer;
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
    if (auto percent = ScanPercent(reply->result_json, source() + " (" + method + " status)")) {
      last_progress = std::to_string(*percent);
      if (options_.scan_progress) {
        options_.scan_progress(
            source() + ": waiting for the node's " + method + " scan to end" + std::string(kPercentUnit), *percent,
            100);
      }
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
