// Base58Check (the payload || first 4 bytes of SHA256d(payload), in Bitcoin's base-58 alphabet).
// Internal to verifier/chain; used by bitcoin_address.cpp.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/hex.h"
#include "common/result.h"

namespace segverify::chain {

// Encodes `payload` (version byte(s) included) with its 4-byte checksum.
std::string EncodeBase58Check(std::span<const std::uint8_t> payload);

// Decodes text into the payload (checksum removed and verified). Errors: empty, longer than
// `max_text_length` characters (bounds the quadratic decode), a character outside the alphabet
// (named with its position), shorter than a checksum, checksum mismatch.
[[nodiscard]] Result<Bytes> DecodeBase58Check(std::string_view text, std::size_t max_text_length);

}  // namespace segverify::chain
