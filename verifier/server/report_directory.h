// The report directory `serve` shows, and what it currently shows.
//
// The current report is DIR/report.json (what `attest --out DIR` writes), published with
// DIR/attestation.json when that is its public attestation (site.h ReadPublicAttestation; else the
// site has none); nothing else in DIR is read, and a symlinked report.json or attestation.json is
// ignored, so nothing outside DIR is ever read. Fail closed:
// a report.json that is missing, unreadable or invalid makes the status ERROR naming why (never
// an older PASS). Earlier attestations come from the history (history_store.h), which records
// every valid report seen; they appear in roots.json and the page's history, never as the current
// verdict. The file is re-checked (stat) at most once per `rescan_interval`, on request, so a new
// report is picked up without restart.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "common/result.h"
#include "verifier/server/history_store.h"
#include "verifier/server/site.h"

namespace segverify::server {

// A strong ETag for `body` (quoted hex prefix of its SHA-256).
std::string EtagFor(std::string_view body);

class ReportDirectory {
 public:
  // `history_path` empty = DIR/.segverify-history.sqlite, kept in memory when that cannot be
  // written (a read-only DIR). A history_path given explicitly must open.
  // `read_attestation` reads DIR/attestation.json (site.h ReadPublicAttestation); without it none
  // is served.
  [[nodiscard]] static Result<std::unique_ptr<ReportDirectory>> Open(const std::string& dir,
                                                                     std::chrono::milliseconds rescan_interval,
                                                                     const std::string& history_path = "",
                                                                     PublicAttestationReader read_attestation = {});

  // The site to serve now; re-checks DIR/report.json first if the last check is older than the
  // interval. Never null.
  std::shared_ptr<const Site> Current();

  // Re-checks now (tests, and the first check).
  void Rescan();

  const std::string& history_path() const { return history_.path(); }

 private:
  struct FileStamp {
    std::int64_t mtime_ns = -1;
    std::uintmax_t size = 0;
    std::uintmax_t inode = 0;
    bool operator==(const FileStamp&) const = default;
  };

  ReportDirectory(std::string dir, std::chrono::milliseconds interval, HistoryStore history,
                  PublicAttestationReader read_attestation);
  std::shared_ptr<const Site> BuildSnapshot(const Result<report::Report>& current, std::string_view attestation);

  const std::string dir_;
  const std::chrono::milliseconds interval_;
  std::mutex scan_mutex_;  // one check at a time; guards history_ and stamp_
  HistoryStore history_;
  const PublicAttestationReader read_attestation_;
  std::optional<FileStamp> stamp_;  // of the report.json last read (nullopt: none yet)
  std::mutex snapshot_mutex_;       // guards snapshot_ and last_scan_
  std::shared_ptr<const Site> snapshot_;
  std::chrono::steady_clock::time_point last_scan_{};
};

}  // namespace segverify::server
