#include "verifier/cli/published_site.h"

#include <filesystem>
#include <memory>

#include "common/file_io.h"
#include "verifier/attest/attestation_config.h"
#include "verifier/report/published_files.h"
#include "verifier/report/report_json.h"
#include "verifier/report/roots_json.h"
#include "verifier/server/publish.h"

namespace segverify::cli {
namespace {

// Each file is at most this large (a report of a large exchange is a few MiB).

bool IsHttpUrl(std::string_view site) { return site.starts_with("http://") || site.starts_with("https://"); }

// Reads one file of the site, by name.
class SiteFiles {
 public:
  virtual ~SiteFiles() = default;
  [[nodiscard]] virtual Result<std::string> Read(const std::string& name) = 0;
};

class DirectoryFiles final : public SiteFiles {
 public:
  explicit DirectoryFiles(std::string dir) : dir_(std::move(dir)) {}
  Result<std::string> Read(const std::string& name) override {
    return ReadFileLimited((std::filesystem::path(dir_) / name).string(), report::kMaxPublishedFileBytes);
  }

 private:
  std::string dir_;
};

class HttpFiles final : public SiteFiles {
 public:
  explicit HttpFiles(std::unique_ptr<clients::Transport> transport) : transport_(std::move(transport)) {}
  Result<std::string> Read(const std::string& name) override {
    auto answer = transport_->Get("/" + name);
    if (!answer) return answer.error();
    if (answer->status != 200) {
      return Error{transport_->source() + ": " + name + ": HTTP " + std::to_string(answer->status)};
    }
    return std::move(answer->body);
  }

 private:
  std::unique_ptr<clients::Transport> transport_;
};

Result<std::unique_ptr<SiteFiles>> OpenSite(const std::string& site, clients::HttpOptions http) {
  if (!IsHttpUrl(site)) {
    if (site.find("://") != std::string::npos) return Error{"SITE: expected an http(s) URL or a directory"};
    std::error_code ec;
    if (!std::filesystem::is_directory(site, ec)) return Error{"SITE " + site + ": not a directory"};
    return std::unique_ptr<SiteFiles>(std::make_unique<DirectoryFiles>(site));
  }
  // The page's own address names the site too: the files sit beside index.html.
  std::string base = site;
  if (base.ends_with("/index.html")) base.resize(base.size() - std::string_view("index.html").size());
  http.max_response_bytes = report::kMaxPublishedFileBytes;
  auto transport = clients::MakeHttpTransport(base, "", http, "site");
  if (!transport) return Error{"SITE: " + transport.error().message};
  return std::unique_ptr<SiteFiles>(std::make_unique<HttpFiles>(std::move(*transport)));
}

}  // namespace

Result<attest::PublishedAttestation> ReadPublishedSite(const std::string& site, const clients::HttpOptions& http,
                                                       const std::string& id) {
  if (!id.empty() && !server::IsArchivableId(id)) {
    return Error{"--id " + id + ": not an attestation id (letters, digits, '.', '_' or '-')"};
  }
  auto files = OpenSite(site, http);
  if (!files) return files.error();
  const std::string folder = id.empty() ? "" : "attestations/" + id + "/";
  auto attestation_text = (*files)->Read(folder + "attestation.json");
  if (!attestation_text) {
    if (id.empty()) return attestation_text.error();
    return Error{"the site keeps no attestation " + id + " (" + folder +
                 "attestation.json: " + attestation_text.error().message + ")"};
  }
  auto report_text = (*files)->Read(folder + "report.json");
  if (!report_text) return report_text.error();
  auto roots_text = (*files)->Read("roots.json");
  if (!roots_text) return roots_text.error();

  attest::PublishedAttestation published;
  auto attestation = attest::ParsePublicAttestation(*attestation_text, folder + "attestation.json");
  if (!attestation) return attestation.error();
  published.attestation = std::move(*attestation);
  // Read as data: a verdict its own report contradicts is a difference the re-check names.
  auto shown = report::ParseReport(*report_text, folder + "report.json", report::ReportReading::kAsData);
  if (!shown) return shown.error();
  published.report = std::move(*shown);
  auto roots = report::ParsePublishedRoots(*roots_text, "roots.json");
  if (!roots) return roots.error();
  published.roots = std::move(roots->current);  // a superseded root belongs to no published attestation
  return published;
}

Result<std::string> ReadSiteFile(const std::string& site, const std::string& name, const clients::HttpOptions& http) {
  auto files = OpenSite(site, http);
  if (!files) return files.error();
  return (*files)->Read(name);
}

}  // namespace segverify::cli
