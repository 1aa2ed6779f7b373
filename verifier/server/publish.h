// `segverify publish --report DIR --out SITE`: the status site (site.h) as static files that any
// web server or CDN can serve (docs/DESIGN.md §Public faces), all relative URLs.
//
// One id is one current run: publishing an id the site already holds replaces that id's roots,
// which move to roots.json's "superseded" list with the time (root_runs.h). Every attestation
// stays: the current one's attestation.json, report.json and report.html are also written under
// attestations/<id>/, and every attestations/<id>/ of the site being replaced is kept (so
// `recheck SITE --id ID` re-checks any month).
//
// The current report is DIR/report.json, with DIR/attestation.json (the public attestation, when
// attest wrote one: site.h ReadPublicAttestation; one of another attestation is an error). History: the roots.json of
// the site being replaced (so publishing into the same SITE every month keeps every earlier attestation), plus the
// roots of
// --state FILE when given (serve's history). SITE is written all or nothing (common/output_dir.h,
// as `attest --out`): the files are prepared in a sibling temporary directory and swapped in with
// one rename; a run that fails or is killed leaves SITE as it was (leftover temporaries of killed
// runs are removed by the next run). SITE must be new, empty, or an earlier published site:
// publish never replaces a directory it did not write.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "verifier/server/site.h"

namespace segverify::server {

struct PublishOptions {
  std::string report_dir;
  std::string out_dir;
  std::string history_path;                  // optional: also list the roots recorded there
  std::optional<std::int64_t> now_unix;      // the replacement time of superseded roots (tests); default: now
  PublicAttestationReader read_attestation;  // reads DIR/attestation.json (site.h); the CLI gives attest's
};

struct PublishResult {
  std::string verdict;  // the published verdict
  std::string id;
  std::size_t files = 0;
  std::size_t attestations = 0;  // in the history, the current one included
  std::size_t superseded = 0;    // roots of replaced runs listed
  std::size_t replaced_now = 0;  // roots of the current id that this publish replaced
};

// An attestation id that can name its folder attestations/<id>/: 1 to 128 of [A-Za-z0-9._-], not
// starting with '.'.
bool IsArchivableId(std::string_view id);

[[nodiscard]] Result<PublishResult> Publish(const PublishOptions& options);

}  // namespace segverify::server
