// ASCII helpers for identifiers from nodes and users (hex hashes, addresses).
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

namespace segverify::clients {

inline std::string AsciiLower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
  return out;
}

// Non-empty and only [A-Za-z0-9]: safe to place into a URL path or a descriptor string.
inline bool IsPlainAlnum(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  });
}

}  // namespace segverify::clients
