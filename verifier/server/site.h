// The status site as a list of files, built once per report change and shared by both ways of
// putting it online: `publish` writes these files to a directory (site_writer.h), `serve` answers
// the same paths from memory (plus /api/status, /api/roots, POST /api/verify-proof).
//
// Files: index.html, status.json, roots.json, badge.svg, embed.js, report.json (the public copy:
// sources named by index), report.html, style.css and the page's scripts (app.js,
// proof_check.js, strict_json.js, sha256.js). A new public file (e.g. attestation.json for the
// public re-check) is one more entry in BuildSite.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/sha256.h"
#include "verifier/report/report.h"
#include "verifier/server/history_store.h"

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
  std::vector<Hash256> published_roots;  // every root in roots.json

  const SiteFile* Find(std::string_view name) const;
};

// `report` null: no report can be shown and `error` says why, in public words (the site then says
// ERROR, never PASS). `history`: every published root, newest first (it should include the
// current report's roots; RootsOf(report) are added when missing).
Site BuildSite(const report::Report* report, std::string_view error, std::vector<RootRecord> history);

}  // namespace segverify::server
