// Bech32 (BIP-173) and Bech32m (BIP-350) strings: human-readable part, '1', 5-bit data, 6-symbol
// checksum. Internal to verifier/chain (bitcoin_address.cpp builds segwit addresses on it);
// knows nothing of witness versions or programs.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/hex.h"
#include "common/result.h"

namespace segverify::chain {

// The two checksum constants: Bech32 (1) for witness v0, Bech32m (0x2bc830a3) for v1+.
enum class Bech32Encoding { kBech32, kBech32m };

struct Bech32String {
  Bech32Encoding encoding = Bech32Encoding::kBech32;
  std::string hrp;                 // lower case
  std::vector<std::uint8_t> data;  // 5-bit values, checksum removed
};

// BIP-173 limit on the whole string.
inline constexpr std::size_t kBech32MaxLength = 90;

// Decodes and checks the checksum against both constants. Errors say why: too long, mixed case,
// character out of range, no separator, empty or too-long hrp, invalid data character (with its
// position), too short for a checksum, bad checksum.
[[nodiscard]] Result<Bech32String> DecodeBech32(std::string_view text);

// Encodes; precondition: hrp is lower case printable ASCII and every value < 32.
std::string EncodeBech32(Bech32Encoding encoding, std::string_view hrp, std::span<const std::uint8_t> values);

// 8-bit bytes -> 5-bit groups, zero-padded at the end.
std::vector<std::uint8_t> BytesToFiveBit(std::span<const std::uint8_t> bytes);

// 5-bit groups -> bytes. Fails (BIP-173) when the padding is more than 4 bits or not all zero.
[[nodiscard]] Result<Bytes> FiveBitToBytes(std::span<const std::uint8_t> values);

}  // namespace segverify::chain
