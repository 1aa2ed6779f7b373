#include "verifier/server/history_store.h"

#include "merkle/amount.h"

#include <sqlite3.h>

#include "common/hex.h"

namespace segverify::server {
namespace {

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS roots ("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    " report_id TEXT NOT NULL, pool TEXT NOT NULL, hash TEXT NOT NULL, sums TEXT NOT NULL,"
    " height INTEGER NOT NULL, assets TEXT NOT NULL, verdict TEXT NOT NULL, first_seen INTEGER NOT NULL,"
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

 private:
  sqlite3_stmt* stmt_ = nullptr;
  bool ok_ = false;
};

Error SqlError(sqlite3* db, const std::string& path, std::string_view what) {
  return Error{"history " + path + ": " + std::string(what) + ": " + sqlite3_errmsg(db)};
}

}  // namespace

Result<HistoryStore> HistoryStore::Open(const std::string& path) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  HistoryStore store(db, path);  // closes db on every error path below
  if (rc != SQLITE_OK) return SqlError(db, path, "cannot open");
  sqlite3_busy_timeout(db, 2000);
  if (sqlite3_exec(db, kSchema, nullptr, nullptr, nullptr) != SQLITE_OK) return SqlError(db, path, "cannot create schema");
  return store;
}

HistoryStore::~HistoryStore() {
  if (db_ != nullptr) sqlite3_close(db_);
}

HistoryStore::HistoryStore(HistoryStore&& other) noexcept : db_(other.db_), path_(std::move(other.path_)) {
  other.db_ = nullptr;
}

HistoryStore& HistoryStore::operator=(HistoryStore&& other) noexcept {
  if (this != &other) {
    if (db_ != nullptr) sqlite3_close(db_);
    db_ = other.db_;
    path_ = std::move(other.path_);
    other.db_ = nullptr;
  }
  return *this;
}

Status HistoryStore::Record(const report::Report& recorded, std::int64_t seen_unix) {
  Statement insert(db_,
                   "INSERT OR IGNORE INTO roots (report_id, pool, hash, sums, height, assets, verdict, first_seen)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!insert.ok()) return SqlError(db_, path_, "cannot prepare insert");
  for (const report::PoolReport& pool : recorded.pools) {
    if (!pool.root) continue;  // nothing was published for this pool
    const merkle::PublishedRoot& root = *pool.root;
    std::vector<std::string> sums;
    for (std::size_t i = 0; i < root.sums.size(); ++i) sums.push_back(merkle::FormatAmount(root.sums[i], root.assets[i].decimals));
    sqlite3_reset(insert.get());
    insert.BindText(1, recorded.id);
    insert.BindText(2, pool.name);
    insert.BindText(3, ToHex(root.hash));
    insert.BindText(4, JoinComma(sums));
    sqlite3_bind_int64(insert.get(), 5, root.height);
    insert.BindText(6, merkle::AssetListToString(root.assets));
    insert.BindText(7, std::string(report::ToString(recorded.verdict)));
    sqlite3_bind_int64(insert.get(), 8, seen_unix);
    if (sqlite3_step(insert.get()) != SQLITE_DONE) return SqlError(db_, path_, "cannot record root");
  }
  return Status::Ok();
}

Result<std::vector<RootRecord>> HistoryStore::ListRoots() const {
  Statement select(db_,
                   "SELECT report_id, pool, hash, sums, height, assets, verdict, first_seen FROM roots"
                   " ORDER BY report_id DESC, seq DESC");
  if (!select.ok()) return SqlError(db_, path_, "cannot prepare query");
  std::vector<RootRecord> roots;
  int rc;
  while ((rc = sqlite3_step(select.get())) == SQLITE_ROW) {
    RootRecord record;
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
    record.verdict = select.Text(6);
    record.first_seen = sqlite3_column_int64(select.get(), 7);
    roots.push_back(std::move(record));
  }
  if (rc != SQLITE_DONE) return SqlError(db_, path_, "cannot read roots");
  return roots;
}

}  // namespace segverify::server
