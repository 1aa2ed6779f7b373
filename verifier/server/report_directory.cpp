#include "verifier/server/report_directory.h"

#include <sys/stat.h>

#include <filesystem>
#include <system_error>

#include "common/file_io.h"
#include "common/hex.h"
#include "verifier/report/public_view.h"
#include "verifier/report/published_files.h"
#include "verifier/report/report_json.h"

namespace segverify::server {
namespace {

namespace fs = std::filesystem;

constexpr const char* kHistoryFileName = ".segverify-history.sqlite";
constexpr const char* kReportName = "report.json";

std::int64_t NowUnixSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

std::string EtagFor(std::string_view body) {
  const Hash256 digest = Sha256(body);
  return "\"" + ToHex(std::span(digest).first(16)) + "\"";
}

ReportDirectory::ReportDirectory(std::string dir, std::chrono::milliseconds interval, HistoryStore history,
                                 PublicAttestationReader read_attestation)
    : dir_(std::move(dir)),
      interval_(interval),
      history_(std::move(history)),
      read_attestation_(std::move(read_attestation)) {}

Result<std::unique_ptr<ReportDirectory>> ReportDirectory::Open(const std::string& dir,
                                                               std::chrono::milliseconds rescan_interval,
                                                               const std::string& history_path,
                                                               PublicAttestationReader read_attestation) {
  std::error_code ec;
  if (fs::status(dir, ec).type() != fs::file_type::directory) return Error{"--report " + dir + ": not a directory"};
  auto history = HistoryStore::Open(history_path.empty() ? (fs::path(dir) / kHistoryFileName).string() : history_path);
  if (!history) {
    if (!history_path.empty()) return Error{"--state: " + history.error().message};
    // A read-only report directory can still be served; the history then lasts as long as the process.
    history = HistoryStore::Open(":memory:");
    if (!history) return history.error();
  }
  std::unique_ptr<ReportDirectory> directory(
      new ReportDirectory(dir, rescan_interval, std::move(*history), std::move(read_attestation)));
  directory->Rescan();
  return directory;
}

std::shared_ptr<const Site> ReportDirectory::Current() {
  {
    std::lock_guard lock(snapshot_mutex_);
    if (snapshot_ && std::chrono::steady_clock::now() - last_scan_ < interval_) return snapshot_;
  }
  // One request re-checks; the others keep serving the previous snapshot meanwhile.
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
  (void)history_.KeepFileInPlace();  // a failure here only loses history, never the verdict

  const std::string path = (fs::path(dir_) / kReportName).string();
  struct stat info {};
  FileStamp stamp;
  const bool regular = ::lstat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
  if (regular) {
    stamp = {static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec,
             static_cast<std::uintmax_t>(info.st_size), static_cast<std::uintmax_t>(info.st_ino)};
  }
  if (stamp_ && *stamp_ == stamp && snapshot_) return;
  stamp_ = stamp;

  Result<report::Report> current = Error{"no report.json in the report directory"};
  std::string attestation;  // published only when it is the current report's (site.h)
  if (regular) {
    auto text = ReadFileLimited(path, report::kMaxPublishedFileBytes);
    // Errors name the file as "report.json" (its origin), never the server's path.
    current =
        text ? report::ParseReport(*text, kReportName) : Result<report::Report>(Error{"report.json cannot be read"});
    if (current) {
      if (Status recorded = history_.Record(*current, NowUnixSeconds()); !recorded) {
        current = Error{"report.json cannot be recorded in the history"};
      }
    }
    if (current) {
      auto read = ReadPublicAttestation(dir_, *current, read_attestation_);
      if (read && *read) attestation = std::move(**read);
    }
  }
  auto snapshot = BuildSnapshot(current, attestation);
  std::lock_guard lock(snapshot_mutex_);
  snapshot_ = std::move(snapshot);
}

std::shared_ptr<const Site> ReportDirectory::BuildSnapshot(const Result<report::Report>& current,
                                                           std::string_view attestation) {
  auto roots = history_.ListRoots();
  std::vector<report::ListedRoot> history = roots ? std::move(*roots) : std::vector<report::ListedRoot>();
  if (current)
    return std::make_shared<const Site>(
        BuildSite(&*current, "", std::move(history), SiteExtras{std::string(attestation), NowUnixSeconds(), {}}));
  // Reader errors name fields by their JSON path ("pools[0].assets[1]"): in public words too.
  return std::make_shared<const Site>(BuildSite(nullptr, report::PublicText(current.error().message, {}),
                                                std::move(history), SiteExtras{{}, NowUnixSeconds(), {}}));
}

}  // namespace segverify::server
