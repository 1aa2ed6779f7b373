// Untrusted text made safe to show (docs/SECURITY.md "Untrusted text"): whatever came from a file,
// a proof, a site, a CSV, a node or a JSON key is data, and must not be able to move the cursor,
// erase a line, set a window title or start a new line on a terminal, in a log, a report or a page.
// One function does it, on every output path, the way git quotes unusual path names
// (core.quotePath) rather than printing them raw.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace segverify {

// `text` with every character that a terminal or a reader could take for something other than
// text shown as a visible escape:
//  - C0 controls U+0000..U+001F as "\n", "\r", "\t" or "\x1b"-style escapes (so an ESC sequence
//    loses its ESC and shows as plain characters), DEL as "\x7f";
//  - C1 controls U+0080..U+009F (e.g. U+009B, the one-character CSI) as "\u009b";
//  - bidirectional overrides and isolates (U+202A..U+202E, U+2066..U+2069) and the line/paragraph
//    separators U+2028/U+2029 as "\u202e"-style escapes (they reorder or break what is shown);
//  - bytes that are not valid UTF-8 as "\xff"-style escapes.
// Everything else, backslashes included, is kept as it is: Printable(Printable(x)) == Printable(x),
// so text that went through it once (a report field read back by `recheck`) does not change again.
std::string Printable(std::string_view text);

// Printable(text), cut when it would show more than max_chars + 3 characters (code points): then
// its first whole pieces (an escape is never split) within `max_chars` characters, and "...".
// The limit is on what is shown, not on `text`, so the cut is stable:
// PrintableCut(PrintableCut(x, n), n) == PrintableCut(x, n) (a cut text is at most n + 3
// characters, all printable, and is shown again as it is).
std::string PrintableCut(std::string_view text, std::size_t max_chars);

}  // namespace segverify
