// The status site as a list of files, built once per report change and shared by both ways of
// putting it online: `publish` writes these files to a directory (site_writer.h), `serve` answers
// the same paths from memory (plus /api/status, /api/roots, POST /api/verify-proof).
//
// Files: index.html, status.json, roots.json, badge.svg, embed.js, report.json (the public copy:
// sources named by index), report.html, attestation.json (the public attestation, for anyone to
// re-check it: docs/DESIGN.md §Public re-check; when the report directory has one), style.css and
// the page's scripts (app.js, proof_check.js, strict_json.js, sha256.js). A new public file is one
// more entry in BuildSite.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/sha256.h"
#include "verifier/report/report.h"
#include "verifier/server/history_store.h"
#include "verifier/server/root_runs.h"

namespace segverify::server {

struct SiteFile {
  std::string name;  // "index.html"; no directories
  std::string content;
  std::string content_type;
  bool any_origin = false;  // JSON, badge and embed: readable by any origin (serve sends CORS "*")
};

struct Site {
  std::string verdict;  // "PASS" / "FAIL" / "ERROR"
  std::string id;       // attestation id; empty when no report can be shown
  std::vector<SiteFile> files;
  std::vector<Hash256> published_roots;  // every current root in roots.json
  report::PublishedRoots roots;          // roots.json: current and superseded (root_runs.h)

  const SiteFile* Find(std::string_view name) const;
};

struct SiteExtras {
  std::string public_attestation;         // the text of attestation.json, published as it is; empty = none
  std::int64_t now_unix = 0;              // when a run of the shown id replaced by this one has no recorded time
  std::vector<std::string> archived_ids;  // ids with files under attestations/<id>/ (publish)
};

// `report` null: no report can be shown and `error` says why, in public words (the site then says
// ERROR, never PASS). `history`: every published root (RootsOf(report) are added when missing), and
// roots of replaced runs: SeparateRuns (root_runs.h) decides which are current.
Site BuildSite(const report::Report* report, std::string_view error, std::vector<report::ListedRoot> history,
               const SiteExtras& extras = {});

// Reads a public attestation's text (named `origin` in errors) with every field checked and gives
// its id. attestation.json's one reader is attest's (ParsePublicAttestation,
// verifier/attest/attestation_config.h; attest::PublicAttestationId), a layer beside the server
// that it does not link: `serve` and `publish` hand it in.
using PublicAttestationReader = std::function<Result<std::string>(std::string_view text, std::string_view origin)>;

// DIR/attestation.json, the public attestation `attest` wrote beside report.json, when it is the
// one of `report`: `read` accepts it and its id is the report's (the re-check cross-checks the rest
// with report.json and roots.json). nullopt when DIR has none (a report written before attest
// wrote one). An Error when it is not a regular file (a symlink is never followed), too large,
// malformed, of another attestation (published, it would make the site's files disagree), or when
// `read` is empty.
[[nodiscard]] Result<std::optional<std::string>> ReadPublicAttestation(const std::string& dir,
                                                                       const report::Report& report,
                                                                       const PublicAttestationReader& read);

}  // namespace segverify::server
