// History of every report the status server has seen (its roots, report::ListedRoot of roots_json.h), in SQLite (the
// file `serve --state FILE`, by default DIR/.segverify-history.sqlite), so roots.json lists every published root across
// months and restarts, newest first by the attestation's date (its pinned blocks' time).
//
// Recording is idempotent: the same (report id, pool, root hash) is stored once, with the time it
// was first seen. The history never decides the current verdict (the report in --report DIR
// does); it answers "which roots were published, when, with which verdict".
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "merkle/asset.h"
#include "verifier/report/report.h"
#include "verifier/report/roots_json.h"

struct sqlite3;

namespace segverify::server {

// Newest first: records with a date by that date (latest first), then records without one in
// their current order. Stable; never compares ids as text.
void OrderNewestFirst(std::vector<report::ListedRoot>& records);

class HistoryStore {
 public:
  // Opens (creating if needed) the database at `path`; ":memory:" keeps it in memory only. An
  // older history file (without dates) is upgraded in place.
  [[nodiscard]] static Result<HistoryStore> Open(const std::string& path);
  ~HistoryStore();
  HistoryStore(HistoryStore&& other) noexcept;
  HistoryStore& operator=(HistoryStore&& other) noexcept;
  HistoryStore(const HistoryStore&) = delete;
  HistoryStore& operator=(const HistoryStore&) = delete;

  // Records every pool root of `report` (already recorded roots keep their first_seen).
  [[nodiscard]] Status Record(const report::Report& report, std::int64_t seen_unix);
  [[nodiscard]] Status Insert(const report::ListedRoot& record);

  // All recorded roots, OrderNewestFirst (records without a date: most recently recorded first).
  [[nodiscard]] Result<std::vector<report::ListedRoot>> ListRoots() const;

  // When the file at path() is no longer the one this store opened (deleted, or replaced by a
  // directory swap such as `attest --out` replacing DIR whole), recreates it there with every
  // record. Nothing to do for ":memory:".
  [[nodiscard]] Status KeepFileInPlace();

  const std::string& path() const { return path_; }

 private:
  HistoryStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  void RememberFileIdentity();

  sqlite3* db_ = nullptr;
  std::string path_;
  dev_t device_ = 0;
  ino_t inode_ = 0;
};

}  // namespace segverify::server
