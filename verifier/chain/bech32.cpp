#include "verifier/chain/bech32.h"

#include <array>

namespace segverify::chain {
namespace {

constexpr std::string_view kCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
constexpr std::uint32_t kBech32Constant = 1;
constexpr std::uint32_t kBech32mConstant = 0x2bc830a3;
constexpr std::size_t kChecksumLength = 6;

std::uint32_t Constant(Bech32Encoding encoding) {
  return encoding == Bech32Encoding::kBech32 ? kBech32Constant : kBech32mConstant;
}

// BIP-173 "Checksum": the BCH code's generator polynomial over GF(32).
std::uint32_t Polymod(std::span<const std::uint8_t> values) {
  static constexpr std::array<std::uint32_t, 5> kGenerator = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd,
                                                              0x2a1462b3};
  std::uint32_t chk = 1;
  for (const std::uint8_t value : values) {
    const std::uint32_t top = chk >> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ value;
    for (std::size_t i = 0; i < kGenerator.size(); ++i) {
      if ((top >> i) & 1) chk ^= kGenerator[i];
    }
  }
  return chk;
}

std::vector<std::uint8_t> ExpandHrp(std::string_view hrp) {
  std::vector<std::uint8_t> out;
  out.reserve(hrp.size() * 2 + 1);
  for (const char c : hrp) out.push_back(static_cast<std::uint8_t>(static_cast<unsigned char>(c) >> 5));
  out.push_back(0);
  for (const char c : hrp) out.push_back(static_cast<std::uint8_t>(static_cast<unsigned char>(c) & 31));
  return out;
}

struct BitRegrouping {
  std::vector<std::uint8_t> values;  // complete groups of the output width
  int leftover_bits = 0;             // bits that did not fill a last group
  std::uint32_t leftover = 0;        // their value
};

// Re-cuts a big-endian bit stream of `from_bits`-bit values into `to_bits`-bit values (both <= 8;
// inputs are below 2^from_bits by precondition).
BitRegrouping Regroup(std::span<const std::uint8_t> in, int from_bits, int to_bits) {
  BitRegrouping out;
  out.values.reserve(in.size() * static_cast<std::size_t>(from_bits) / static_cast<std::size_t>(to_bits) + 1);
  const std::uint32_t mask = (1u << to_bits) - 1;
  std::uint32_t acc = 0;
  int bits = 0;
  for (const std::uint8_t value : in) {
    acc = ((acc << from_bits) | value) & 0xfff;  // pending bits: < to_bits + from_bits <= 12
    bits += from_bits;
    while (bits >= to_bits) {
      bits -= to_bits;
      out.values.push_back(static_cast<std::uint8_t>((acc >> bits) & mask));
    }
  }
  out.leftover_bits = bits;
  out.leftover = acc & ((1u << bits) - 1);
  return out;
}

char ToLowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

Result<Bech32String> DecodeBech32(std::string_view text) {
  if (text.size() > kBech32MaxLength) {
    return Error{"too long for bech32 (" + std::to_string(text.size()) + " characters, at most 90)"};
  }
  bool has_lower = false;
  bool has_upper = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c < 33 || c > 126) return Error{"character out of range at position " + std::to_string(i + 1)};
    has_lower = has_lower || (c >= 'a' && c <= 'z');
    has_upper = has_upper || (c >= 'A' && c <= 'Z');
  }
  if (has_lower && has_upper) return Error{"mixed case in bech32 address"};

  const std::size_t separator = text.rfind('1');
  if (separator == std::string_view::npos) return Error{"no bech32 separator '1'"};
  if (separator == 0) return Error{"empty bech32 human-readable part"};
  if (text.size() - separator - 1 < kChecksumLength) return Error{"too short for a bech32 checksum"};

  Bech32String out;
  for (std::size_t i = 0; i < separator; ++i) out.hrp.push_back(ToLowerAscii(text[i]));
  std::vector<std::uint8_t> values;
  values.reserve(text.size() - separator - 1);
  for (std::size_t i = separator + 1; i < text.size(); ++i) {
    const std::size_t pos = kCharset.find(ToLowerAscii(text[i]));
    if (pos == std::string_view::npos) {
      return Error{"invalid bech32 character '" + std::string(1, text[i]) + "' at position " + std::to_string(i + 1)};
    }
    values.push_back(static_cast<std::uint8_t>(pos));
  }

  std::vector<std::uint8_t> check = ExpandHrp(out.hrp);
  check.insert(check.end(), values.begin(), values.end());
  const std::uint32_t residue = Polymod(check);
  if (residue == kBech32Constant) {
    out.encoding = Bech32Encoding::kBech32;
  } else if (residue == kBech32mConstant) {
    out.encoding = Bech32Encoding::kBech32m;
  } else {
    return Error{"bad bech32 checksum"};
  }
  values.resize(values.size() - kChecksumLength);
  out.data = std::move(values);
  return out;
}

std::string EncodeBech32(Bech32Encoding encoding, std::string_view hrp, std::span<const std::uint8_t> values) {
  std::vector<std::uint8_t> check = ExpandHrp(hrp);
  check.insert(check.end(), values.begin(), values.end());
  check.insert(check.end(), kChecksumLength, 0);
  const std::uint32_t mod = Polymod(check) ^ Constant(encoding);

  std::string out(hrp);
  out.push_back('1');
  for (const std::uint8_t value : values) out.push_back(kCharset[value]);
  for (std::size_t i = 0; i < kChecksumLength; ++i) {
    out.push_back(kCharset[(mod >> (5 * (kChecksumLength - 1 - i))) & 31]);
  }
  return out;
}

std::vector<std::uint8_t> BytesToFiveBit(std::span<const std::uint8_t> bytes) {
  BitRegrouping r = Regroup(bytes, 8, 5);
  // Pad the last group with zero bits.
  if (r.leftover_bits > 0) r.values.push_back(static_cast<std::uint8_t>((r.leftover << (5 - r.leftover_bits)) & 31));
  return std::move(r.values);
}

Result<Bytes> FiveBitToBytes(std::span<const std::uint8_t> values) {
  BitRegrouping r = Regroup(values, 5, 8);
  if (r.leftover_bits >= 5) return Error{"bech32 data has more than 4 bits of padding"};
  if (r.leftover != 0) return Error{"bech32 data has non-zero padding"};
  return std::move(r.values);
}

}  // namespace segverify::chain
