// Hexadecimal text <-> bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace segverify {

using Bytes = std::vector<std::uint8_t>;

// Lower-case hex of `bytes`.
std::string ToHex(std::span<const std::uint8_t> bytes);

// Parses hex (either case, even length, no prefix). Returns nullopt on any other character or an
// odd length.
std::optional<Bytes> FromHex(std::string_view text);

// Parses exactly `out.size()` bytes of hex into `out`. Returns false (out unspecified) otherwise.
[[nodiscard]] bool FromHexExact(std::string_view text, std::span<std::uint8_t> out);

}  // namespace segverify
