// Text that comes from a node (JSON-RPC error messages, Esplora error bodies) shown to a person:
// a hostile or broken node must not be able to write to the terminal (newlines, ANSI escapes) nor
// flood a report (docs/DESIGN.md §Node transport: control characters escaped, cut at 200
// characters).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "clients/transport.h"

namespace segverify::clients {

inline constexpr std::size_t kMaxNodeTextChars = 200;

// common/printable.h's PrintableCut at kMaxNodeTextChars characters (code points of what is
// shown, escapes counted as shown), with "..." appended when cut.
std::string ShowNodeText(std::string_view text);

// True when a node's answer is an HTML page (a web server's error page, a block explorer's site
// instead of its API): it starts, after blanks, with "<!doctype html" or "<html" (any case).
bool LooksLikeHtml(std::string_view body);

// The media type of an answer, lower case without parameters ("text/html" for "text/html;
// charset=utf-8"), from its Content-Type header; when the header is missing (a recording made
// before headers were kept), "text/html" for a body that LooksLikeHtml, else "".
std::string MediaType(const HttpResponse& answer);

// Whether `answer` is a web page: its header says HTML, or (whatever the header) its body LooksLikeHtml.
bool IsHtml(const HttpResponse& answer);

// Whether `answer` is of another kind than the API expects: an HTML page (by its header or, without
// one, by its body), or, below HTTP 500, a body that is not JSON under a header that does not say
// JSON either (a proxy's "text/plain" notice; a 5xx is the node failing, not another API).
// `json_parses`: whether the body is valid JSON.
bool IsWrongKind(const HttpResponse& answer, bool json_parses);

// What a wrong URL gets instead of "block N does not exist yet" or "invalid JSON"
// (docs/OPERATIONS.md §4): "not an Esplora API at this URL (HTTP 404, text/html)", naming the
// answer's media type (MediaType). `api` is "an Esplora API", "a JSON-RPC API".
std::string NotThatApi(std::string_view api, const HttpResponse& answer);

}  // namespace segverify::clients
