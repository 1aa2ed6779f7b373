// The three public files of a published status site (docs/DESIGN.md §Public re-check), read from a
// directory (what `publish --out` wrote) or fetched from the site's http(s) URL through the node
// transport (clients/http_transport.h: certificate checks against the system store or --ca-file,
// proxies, deadlines, bounded sizes; a redirect is not followed), then each parsed and checked on
// its own: attestation.json by the attestation parser, report.json by the report reader (a verdict
// its contents contradict is refused), roots.json by the status site's reader.
#pragma once

#include <string>
#include <string_view>

#include "clients/http_transport.h"
#include "common/result.h"
#include "verifier/attest/recheck.h"

namespace segverify::cli {

// `site`: a directory, or "http[s]://host[:port][/path]" (a trailing "/" or "/index.html" is
// fine). Errors (could not check): the site cannot be reached, a file is missing (an HTTP status
// other than 200), too large or malformed; each names the file.
// `id` non-empty: the attestation kept under attestations/<id>/ (an earlier month; publish.h), with
// the site's roots.json.
[[nodiscard]] Result<attest::PublishedAttestation> ReadPublishedSite(const std::string& site,
                                                                     const clients::HttpOptions& http,
                                                                     const std::string& id = "");

// One file of the site (`name`: "roots.json"), read as ReadPublishedSite reads each, unparsed.
[[nodiscard]] Result<std::string> ReadSiteFile(const std::string& site, const std::string& name,
                                               const clients::HttpOptions& http);

}  // namespace segverify::cli
