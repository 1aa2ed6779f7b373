// Text that comes from a node (JSON-RPC error messages, Esplora error bodies) shown to a person:
// a hostile or broken node must not be able to write to the terminal (newlines, ANSI escapes) nor
// flood a report (docs/DESIGN.md §Node transport: control characters escaped, cut at 200
// characters).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace segverify::clients {

inline constexpr std::size_t kMaxNodeTextChars = 200;

// common/printable.h's Printable, cut after kMaxNodeTextChars characters (code points of the input),
// with "..." appended when cut.
std::string ShowNodeText(std::string_view text);

}  // namespace segverify::clients
