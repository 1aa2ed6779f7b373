#include "ethproof/rlp.h"

#include <algorithm>
#include <string>

namespace segverify::ethproof {
namespace {

// The header of the item at the start of `input`: list or string, where its payload starts, and
// the payload's length; every non-canonical form is an Error.
struct Prefix {
  bool is_list = false;
  std::size_t header = 0;
  std::size_t length = 0;
};

Result<Prefix> ReadPrefix(std::span<const std::uint8_t> input) {
  if (input.empty()) return Error{"RLP: empty input"};
  const std::uint8_t b = input[0];
  if (b < 0x80) return Prefix{false, 0, 1};
  const bool is_list = b >= 0xc0;
  const std::size_t offset = static_cast<std::size_t>(b - (is_list ? 0xc0 : 0x80));  // 0..63
  const std::size_t short_limit = 55;
  if (offset <= short_limit) {
    Prefix p{is_list, 1, offset};
    if (!is_list && p.length == 1) {
      if (input.size() < 2) return Error{"RLP: string runs past the input"};
      if (input[1] < 0x80) return Error{"RLP: single byte below 0x80 must encode itself"};
    }
    return p;
  }
  const std::size_t length_bytes = offset - short_limit;  // 1..8
  if (input.size() < 1 + length_bytes) return Error{"RLP: length runs past the input"};
  if (input[1] == 0) return Error{"RLP: length with a leading zero byte"};
  if (length_bytes > sizeof(std::size_t)) return Error{"RLP: length too large"};
  std::size_t length = 0;
  for (std::size_t i = 0; i < length_bytes; ++i) length = (length << 8) | input[1 + i];
  if (length <= short_limit) return Error{"RLP: long form for a length of 55 or less"};
  return Prefix{is_list, 1 + length_bytes, length};
}

// The item at the start of `input`, which may continue past it.
Result<RlpItem> DecodeFirst(std::span<const std::uint8_t> input) {
  auto prefix = ReadPrefix(input);
  if (!prefix) return prefix.error();
  if (prefix->length > input.size() - prefix->header) return Error{"RLP: item runs past the input"};
  RlpItem item;
  item.is_list = prefix->is_list;
  item.encoded = input.subspan(0, prefix->header + prefix->length);
  item.payload = prefix->header == 0 ? item.encoded : input.subspan(prefix->header, prefix->length);
  return item;
}

Bytes LengthPrefix(std::size_t length, std::uint8_t base) {
  if (length <= 55) return Bytes{static_cast<std::uint8_t>(base + length)};
  Bytes digits;
  for (std::size_t n = length; n; n >>= 8) digits.push_back(static_cast<std::uint8_t>(n & 0xff));
  std::reverse(digits.begin(), digits.end());
  Bytes out{static_cast<std::uint8_t>(base + 55 + digits.size())};
  out.insert(out.end(), digits.begin(), digits.end());
  return out;
}

}  // namespace

Result<RlpItem> RlpDecode(std::span<const std::uint8_t> input) {
  auto item = DecodeFirst(input);
  if (!item) return item.error();
  if (item->encoded.size() != input.size()) {
    return Error{"RLP: " + std::to_string(input.size() - item->encoded.size()) + " trailing bytes after the item"};
  }
  return item;
}

Result<std::vector<RlpItem>> RlpListItems(const RlpItem& list) {
  if (!list.is_list) return Error{"RLP: expected a list, found a string"};
  std::vector<RlpItem> items;
  std::span<const std::uint8_t> rest = list.payload;
  while (!rest.empty()) {
    auto item = DecodeFirst(rest);
    if (!item) return item.error();
    rest = rest.subspan(item->encoded.size());
    items.push_back(*item);
  }
  return items;
}

Result<Bytes> RlpUnsigned(const RlpItem& item) {
  if (item.is_list) return Error{"RLP: expected an integer, found a list"};
  if (item.payload.size() > 32) return Error{"RLP: integer over 32 bytes"};
  if (!item.payload.empty() && item.payload[0] == 0) return Error{"RLP: integer with a leading zero byte"};
  return Bytes(item.payload.begin(), item.payload.end());
}

Bytes RlpEncodeString(std::span<const std::uint8_t> bytes) {
  if (bytes.size() == 1 && bytes[0] < 0x80) return Bytes{bytes[0]};
  Bytes out = LengthPrefix(bytes.size(), 0x80);
  out.insert(out.end(), bytes.begin(), bytes.end());
  return out;
}

Bytes RlpEncodeList(const std::vector<Bytes>& encoded_items) {
  std::size_t length = 0;
  for (const Bytes& item : encoded_items) length += item.size();
  Bytes out = LengthPrefix(length, 0xc0);
  out.reserve(out.size() + length);
  for (const Bytes& item : encoded_items) out.insert(out.end(), item.begin(), item.end());
  return out;
}

Bytes RlpEncodeUnsigned(std::span<const std::uint8_t> big_endian) {
  auto first = std::find_if(big_endian.begin(), big_endian.end(), [](std::uint8_t b) { return b != 0; });
  return RlpEncodeString(std::span<const std::uint8_t>(first, big_endian.end()));
}

Bytes RlpEncodeUnsigned(std::uint64_t value) {
  std::uint8_t digits[8];
  for (int i = 7; i >= 0; --i, value >>= 8) digits[i] = static_cast<std::uint8_t>(value & 0xff);
  return RlpEncodeUnsigned(std::span<const std::uint8_t>(digits, 8));
}

}  // namespace segverify::ethproof
