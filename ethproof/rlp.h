// Recursive Length Prefix (RLP), the serialization of Ethereum's headers, accounts and trie nodes
// (Ethereum Yellow Paper, Appendix B; https://ethereum.org/en/developers/docs/data-structures-and-encoding/rlp/).
//
// Decoding is strict, as clients must be for hashed data: a single byte below 0x80 must stand for
// itself (never 0x81 0x00..0x7f), a long form is used only above 55 bytes, lengths have no leading
// zero byte, and an item's length never runs past its input. Two encodings of one value would let
// one value hash two ways; strictness keeps one.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/hex.h"
#include "common/result.h"

namespace segverify::ethproof {

// One decoded item: a byte string or a list, as views into the input (which must outlive it).
struct RlpItem {
  bool is_list = false;
  std::span<const std::uint8_t> payload;  // the string's bytes, or the list's concatenated items
  std::span<const std::uint8_t> encoded;  // the whole item, prefix included
};

// `input` must be exactly one item (trailing bytes are an error).
[[nodiscard]] Result<RlpItem> RlpDecode(std::span<const std::uint8_t> input);
// The items of a list, in order. Error if `list` is a string.
[[nodiscard]] Result<std::vector<RlpItem>> RlpListItems(const RlpItem& list);
// A string item read as an unsigned integer: big-endian, no leading zero byte (zero is the empty
// string), at most 32 bytes. Returned as its minimal big-endian bytes.
[[nodiscard]] Result<Bytes> RlpUnsigned(const RlpItem& item);

// Encoding. A string item of `bytes`.
Bytes RlpEncodeString(std::span<const std::uint8_t> bytes);
// A list of already-encoded items.
Bytes RlpEncodeList(const std::vector<Bytes>& encoded_items);
// An unsigned integer given as big-endian bytes: leading zero bytes are dropped first.
Bytes RlpEncodeUnsigned(std::span<const std::uint8_t> big_endian);
Bytes RlpEncodeUnsigned(std::uint64_t value);

}  // namespace segverify::ethproof
