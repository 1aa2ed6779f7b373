// `segverify publish --report DIR --out SITE`: the status site (site.h) as static files that any
// web server or CDN can serve (docs/DESIGN.md §Public faces), all relative URLs.
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

#include <string>

#include "common/result.h"

namespace segverify::server {

struct PublishOptions {
  std::string report_dir;
  std::string out_dir;
  std::string history_path;  // optional: also list the roots recorded there
};

struct PublishResult {
  std::string verdict;  // the published verdict
  std::string id;
  std::size_t files = 0;
  std::size_t attestations = 0;  // in the history, the current one included
};

[[nodiscard]] Result<PublishResult> Publish(const PublishOptions& options);

}  // namespace segverify::server
