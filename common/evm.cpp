#include "common/evm.h"

namespace segverify {

std::optional<EthAddress> ParseEthAddressHex(std::string_view text) {
  if (text.size() != 42 || (text.substr(0, 2) != "0x" && text.substr(0, 2) != "0X")) return std::nullopt;
  EthAddress out{};
  if (!FromHexExact(text.substr(2), out)) return std::nullopt;
  return out;
}

std::string EthAddressToLowerHex(const EthAddress& address) { return "0x" + ToHex(address); }

void AppendAbiUintWord(Bytes& out, std::uint64_t value) {
  const std::size_t at = out.size();
  out.resize(at + 32, 0);
  for (std::size_t i = 0; i < 8; ++i) out[at + 31 - i] = static_cast<std::uint8_t>(value >> (8 * i));
}

void AppendAbiAddressWord(Bytes& out, const EthAddress& address) {
  out.resize(out.size() + 12, 0);
  out.insert(out.end(), address.begin(), address.end());
}

}  // namespace segverify
