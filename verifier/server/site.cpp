#include "verifier/server/site.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>

#include "common/file_io.h"
#include "common/hex.h"
#include "verifier/report/public_html.h"
#include "verifier/report/public_view.h"
#include "verifier/report/published_files.h"
#include "verifier/report/report_html.h"
#include "verifier/report/report_json.h"
#include "verifier/report/roots_json.h"
#include "verifier/server/status_json.h"
#include "verifier/server/status_page.h"
#include "web/assets.h"

namespace segverify::server {
namespace {

constexpr const char* kJson = "application/json";
constexpr const char* kHtml = "text/html; charset=utf-8";
using report::kMaxPublishedFileBytes;
// The page's own scripts, served as they are in web/.
constexpr const char* kScripts[] = {"app.js", "proof_check.js", "strict_json.js", "sha256.js"};

std::string_view WebAsset(std::string_view name) {
  auto asset = web::FindWebAsset(name);
  return asset ? asset->content : std::string_view();
}

}  // namespace

const SiteFile* Site::Find(std::string_view name) const {
  for (const SiteFile& file : files) {
    if (file.name == name) return &file;
  }
  return nullptr;
}

Site BuildSite(const report::Report* shown, std::string_view error, std::vector<report::ListedRoot> history,
               const SiteExtras& extras) {
  Site site;
  site.verdict = std::string(report::ToString(shown != nullptr ? shown->verdict : report::Verdict::kError));
  if (shown != nullptr) site.id = shown->id;
  site.roots = SeparateRuns(std::move(history), shown, extras.now_unix);
  const std::string_view public_attestation = extras.public_attestation;
  for (const report::ListedRoot& root : site.roots.current) {
    Hash256 hash;
    if (FromHexExact(root.hash, hash)) site.published_roots.push_back(hash);
  }
  const std::string date = shown != nullptr ? report::AttestationTime(*shown).value_or("") : "";

  const bool with_attestation = shown != nullptr && !public_attestation.empty();
  site.files.push_back(
      {"index.html", RenderStatusPage(shown, error, site.roots, with_attestation, extras.archived_ids), kHtml, false});
  site.files.push_back(
      {"status.json",
       StatusToJson(
           StatusDocument{shown != nullptr ? std::optional<report::Report>(*shown) : std::nullopt, std::string(error)}),
       kJson, true});
  site.files.push_back({"roots.json", report::RootsToJson(site.roots), kJson, true});
  site.files.push_back({"badge.svg", RenderBadgeSvg(site.verdict, site.id), "image/svg+xml", true});
  site.files.push_back({"embed.js", RenderEmbedScript(WebAsset("embed.js"), site.verdict, site.id, date),
                        "text/javascript; charset=utf-8", true});
  if (shown != nullptr) {
    site.files.push_back({"report.json", report::ReportToJson(report::PublicReport(*shown)), kJson, true});
    site.files.push_back({"report.html", report::ReportToHtml(*shown), kHtml, false});
  }
  if (with_attestation) site.files.push_back({"attestation.json", std::string(public_attestation), kJson, true});
  site.files.push_back({"style.css", std::string(report::PublicStyleSheet()), "text/css; charset=utf-8", false});
  for (const char* name : kScripts) {
    site.files.push_back({name, std::string(WebAsset(name)), "text/javascript; charset=utf-8", false});
  }
  return site;
}

Result<std::optional<std::string>> ReadPublicAttestation(const std::string& dir, const report::Report& report,
                                                         const PublicAttestationReader& read) {
  const std::string path = (std::filesystem::path(dir) / "attestation.json").string();
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return Error{"attestation.json: cannot be read"};
  }
  if (!S_ISREG(info.st_mode)) return Error{"attestation.json: not a regular file"};
  auto text = ReadFileLimited(path, kMaxPublishedFileBytes);
  if (!text) return Error{"attestation.json: cannot be read"};
  if (!read) return Error{"attestation.json: no reader of public attestations was given"};
  auto id = read(*text, "attestation.json");
  if (!id) return id.error();
  if (*id != report.id) {
    return Error{"attestation.json is of attestation " + *id + ", report.json of attestation " + report.id};
  }
  return std::optional<std::string>(std::move(*text));
}

}  // namespace segverify::server
