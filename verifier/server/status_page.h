// Renders what the status server shows as documents: the HTML page (web/index.html with the
// verdict and attestation id filled in, HTML-escaped) and the SVG badge.
#pragma once

#include <string>
#include <string_view>

namespace segverify::server {

// Replaces every "{{VERDICT}}" and "{{ID}}" in `page_template` (escaped). `verdict` is PASS, FAIL
// or ERROR.
std::string RenderStatusPage(std::string_view page_template, std::string_view verdict, std::string_view id);

// A shields-style badge: "segregation | <verdict> <id>"; green PASS, red FAIL, amber ERROR.
std::string RenderBadgeSvg(std::string_view verdict, std::string_view id);

}  // namespace segverify::server
