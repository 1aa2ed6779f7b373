// Escaping text for HTML and SVG (report.html, the status page, the badge).
#pragma once

#include <string>
#include <string_view>

namespace segverify {

// Replaces & < > " ' with entities: safe in element text and in quoted attribute values. Control
// characters and other untrusted-text hazards are shown escaped first (common/printable.h), so page
// text never carries them raw.
std::string EscapeMarkup(std::string_view text);

}  // namespace segverify
