#include "verifier/server/publish.h"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>
#include <system_error>
#include <tuple>

#include "common/file_io.h"
#include "verifier/report/public_view.h"
#include "verifier/report/published_files.h"
#include "verifier/report/report_html.h"
#include "verifier/report/report_json.h"
#include "verifier/report/roots_json.h"
#include "verifier/server/history_store.h"
#include "verifier/server/site.h"
#include "verifier/server/site_writer.h"
#include "verifier/server/status_json.h"

namespace segverify::server {
namespace {

namespace fs = std::filesystem;

using Files = std::vector<std::pair<std::string, std::string>>;

// The files each attestation keeps under attestations/<id>/.
constexpr const char* kArchivedFiles[] = {"attestation.json", "report.json", "report.html"};

bool IsPublishedSite(const fs::path& site) {
  std::error_code ec;
  return fs::exists(site / std::string(kSiteMarker), ec);
}

// The roots.json of the site being replaced (none when SITE is new or not a published site).
Result<report::PublishedRoots> PreviousRoots(const std::string& out_dir) {
  std::error_code ec;
  const fs::path site(out_dir);
  if (!IsPublishedSite(site) || !fs::exists(site / "roots.json", ec)) return report::PublishedRoots();
  const std::string path = (site / "roots.json").string();
  auto text = ReadFileLimited(path, report::kMaxPublishedFileBytes);
  if (!text) return text.error();
  auto roots = report::ParsePublishedRoots(*text, path);
  if (!roots) return Error{roots.error().message + " (the published history; remove it to start a new one)"};
  return roots;
}

void AddMissing(std::vector<report::ListedRoot>& into, std::vector<report::ListedRoot> more) {
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  for (const report::ListedRoot& r : into) seen.emplace(r.report_id, r.pool, r.hash);
  for (report::ListedRoot& r : more) {
    if (seen.emplace(r.report_id, r.pool, r.hash).second) into.push_back(std::move(r));
  }
}

// A regular file of the old site (a symlink is never followed), or nullopt.
std::optional<std::string> ReadOldFile(const fs::path& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return std::nullopt;
  auto text = ReadFileLimited(path.string(), report::kMaxPublishedFileBytes);
  return text ? std::optional<std::string>(std::move(*text)) : std::nullopt;
}

// attestations/<id>/ of the site being replaced, for every id but `current_id`; and, for a site
// written before publish kept archives, its root files when they are of another attestation.
Files KeptArchives(const std::string& out_dir, const std::string& current_id, std::set<std::string>& ids) {
  Files files;
  const fs::path site(out_dir);
  if (!IsPublishedSite(site)) return files;
  std::error_code ec;
  for (fs::directory_iterator it(site / "attestations", ec), end; !ec && it != end; it.increment(ec)) {
    const std::string id = it->path().filename().string();
    if (id == current_id || !IsArchivableId(id) || !it->is_directory(ec) || it->is_symlink(ec)) continue;
    for (const char* name : kArchivedFiles) {
      if (auto text = ReadOldFile(it->path() / name)) {
        files.emplace_back("attestations/" + id + "/" + name, std::move(*text));
        ids.insert(id);
      }
    }
  }
  auto old_report = ReadOldFile(site / "report.json");
  if (!old_report) return files;
  auto parsed = report::ParseReport(*old_report, "report.json");
  if (!parsed || parsed->id == current_id || !IsArchivableId(parsed->id) || ids.contains(parsed->id)) return files;
  for (const char* name : kArchivedFiles) {
    if (auto text = ReadOldFile(site / name)) files.emplace_back("attestations/" + parsed->id + "/" + name, *text);
  }
  ids.insert(parsed->id);
  return files;
}

std::int64_t NowUnix() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

bool IsArchivableId(std::string_view id) {
  if (id.empty() || id.size() > 128 || id.front() == '.') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
  });
}

Result<PublishResult> Publish(const PublishOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(options.report_dir, ec)) return Error{"--report " + options.report_dir + ": not a directory"};
  auto current = report::ReadReportFile((fs::path(options.report_dir) / "report.json").string());
  if (!current) return current.error();
  if (!IsArchivableId(current->id)) {
    return Error{"--report " + options.report_dir + ": attestation id \"" + current->id +
                 "\" cannot name its folder attestations/<id>/ (use 1 to 128 letters, digits, '.', '_' or '-', not "
                 "starting with '.')"};
  }
  auto attestation = ReadPublicAttestation(options.report_dir, *current, options.read_attestation);
  if (!attestation) return Error{"--report " + options.report_dir + ": " + attestation.error().message};

  auto previous = PreviousRoots(options.out_dir);
  if (!previous) return previous.error();
  std::vector<report::ListedRoot> records = std::move(previous->current);
  AddMissing(records, std::move(previous->superseded));
  if (!options.history_path.empty()) {
    if (!fs::is_regular_file(options.history_path, ec))
      return Error{"--state " + options.history_path + ": no such file"};
    auto store = HistoryStore::Open(options.history_path);
    if (!store) return store.error();
    auto recorded = store->ListRoots();
    if (!recorded) return recorded.error();
    AddMissing(records, std::move(*recorded));
  }

  std::set<std::string> archived;
  Files archives = KeptArchives(options.out_dir, current->id, archived);
  archived.insert(current->id);
  SiteExtras extras{attestation->value_or(""), options.now_unix.value_or(NowUnix()),
                    std::vector<std::string>(archived.begin(), archived.end())};
  // The current report's roots are the current run of its id (SeparateRuns): any other root of
  // that id is superseded now.
  const Site site = BuildSite(&*current, "", std::move(records), extras);
  Files files;
  for (const SiteFile& file : site.files) files.emplace_back(file.name, file.content);
  const std::string folder = "attestations/" + current->id + "/";
  for (const char* name : kArchivedFiles) {
    if (const SiteFile* file = site.Find(name)) files.emplace_back(folder + name, file->content);
  }
  for (auto& file : archives) files.push_back(std::move(file));
  if (Status written = WriteSiteDirectory(options.out_dir, files); !written) return written.error();

  PublishResult result{site.verdict, site.id, site.files.size(), 0, site.roots.superseded.size()};
  std::set<std::string> ids;
  for (const report::ListedRoot& r : site.roots.current) ids.insert(r.report_id);
  ids.insert(archived.begin(), archived.end());
  result.attestations = ids.size();
  for (const report::ListedRoot& r : site.roots.superseded) {
    if (r.report_id == current->id && r.superseded_at == report::UnixToUtcIso(extras.now_unix)) ++result.replaced_now;
  }
  return result;
}

}  // namespace segverify::server
