#include "verifier/chain/ethereum_address.h"

#include "common/hashes.h"
#include "common/hex.h"

namespace segverify::chain {
namespace {

constexpr std::size_t kHexDigits = 40;

bool IsLowerHexLetter(char c) { return c >= 'a' && c <= 'f'; }
bool IsUpperHexLetter(char c) { return c >= 'A' && c <= 'F'; }

}  // namespace

std::string ToEip55(const EthAddress& bytes) {
  const std::string lower = ToHex(bytes);
  // EIP-55: upper-case the i-th letter when the i-th nibble of keccak256(lower-case hex) >= 8.
  const Hash256 hash = Keccak256(lower);
  std::string out = "0x";
  for (std::size_t i = 0; i < lower.size(); ++i) {
    const unsigned nibble = (i % 2 == 0) ? (hash[i / 2] >> 4) : (hash[i / 2] & 0x0f);
    const char c = lower[i];
    out.push_back(IsLowerHexLetter(c) && nibble >= 8 ? static_cast<char>(c - 'a' + 'A') : c);
  }
  return out;
}

Result<EthereumAddress> DecodeEthereumAddress(std::string_view text) {
  if (text.size() < 2 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X')) {
    return Error{"ethereum address must start with 0x"};
  }
  const std::string_view digits = text.substr(2);
  if (digits.size() != kHexDigits) {
    return Error{"ethereum address must have 40 hex digits after 0x, got " + std::to_string(digits.size())};
  }
  const std::optional<EthAddress> bytes = ParseEthAddressHex(text);
  if (!bytes) return Error{"ethereum address has a non-hex character"};
  EthereumAddress out{*bytes, ToEip55(*bytes)};

  bool has_lower = false;
  bool has_upper = false;
  for (const char c : digits) {
    has_lower = has_lower || IsLowerHexLetter(c);
    has_upper = has_upper || IsUpperHexLetter(c);
  }
  if (has_lower && has_upper && digits != std::string_view(out.canonical).substr(2)) {
    // The correct form is not echoed: the checksum exists to catch a mistyped address, and
    // printing the "fixed" one would invite copying it over the typo.
    return Error{"ethereum address fails its EIP-55 checksum (mixed case that is not the EIP-55 form)"};
  }
  return out;
}

}  // namespace segverify::chain
