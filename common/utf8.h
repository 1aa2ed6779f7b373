// Strict UTF-8 validation (RFC 3629): no overlong forms, no surrogates (U+D800..U+DFFF), nothing
// above U+10FFFF, no truncated sequences. NUL bytes are valid UTF-8; callers that refuse them
// check separately.
#pragma once

#include <string_view>

namespace segverify {

bool IsValidUtf8(std::string_view text);

}  // namespace segverify
