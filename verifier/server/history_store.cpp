#include "verifier/server/history_store.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>

#include "common/hex.h"
#include "merkle/amount.h"
#include "verifier/report/public_view.h"

namespace segverify::server {
namespace {

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS roots ("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    " report_id TEXT NOT NULL, pool TEXT NOT NULL, hash TEXT NOT NULL, sums TEXT NOT NULL,"
    " height INTEGER NOT NULL, assets TEXT NOT NULL, verdict TEXT NOT NULL, first_seen INTEGER NOT NULL,"
    " attested_at TEXT,"
    " UNIQUE (report_id, pool, hash))";

// Amount texts and "SYMBOL:decimals" never contain a comma, so a comma list is unambiguous.
std::string JoinComma(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ',';
    out += item;
  }
  return out;
}

std::vector<std::string> SplitComma(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    out.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

class Statement {
 public:
  Statement(sqlite3* db, const char* sql) { ok_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) == SQLITE_OK; }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  bool ok() const { return ok_; }
  sqlite3_stmt* get() { return stmt_; }
  void BindText(int index, const std::string& text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  std::string Text(int column) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return p == nullptr ? std::string() : std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
  }
  bool IsNull(int column) { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  bool ok_ = false;
};

Error SqlError(sqlite3* db, const std::string& path, std::string_view what) {
  return Error{"history " + path + ": " + std::string(what) + ": " + sqlite3_errmsg(db)};
}

// A history written before dates were recorded lacks the attested_at column.
bool HasColumn(sqlite3* db, const char* column) {
  Statement info(db, "PRAGMA table_info(roots)");
  if (!info.ok()) return false;
  while (sqlite3_step(info.get()) == SQLITE_ROW) {
    if (info.Text(1) == column) return true;
  }
  return false;
}

}  // namespace

void OrderNewestFirst(std::vector<report::ListedRoot>& records) {
  auto seconds = [](const report::ListedRoot& r) -> std::optional<std::int64_t> {
    return r.attested_at ? report::ParseUtcTime(*r.attested_at) : std::nullopt;
  };
  std::stable_sort(records.begin(), records.end(), [&](const report::ListedRoot& a, const report::ListedRoot& b) {
    const auto ta = seconds(a), tb = seconds(b);
    if (ta && tb) return *ta > *tb;
    return ta.has_value() && !tb.has_value();  // dated records before undated ones
  });
}

Result<HistoryStore> HistoryStore::Open(const std::string& path) {
  sqlite3* db = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  HistoryStore store(db, path);  // closes db on every error path below
  if (rc != SQLITE_OK) return SqlError(db, path, "cannot open");
  sqlite3_busy_timeout(db, 2000);
  if (sqlite3_exec(db, kSchema, nullptr, nullptr, nullptr) != SQLITE_OK)
    return SqlError(db, path, "cannot create schema");
  if (!HasColumn(db, "attested_at") &&
      sqlite3_exec(db, "ALTER TABLE roots ADD COLUMN attested_at TEXT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return SqlError(db, path, "cannot upgrade the schema");
  }
  store.RememberFileIdentity();
  return store;
}

HistoryStore::~HistoryStore() {
  if (db_ != nullptr) sqlite3_close(db_);
}

HistoryStore::HistoryStore(HistoryStore&& other) noexcept
    : db_(other.db_), path_(std::move(other.path_)), device_(other.device_), inode_(other.inode_) {
  other.db_ = nullptr;
}

HistoryStore& HistoryStore::operator=(HistoryStore&& other) noexcept {
  if (this != &other) {
    if (db_ != nullptr) sqlite3_close(db_);
    db_ = other.db_;
    path_ = std::move(other.path_);
    device_ = other.device_;
    inode_ = other.inode_;
    other.db_ = nullptr;
  }
  return *this;
}

void HistoryStore::RememberFileIdentity() {
  struct stat info {};
  if (path_ != ":memory:" && ::stat(path_.c_str(), &info) == 0) {
    device_ = info.st_dev;
    inode_ = info.st_ino;
  }
}

Status HistoryStore::Insert(const report::ListedRoot& record) {
  Statement insert(db_,
                   "INSERT OR IGNORE INTO roots (report_id, pool, hash, sums, height, assets, verdict, first_seen,"
                   " attested_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  if (!insert.ok()) return SqlError(db_, path_, "cannot prepare insert");
  insert.BindText(1, record.report_id);
  insert.BindText(2, record.pool);
  insert.BindText(3, record.hash);
  insert.BindText(4, JoinComma(record.sums));
  sqlite3_bind_int64(insert.get(), 5, record.height);
  insert.BindText(6, merkle::AssetListToString(record.assets));
  insert.BindText(7, std::string(report::ToString(record.verdict)));
  sqlite3_bind_int64(insert.get(), 8, record.first_seen);
  if (record.attested_at)
    insert.BindText(9, *record.attested_at);
  else
    sqlite3_bind_null(insert.get(), 9);
  if (sqlite3_step(insert.get()) != SQLITE_DONE) return SqlError(db_, path_, "cannot record root");
  return Status::Ok();
}

Status HistoryStore::Record(const report::Report& recorded, std::int64_t seen_unix) {
  for (report::ListedRoot& record : report::RootsOf(recorded)) {
    record.first_seen = seen_unix;
    if (Status s = Insert(record); !s) return s;
  }
  return Status::Ok();
}

Result<std::vector<report::ListedRoot>> HistoryStore::ListRoots() const {
  Statement select(db_,
                   "SELECT report_id, pool, hash, sums, height, assets, verdict, first_seen, attested_at FROM roots"
                   " ORDER BY first_seen DESC, seq DESC");
  if (!select.ok()) return SqlError(db_, path_, "cannot prepare query");
  std::vector<report::ListedRoot> roots;
  int rc;
  while ((rc = sqlite3_step(select.get())) == SQLITE_ROW) {
    report::ListedRoot record;
    record.report_id = select.Text(0);
    record.pool = select.Text(1);
    record.hash = select.Text(2);
    record.sums = SplitComma(select.Text(3));
    record.height = static_cast<unsigned>(sqlite3_column_int64(select.get(), 4));
    if (const std::string assets = select.Text(5); !assets.empty()) {
      auto parsed = merkle::ParseAssetList(assets);
      if (!parsed) return Error{"history " + path_ + ": corrupt asset list: " + parsed.error().message};
      record.assets = std::move(*parsed);
    }
    // Written by Insert from the enum; anything else reads as could-not-check, never as a PASS.
    auto verdict = report::ParseVerdict(select.Text(6));
    record.verdict = verdict ? *verdict : report::Verdict::kError;
    record.first_seen = sqlite3_column_int64(select.get(), 7);
    if (!select.IsNull(8)) record.attested_at = select.Text(8);
    roots.push_back(std::move(record));
  }
  if (rc != SQLITE_DONE) return SqlError(db_, path_, "cannot read roots");
  OrderNewestFirst(roots);
  return roots;
}

Status HistoryStore::KeepFileInPlace() {
  if (path_ == ":memory:") return Status::Ok();
  struct stat info {};
  if (::stat(path_.c_str(), &info) == 0 && info.st_dev == device_ && info.st_ino == inode_) return Status::Ok();
  auto records = ListRoots();  // still readable through the open handle
  if (!records) return records.error();
  auto fresh = Open(path_);
  if (!fresh) return fresh.error();
  for (const report::ListedRoot& record : *records) {
    if (Status s = fresh->Insert(record); !s) return s;
  }
  *this = std::move(*fresh);
  return Status::Ok();
}

}  // namespace segverify::server
