// Writes the status site into a directory all or nothing, through common/output_dir.h (the same
// staging and atomic swap as `attest --out`). The target is replaced only when it is absent,
// empty, or carries the marker file an earlier publish left, so a mistaken --out never replaces
// someone's directory.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace segverify::server {

// The marker file written into every site ("this directory is a published site; publish may
// replace it whole").
inline constexpr std::string_view kSiteMarker = ".segverify-site";

// `files`: (name, content): "index.html", or "attestations/<id>/<file>" (publish.h).
[[nodiscard]] Status WriteSiteDirectory(const std::string& target,
                                        const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace segverify::server
