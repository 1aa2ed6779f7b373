// Strict UTF-8 validation (RFC 3629): no overlong forms, no surrogates (U+D800..U+DFFF), nothing
// above U+10FFFF, no truncated sequences. NUL bytes are valid UTF-8; callers that refuse them
// check separately.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace segverify {

bool IsValidUtf8(std::string_view text);

// Length of the valid UTF-8 sequence at the start of `text` (the rules above), with its code point
// in `code_point`; 0 when `text` is empty or its first byte does not start a valid sequence.
std::size_t Utf8SequenceLength(std::string_view text, std::uint32_t& code_point);

}  // namespace segverify
