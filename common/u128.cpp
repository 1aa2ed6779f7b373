#include "common/u128.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace segverify {

std::string U128ToDecimal(u128 v) {
  // Peel off 19-digit chunks with one 128-bit division each, then format 64-bit chunks with
  // native arithmetic: a digit-by-digit 128-bit loop costs a library call per digit, which
  // dominated exporting proofs (thousands of amounts each).
  constexpr std::uint64_t kChunk = 10000000000000000000ULL;  // 10^19
  std::uint64_t parts[3];
  int count = 0;
  do {
    parts[count++] = static_cast<std::uint64_t>(v % kChunk);
    v /= kChunk;
  } while (v != 0);
  std::string out = std::to_string(parts[count - 1]);
  for (int i = count - 2; i >= 0; --i) {
    const std::string chunk = std::to_string(parts[i]);
    out.append(19 - chunk.size(), '0');
    out += chunk;
  }
  return out;
}

std::optional<u128> U128FromDecimal(std::string_view text) {
  if (text.empty()) return std::nullopt;
  u128 value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    auto times10 = CheckedMul(value, 10);
    if (!times10) return std::nullopt;
    auto sum = CheckedAdd(*times10, static_cast<u128>(c - '0'));
    if (!sum) return std::nullopt;
    value = *sum;
  }
  return value;
}

std::optional<u128> U128FromHexQuantity(std::string_view text) {
  if (text.size() < 3 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X')) return std::nullopt;
  text.remove_prefix(2);
  u128 value = 0;
  for (char c : text) {
    int d;
    if (c >= '0' && c <= '9')
      d = c - '0';
    else if (c >= 'a' && c <= 'f')
      d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      d = c - 'A' + 10;
    else
      return std::nullopt;
    if (value >> 124 != 0) return std::nullopt;
    value = (value << 4) | static_cast<u128>(d);
  }
  return value;
}

void U128ToBigEndian(u128 v, unsigned char* out16) {
  // Two byte-swapped 64-bit halves (a byte at a time showed up in every proof check's profile).
  const std::uint64_t high = __builtin_bswap64(static_cast<std::uint64_t>(v >> 64));
  const std::uint64_t low = __builtin_bswap64(static_cast<std::uint64_t>(v));
  std::memcpy(out16, &high, 8);
  std::memcpy(out16 + 8, &low, 8);
}

u128 U128FromBigEndian(const unsigned char* in16) {
  u128 v = 0;
  for (int i = 0; i < 16; ++i) v = (v << 8) | in16[i];
  return v;
}

}  // namespace segverify
