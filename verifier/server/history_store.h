// History of every report the status server has seen, in SQLite (one file beside the reports), so
// /api/roots lists every published root, newest first, across months and restarts.
//
// Recording is idempotent: the same (report id, pool, root hash) is stored once, with the time it
// was first seen. The history never decides the current verdict (ReportDirectory does, from the
// files); it only answers "which roots were published".
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "merkle/asset.h"
#include "verifier/report/report.h"

struct sqlite3;

namespace segverify::server {

struct RootRecord {
  std::string report_id;
  std::string pool;
  std::string hash;                // 64 lower-case hex
  std::vector<std::string> sums;   // decimal strings, as the report wrote them
  unsigned height = 0;
  std::vector<merkle::AssetSpec> assets;  // empty when the report did not carry them
  std::string verdict;             // the report's verdict
  std::int64_t first_seen = 0;     // unix seconds
};

class HistoryStore {
 public:
  // Opens (creating if needed) the database at `path`; ":memory:" keeps it in memory only.
  [[nodiscard]] static Result<HistoryStore> Open(const std::string& path);
  ~HistoryStore();
  HistoryStore(HistoryStore&& other) noexcept;
  HistoryStore& operator=(HistoryStore&& other) noexcept;
  HistoryStore(const HistoryStore&) = delete;
  HistoryStore& operator=(const HistoryStore&) = delete;

  // Records every pool root of `report` (pools without a root are skipped; already recorded roots
  // keep their first_seen).
  [[nodiscard]] Status Record(const report::Report& report, std::int64_t seen_unix);

  // All recorded roots, newest first (report id descending, then most recently recorded).
  [[nodiscard]] Result<std::vector<RootRecord>> ListRoots() const;

  const std::string& path() const { return path_; }

 private:
  HistoryStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_ = nullptr;
  std::string path_;
};

}  // namespace segverify::server
