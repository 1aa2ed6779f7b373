#include "clients/bitcoin_types.h"

#include "clients/ascii.h"

namespace segverify::clients {

std::optional<u128> SatoshisFromBtcText(std::string_view text) {
  constexpr u128 kMaxSatoshis = static_cast<u128>(21'000'000) * 100'000'000;
  auto dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (whole.empty() || whole.size() > 9) return std::nullopt;
  if (dot != std::string_view::npos && (fraction.empty() || fraction.size() > 8)) return std::nullopt;
  u128 sats = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return std::nullopt;
    sats = sats * 10 + static_cast<u128>(c - '0');
  }
  for (std::size_t i = 0; i < 8; ++i) {
    char c = i < fraction.size() ? fraction[i] : '0';
    if (c < '0' || c > '9') return std::nullopt;
    sats = sats * 10 + static_cast<u128>(c - '0');
  }
  if (sats > kMaxSatoshis) return std::nullopt;
  return sats;
}

bool IsBlockHashHex(std::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

}  // namespace segverify::clients

namespace segverify::clients {

std::optional<std::uint64_t> Uint64FromDecimalText(std::string_view text) {
  auto v = U128FromDecimal(text);
  if (!v || *v > UINT64_MAX) return std::nullopt;
  return static_cast<std::uint64_t>(*v);
}

Status CheckHeaderIsBlock(std::string_view reported_hash, std::optional<std::uint64_t> reported_height,
                          const std::string& hash, std::uint64_t height, const std::string& origin) {
  if (AsciiLower(reported_hash) == AsciiLower(hash) && reported_height == height) return Status::Ok();
  return Error{origin + ": header does not match block " + std::to_string(height) + " " + hash,
               ProblemKind::kProofMismatch};
}

}  // namespace segverify::clients
