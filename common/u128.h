// Unsigned 128-bit integers with checked arithmetic (amounts in an asset's smallest unit).
// Overflow is reported, never wrapped (STYLE: CheckedAdd returning std::optional).
#pragma once

#include <optional>
#include <string>

namespace segverify {

using u128 = unsigned __int128;

constexpr u128 kU128Max = ~static_cast<u128>(0);

[[nodiscard]] constexpr std::optional<u128> CheckedAdd(u128 a, u128 b) {
  if (a > kU128Max - b) return std::nullopt;
  return a + b;
}

[[nodiscard]] constexpr std::optional<u128> CheckedMul(u128 a, u128 b) {
  if (a != 0 && b > kU128Max / a) return std::nullopt;
  return a * b;
}

// Base-10 digits of `v` (no grouping, no sign).
std::string U128ToDecimal(u128 v);

// Parses a plain base-10 integer (digits only, at least one). nullopt on anything else or overflow.
std::optional<u128> U128FromDecimal(std::string_view text);

// Parses an Ethereum JSON-RPC QUANTITY ("0x" + hex digits, at most 32 of them after leading zeros).
std::optional<u128> U128FromHexQuantity(std::string_view text);

// Writes/reads `v` as 16 bytes big-endian.
void U128ToBigEndian(u128 v, unsigned char* out16);
u128 U128FromBigEndian(const unsigned char* in16);

}  // namespace segverify
