// Escaping text for HTML and SVG (report.html, the status page, the badge).
#pragma once

#include <string>
#include <string_view>

namespace segverify {

// Replaces & < > " ' with entities: safe in element text and in quoted attribute values.
std::string EscapeMarkup(std::string_view text);

}  // namespace segverify
