#include "verifier/server/status_page.h"

#include "common/markup.h"

namespace segverify::server {

namespace {

std::string ReplaceAll(std::string text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::string_view BadgeColor(std::string_view verdict) {
  if (verdict == "PASS") return "#1a7f37";
  if (verdict == "FAIL") return "#cf222e";
  return "#9a6700";
}

}  // namespace

std::string RenderStatusPage(std::string_view page_template, std::string_view verdict, std::string_view id) {
  std::string page = ReplaceAll(std::string(page_template), "{{VERDICT}}", EscapeMarkup(verdict));
  return ReplaceAll(std::move(page), "{{ID}}", EscapeMarkup(id));
}

std::string RenderBadgeSvg(std::string_view verdict, std::string_view id) {
  const std::string label = "segregation";
  const std::string value = EscapeMarkup(std::string(verdict) + (id.empty() ? "" : " " + std::string(id)));
  // Approximate text widths (7 px per character at 11 px Verdana); exact metrics do not matter.
  const std::size_t label_width = 10 + 7 * label.size();
  const std::size_t value_width = 10 + 7 * (verdict.size() + 1 + id.size());
  const std::size_t width = label_width + value_width;
  const std::string lw = std::to_string(label_width), vw = std::to_string(value_width), w = std::to_string(width);
  std::string svg;
  svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w + "\" height=\"20\" role=\"img\" aria-label=\"" +
         label + ": " + value + "\">";
  svg += "<title>" + label + ": " + value + "</title>";
  svg += "<rect width=\"" + lw + "\" height=\"20\" fill=\"#555\"/>";
  svg += "<rect x=\"" + lw + "\" width=\"" + vw + "\" height=\"20\" fill=\"" + std::string(BadgeColor(verdict)) + "\"/>";
  svg += "<g fill=\"#fff\" font-family=\"Verdana,DejaVu Sans,sans-serif\" font-size=\"11\">";
  svg += "<text x=\"5\" y=\"14\">" + label + "</text>";
  svg += "<text x=\"" + std::to_string(label_width + 5) + "\" y=\"14\">" + value + "</text>";
  svg += "</g></svg>";
  return svg;
}

}  // namespace segverify::server
