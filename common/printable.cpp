#include "common/printable.h"

#include <cstdint>
#include <cstdio>

#include "common/utf8.h"

namespace segverify {
namespace {

void AppendEscaped(std::string& out, const char* format, unsigned value) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, format, value);
  out += buffer;
}

bool IsReorderingOrSeparator(std::uint32_t code_point) {
  return (code_point >= 0x202A && code_point <= 0x202E) || (code_point >= 0x2066 && code_point <= 0x2069) ||
         code_point == 0x2028 || code_point == 0x2029;
}

// Appends the first character of `text` (shown safely) and returns how many bytes it took.
std::size_t AppendOne(std::string& out, std::string_view text) {
  std::uint32_t code_point = 0;
  const std::size_t length = Utf8SequenceLength(text, code_point);
  if (length == 0) {
    AppendEscaped(out, "\\x%02x", static_cast<std::uint8_t>(text.front()));
    return 1;
  }
  if (code_point == '\n') {
    out += "\\n";
  } else if (code_point == '\r') {
    out += "\\r";
  } else if (code_point == '\t') {
    out += "\\t";
  } else if (code_point < 0x20 || code_point == 0x7F) {
    AppendEscaped(out, "\\x%02x", code_point);
  } else if ((code_point >= 0x80 && code_point <= 0x9F) || IsReorderingOrSeparator(code_point)) {
    AppendEscaped(out, "\\u%04x", code_point);
  } else {
    out.append(text.substr(0, length));
  }
  return length;
}

}  // namespace

std::string Printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) text.remove_prefix(AppendOne(out, text));
  return out;
}

std::string PrintableCut(std::string_view text, std::size_t max_chars) {
  constexpr std::string_view kEllipsis = "...";
  std::string out;
  std::size_t shown = 0;                // characters (code points) in `out`
  std::size_t cut = std::string::npos;  // bytes of `out` holding whole pieces, at most max_chars
  while (!text.empty()) {
    const std::size_t before = out.size();
    text.remove_prefix(AppendOne(out, text));
    // What was appended is an escape (ASCII) or one kept character: count its code points.
    for (std::size_t i = before; i < out.size(); ++i) shown += (static_cast<unsigned char>(out[i]) & 0xC0) != 0x80;
    if (cut == std::string::npos && shown > max_chars) cut = before;
    if (shown > max_chars + kEllipsis.size()) {
      out.resize(cut);
      return out.append(kEllipsis);
    }
  }
  return out;
}

}  // namespace segverify
