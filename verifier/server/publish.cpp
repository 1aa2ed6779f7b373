#include "verifier/server/publish.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>
#include <tuple>

#include "common/file_io.h"
#include "verifier/report/published_files.h"
#include "verifier/report/report_json.h"
#include "verifier/server/history_store.h"
#include "verifier/server/site.h"
#include "verifier/server/site_writer.h"
#include "verifier/server/status_json.h"

namespace segverify::server {
namespace {

namespace fs = std::filesystem;

// The roots.json of the site being replaced (none when SITE is new or not a published site).
Result<std::vector<RootRecord>> PreviousRoots(const std::string& out_dir) {
  std::error_code ec;
  const fs::path site(out_dir);
  if (!fs::exists(site / std::string(kSiteMarker), ec) || !fs::exists(site / "roots.json", ec)) {
    return std::vector<RootRecord>();
  }
  const std::string path = (site / "roots.json").string();
  auto text = ReadFileLimited(path, report::kMaxPublishedFileBytes);
  if (!text) return text.error();
  auto roots = ParseRootsJson(*text, path);
  if (!roots) return Error{roots.error().message + " (the published history; remove it to start a new one)"};
  return roots;
}

void AddMissing(std::vector<RootRecord>& into, std::vector<RootRecord> more) {
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  for (const RootRecord& r : into) seen.emplace(r.report_id, r.pool, r.hash);
  for (RootRecord& r : more) {
    if (seen.emplace(r.report_id, r.pool, r.hash).second) into.push_back(std::move(r));
  }
}

}  // namespace

Result<PublishResult> Publish(const PublishOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(options.report_dir, ec)) return Error{"--report " + options.report_dir + ": not a directory"};
  auto current = report::ReadReportFile((fs::path(options.report_dir) / "report.json").string());
  if (!current) return current.error();
  auto attestation = ReadPublicAttestation(options.report_dir, *current);
  if (!attestation) return Error{"--report " + options.report_dir + ": " + attestation.error().message};

  auto history = PreviousRoots(options.out_dir);
  if (!history) return history.error();
  if (!options.history_path.empty()) {
    if (!fs::is_regular_file(options.history_path, ec))
      return Error{"--state " + options.history_path + ": no such file"};
    auto store = HistoryStore::Open(options.history_path);
    if (!store) return store.error();
    auto recorded = store->ListRoots();
    if (!recorded) return recorded.error();
    AddMissing(*history, std::move(*recorded));
  }
  // The current report's roots replace any earlier record of the same roots (its verdict and
  // date are the ones that stand).
  std::vector<RootRecord> merged = RootsOf(*current);
  AddMissing(merged, std::move(*history));
  OrderNewestFirst(merged);

  const Site site = BuildSite(&*current, "", merged, attestation->value_or(""));
  std::vector<std::pair<std::string, std::string>> files;
  for (const SiteFile& file : site.files) files.emplace_back(file.name, file.content);
  if (Status written = WriteSiteDirectory(options.out_dir, files); !written) return written.error();

  PublishResult result{site.verdict, site.id, site.files.size(), 0};
  std::set<std::string> ids;
  for (const RootRecord& r : merged) ids.insert(r.report_id);
  result.attestations = ids.size();
  return result;
}

}  // namespace segverify::server
