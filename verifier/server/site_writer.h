// Writes a directory of files all or nothing: into a temporary sibling of the target, each file
// flushed to disk, then swapped in with one atomic rename (renameat2 RENAME_EXCHANGE when the
// target exists). The target is replaced only when it is absent, empty, or carries the marker
// file a previous WriteDirectoryAtomically left (so a mistaken --out never deletes someone's
// directory).
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

[[nodiscard]] Status WriteDirectoryAtomically(const std::string& target,
                                              const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace segverify::server
