#include "clients/node_text.h"

#include <cstdint>
#include <cstdio>

namespace segverify::clients {
namespace {

// Length of the valid UTF-8 sequence at the start of `text` (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF), or 0 when the first byte does not start one.
std::size_t Utf8SequenceLength(std::string_view text, std::uint32_t& code_point) {
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(text[i]); };
  const std::uint8_t b0 = byte(0);
  std::size_t length = 0;
  std::uint32_t min = 0;
  if (b0 < 0x80) {
    code_point = b0;
    return 1;
  } else if ((b0 & 0xE0) == 0xC0) {
    length = 2, code_point = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    length = 3, code_point = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    length = 4, code_point = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(i) & 0x3F);
  }
  const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
  if (code_point < min || code_point > 0x10FFFF || surrogate) return 0;
  return length;
}

std::string Escaped(const char* format, unsigned value) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

}  // namespace

std::string ShowNodeText(std::string_view text) {
  std::string out;
  std::size_t shown = 0;
  while (!text.empty()) {
    if (shown == kMaxNodeTextChars) return out + "...";
    std::uint32_t code_point = 0;
    const std::size_t length = Utf8SequenceLength(text, code_point);
    if (length == 0) {
      out += Escaped("\\x%02x", static_cast<std::uint8_t>(text.front()));
      text.remove_prefix(1);
    } else {
      if (code_point == '\n') {
        out += "\\n";
      } else if (code_point == '\r') {
        out += "\\r";
      } else if (code_point == '\t') {
        out += "\\t";
      } else if (code_point == '\\') {
        out += "\\\\";
      } else if (code_point < 0x20 || code_point == 0x7F) {
        out += Escaped("\\x%02x", code_point);
      } else if (code_point >= 0x80 && code_point <= 0x9F) {
        out += Escaped("\\u%04x", code_point);
      } else {
        out.append(text.substr(0, length));
      }
      text.remove_prefix(length);
    }
    ++shown;
  }
  return out;
}

}  // namespace segverify::clients
