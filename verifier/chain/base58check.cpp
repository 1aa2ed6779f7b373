#include "verifier/chain/base58check.h"

#include <algorithm>
#include <array>
#include <string>

#include "common/hashes.h"

namespace segverify::chain {
namespace {

constexpr std::string_view kAlphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
constexpr std::size_t kChecksumSize = 4;

int DigitValue(char c) {
  const std::size_t pos = kAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

}  // namespace

std::string EncodeBase58Check(std::span<const std::uint8_t> payload) {
  Bytes data(payload.begin(), payload.end());
  const Hash256 check = Sha256d(payload);
  data.insert(data.end(), check.begin(), check.begin() + kChecksumSize);

  // Each leading zero byte is written as '1'; the rest is the big number in base 58.
  const std::size_t zeros = static_cast<std::size_t>(
      std::find_if(data.begin(), data.end(), [](std::uint8_t b) { return b != 0; }) - data.begin());
  std::vector<std::uint8_t> digits;  // base-58 digits, least significant first
  for (std::size_t i = zeros; i < data.size(); ++i) {
    unsigned carry = data[i];
    for (auto& digit : digits) {
      carry += static_cast<unsigned>(digit) << 8;
      digit = static_cast<std::uint8_t>(carry % 58);
      carry /= 58;
    }
    while (carry > 0) {
      digits.push_back(static_cast<std::uint8_t>(carry % 58));
      carry /= 58;
    }
  }
  std::string out(zeros, '1');
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) out.push_back(kAlphabet[*it]);
  return out;
}

Result<Bytes> DecodeBase58Check(std::string_view text, std::size_t max_text_length) {
  if (text.empty()) return Error{"empty address"};
  if (text.size() > max_text_length) {
    return Error{"too long for a base58 address (" + std::to_string(text.size()) + " characters)"};
  }
  const std::size_t zeros =
      static_cast<std::size_t>(std::find_if(text.begin(), text.end(), [](char c) { return c != '1'; }) - text.begin());
  std::vector<std::uint8_t> bytes;  // least significant first
  for (std::size_t i = zeros; i < text.size(); ++i) {
    const int value = DigitValue(text[i]);
    if (value < 0) {
      return Error{"invalid base58 character at position " + std::to_string(i + 1)};
    }
    unsigned carry = static_cast<unsigned>(value);
    for (auto& byte : bytes) {
      carry += static_cast<unsigned>(byte) * 58;
      byte = static_cast<std::uint8_t>(carry & 0xff);
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push_back(static_cast<std::uint8_t>(carry & 0xff));
      carry >>= 8;
    }
  }
  Bytes data(zeros, 0);
  data.insert(data.end(), bytes.rbegin(), bytes.rend());
  if (data.size() < kChecksumSize) return Error{"too short for a base58check address"};

  const std::size_t payload_size = data.size() - kChecksumSize;
  const Hash256 check = Sha256d(std::span<const std::uint8_t>(data.data(), payload_size));
  if (!std::equal(check.begin(), check.begin() + kChecksumSize,
                  data.begin() + static_cast<std::ptrdiff_t>(payload_size))) {
    return Error{"bad base58check checksum"};
  }
  data.resize(payload_size);
  return data;
}

}  // namespace segverify::chain
