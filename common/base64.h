// Base64 text of bytes (RFC 4648 §4), over Crypto++.
#pragma once

#include <string>
#include <string_view>

namespace segverify {

// Standard Base64 with padding, no line breaks.
std::string ToBase64(std::string_view bytes);

}  // namespace segverify
