// Small helpers shared by the fuzz entries.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fuzz/entries/fuzz_entries.h"

namespace segverify::fuzz {

// Aborts with `what` on stderr when `condition` is false: a library invariant was broken.
void FuzzRequire(bool condition, std::string_view what);

std::string_view AsText(FuzzInput data);

// Writes `data` to `name` inside a per-process temporary directory (created on first use,
// removed at exit) and returns the file's path. Overwrites the previous content.
std::string WriteScratchFile(std::string_view name, FuzzInput data);

// Splits `text` at every `separator` byte (always at least one part).
std::vector<std::string_view> SplitAt(std::string_view text, char separator);

}  // namespace segverify::fuzz
