#include "verifier/server/report_directory.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "common/file_io.h"
#include "common/hex.h"
#include "verifier/report/report_json.h"
#include "verifier/server/status_json.h"
#include "verifier/server/status_page.h"
#include "web/assets.h"

namespace segverify::server {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxReportBytes = 16u << 20;
constexpr const char* kHistoryFileName = ".segverify-history.sqlite";

bool IsRegularFile(const fs::path& path) {
  std::error_code ec;
  return fs::symlink_status(path, ec).type() == fs::file_type::regular;
}

// report.json files in DIR and in DIR's direct, non-hidden, non-symlink subdirectories.
std::vector<std::string> FindReports(const std::string& dir) {
  std::vector<std::string> relative;
  if (IsRegularFile(fs::path(dir) / "report.json")) relative.emplace_back("report.json");
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name.front() == '.') continue;
    if (fs::symlink_status(it->path(), ec).type() != fs::file_type::directory) continue;
    if (IsRegularFile(it->path() / "report.json")) relative.push_back(name + "/report.json");
  }
  std::sort(relative.begin(), relative.end());
  return relative;
}

std::int64_t NowUnixSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string_view PageTemplate() {
  static const std::string_view page = [] {
    auto asset = web::FindWebAsset("index.html");
    return asset ? asset->content : std::string_view("<!doctype html><p id=\"verdict\">{{VERDICT}}</p>");
  }();
  return page;
}

}  // namespace

std::string EtagFor(std::string_view body) {
  const Hash256 digest = Sha256(body);
  return "\"" + ToHex(std::span(digest).first(16)) + "\"";
}

ReportDirectory::ReportDirectory(std::string dir, std::chrono::milliseconds interval, HistoryStore history)
    : dir_(std::move(dir)), interval_(interval), history_(std::move(history)) {}

Result<std::unique_ptr<ReportDirectory>> ReportDirectory::Open(const std::string& dir,
                                                               std::chrono::milliseconds rescan_interval,
                                                               const std::string& history_path) {
  std::error_code ec;
  if (fs::symlink_status(dir, ec).type() != fs::file_type::directory &&
      fs::status(dir, ec).type() != fs::file_type::directory) {
    return Error{"--report " + dir + ": not a directory"};
  }
  const std::string path = history_path.empty() ? (fs::path(dir) / kHistoryFileName).string() : history_path;
  auto history = HistoryStore::Open(path);
  if (!history) {
    // A read-only report directory can still be served; the history then lasts as long as the process.
    history = HistoryStore::Open(":memory:");
    if (!history) return history.error();
  }
  std::unique_ptr<ReportDirectory> directory(new ReportDirectory(dir, rescan_interval, std::move(*history)));
  directory->Rescan();
  return directory;
}

std::shared_ptr<const StatusSnapshot> ReportDirectory::Current() {
  {
    std::lock_guard lock(snapshot_mutex_);
    if (snapshot_ && std::chrono::steady_clock::now() - last_scan_ < interval_) return snapshot_;
  }
  // One request rescans; the others keep serving the previous snapshot meanwhile.
  if (std::unique_lock scan(scan_mutex_, std::try_to_lock); scan.owns_lock()) {
    scan.unlock();
    Rescan();
  }
  std::lock_guard lock(snapshot_mutex_);
  return snapshot_;
}

void ReportDirectory::Rescan() {
  std::lock_guard scan(scan_mutex_);
  {
    std::lock_guard lock(snapshot_mutex_);
    last_scan_ = std::chrono::steady_clock::now();
  }
  std::vector<CachedReport> fresh;
  bool changed = !snapshot_;
  for (const std::string& relative : FindReports(dir_)) {
    const fs::path path = fs::path(dir_) / relative;
    std::error_code ec;
    const auto mtime = fs::last_write_time(path, ec);
    const std::uintmax_t size = fs::file_size(path, ec);
    CachedReport entry{relative,
                       std::chrono::duration_cast<std::chrono::nanoseconds>(mtime.time_since_epoch()).count(),
                       ec ? 0 : size, nullptr};
    auto old = std::find_if(cache_.begin(), cache_.end(), [&](const CachedReport& c) {
      return c.relative_path == entry.relative_path && c.mtime_ns == entry.mtime_ns && c.size == entry.size;
    });
    if (old != cache_.end()) {
      entry.parsed = old->parsed;
    } else {
      changed = true;
      auto text = ReadFileLimited(path.string(), kMaxReportBytes);
      Result<report::Report> parsed = text ? report::ParseReport(*text, relative)
                                             : Result<report::Report>(Error{relative + ": cannot be read"});
      if (parsed) {
        if (Status recorded = history_.Record(*parsed, NowUnixSeconds()); !recorded) {
          parsed = Error{relative + ": cannot be recorded in the history: " + recorded.message()};
        }
      }
      entry.parsed = std::make_shared<const Result<report::Report>>(std::move(parsed));
    }
    fresh.push_back(std::move(entry));
  }
  if (fresh.size() != cache_.size()) changed = true;
  cache_ = std::move(fresh);
  if (!changed) return;
  auto snapshot = BuildSnapshot();
  std::lock_guard lock(snapshot_mutex_);
  snapshot_ = std::move(snapshot);
}

std::shared_ptr<const StatusSnapshot> ReportDirectory::BuildSnapshot() {
  const CachedReport* current = nullptr;
  for (const CachedReport& entry : cache_) {
    if (!entry.parsed->ok()) continue;
    if (current == nullptr) { current = &entry; continue; }
    const std::string& id = entry.parsed->value().id;
    const std::string& current_id = current->parsed->value().id;
    if (id > current_id || (id == current_id && entry.mtime_ns > current->mtime_ns)) current = &entry;
  }
  std::string error;
  if (current == nullptr) error = "no valid report.json in the report directory";
  for (const CachedReport& entry : cache_) {
    if (!entry.parsed->ok() && (current == nullptr || entry.mtime_ns > current->mtime_ns)) {
      error = entry.parsed->error().message;
      break;
    }
  }

  auto snapshot = std::make_shared<StatusSnapshot>();
  if (error.empty()) {
    const report::Report& shown = current->parsed->value();
    snapshot->verdict = std::string(report::ToString(shown.verdict));
    snapshot->id = shown.id;
    snapshot->status_json = StatusToJson(shown);
  } else {
    snapshot->verdict = std::string(report::ToString(report::Verdict::kError));
    snapshot->status_json = ErrorStatusToJson(error);
  }
  auto roots = history_.ListRoots();
  if (roots) {
    snapshot->roots_json = RootsToJson(*roots);
    for (const RootRecord& root : *roots) {
      Hash256 hash;
      if (FromHexExact(root.hash, hash)) snapshot->published_roots.push_back(hash);
    }
  } else {
    snapshot->roots_json = "[]";  // nothing can be confirmed as published (fail closed)
  }
  snapshot->status_etag = EtagFor(snapshot->status_json);
  snapshot->badge_svg = RenderBadgeSvg(snapshot->verdict, snapshot->id);
  snapshot->badge_etag = EtagFor(snapshot->badge_svg);
  snapshot->page_html = RenderStatusPage(PageTemplate(), snapshot->verdict, snapshot->id.empty() ? "none" : snapshot->id);
  return snapshot;
}

}  // namespace segverify::server
