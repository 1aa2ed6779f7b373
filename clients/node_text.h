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

// common/printable.h's PrintableCut at kMaxNodeTextChars characters (code points of what is
// shown, escapes counted as shown), with "..." appended when cut.
std::string ShowNodeText(std::string_view text);

// True when a node's answer is an HTML page (a web server's error page, a block explorer's site
// instead of its API): it starts, after blanks, with "<!doctype html" or "<html" (any case).
bool LooksLikeHtml(std::string_view body);

// What a wrong URL gets instead of "block N does not exist yet" (docs/OPERATIONS.md §4):
// "not an Esplora API at this URL (HTTP 404, text/html)". `api` is "an Esplora API", "a JSON-RPC
// API".
std::string NotThatApi(std::string_view api, int http_status);

}  // namespace segverify::clients
