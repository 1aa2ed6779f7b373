// Strict Base64 (RFC 4648 §4, standard alphabet, with padding) for signatures.
//
// Why strict: Crypto++'s decoder skips characters outside the alphabet, so "AB!CD" and "ABCD" would
// decode alike and two different texts would name the same signature. Here the text must be the
// canonical encoding of its bytes: length a multiple of 4, '=' only as the final one or two
// characters, and unused bits of the last group zero.
#pragma once

#include <string>
#include <string_view>

#include "common/hex.h"
#include "common/result.h"

namespace segverify::chain {

// The bytes `text` encodes, or an Error saying what is wrong with the text.
[[nodiscard]] Result<Bytes> DecodeBase64Strict(std::string_view text);

// Standard Base64 with padding, no line breaks.
std::string EncodeBase64(const Bytes& bytes);

}  // namespace segverify::chain
