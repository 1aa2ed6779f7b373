// The report directory the status server serves, and what it currently shows.
//
// Layout (both accepted, also mixed): DIR/report.json (one run) and DIR/<run>/report.json (a
// directory of runs; `attest --out DIR/<run>`). Hidden entries and symlinks are ignored, so
// nothing outside DIR is ever read. The CURRENT report is the valid one with the greatest id
// (ids compare as text: "2026-11" < "2026-12"), ties broken by the newer file. Fail closed: when a
// report.json that is newer (mtime) than the current one cannot be read or validated, the status
// is ERROR naming that file, never the older PASS.
//
// Every valid report seen is recorded in the history (DIR/.segverify-history.sqlite, or in memory
// when DIR is not writable); /api/roots lists the history. The directory is rescanned at most once
// per `rescan_interval` (on request), so a new or rewritten report is picked up without restart.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/sha256.h"
#include "verifier/server/history_store.h"
#include "verifier/report/report.h"

namespace segverify::server {

// Everything a request needs, rendered once per change (immutable once published).
struct StatusSnapshot {
  std::string verdict;  // "PASS" / "FAIL" / "ERROR"
  std::string id;       // attestation id; empty when no report can be served
  std::string status_json;
  std::string status_etag;  // quoted, e.g. "\"3f2a...\""
  std::string roots_json;
  std::string badge_svg;
  std::string badge_etag;
  std::string page_html;
  std::vector<Hash256> published_roots;
};

// A strong ETag for `body` (quoted hex prefix of its SHA-256).
std::string EtagFor(std::string_view body);

class ReportDirectory {
 public:
  // `history_path` empty = DIR/.segverify-history.sqlite (in memory if that cannot be opened).
  [[nodiscard]] static Result<std::unique_ptr<ReportDirectory>> Open(const std::string& dir,
                                                                     std::chrono::milliseconds rescan_interval,
                                                                     const std::string& history_path = "");

  // The snapshot to serve now; rescans first if the last scan is older than the interval.
  std::shared_ptr<const StatusSnapshot> Current();

  // Rescans now (tests, and the first scan).
  void Rescan();

  // Where the history lives (":memory:" when DIR was not writable).
  const std::string& history_path() const { return history_.path(); }

 private:
  struct CachedReport {
    std::string relative_path;  // "report.json" or "<run>/report.json"
    std::int64_t mtime_ns = 0;
    std::uintmax_t size = 0;
    std::shared_ptr<const Result<report::Report>> parsed;
  };

  ReportDirectory(std::string dir, std::chrono::milliseconds interval, HistoryStore history);
  std::shared_ptr<const StatusSnapshot> BuildSnapshot();

  const std::string dir_;
  const std::chrono::milliseconds interval_;
  HistoryStore history_;
  std::mutex scan_mutex_;            // one scan at a time; guards cache_ and history_
  std::vector<CachedReport> cache_;
  std::mutex snapshot_mutex_;        // guards snapshot_ and last_scan_
  std::shared_ptr<const StatusSnapshot> snapshot_;
  std::chrono::steady_clock::time_point last_scan_{};
};

}  // namespace segverify::server
