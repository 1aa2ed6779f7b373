#include "common/evm.h"

namespace segverify {

std::optional<EthAddress> ParseEthAddressHex(std::string_view text) {
  if (text.size() != 42 || (text.substr(0, 2) != "0x" && text.substr(0, 2) != "0X")) return std::nullopt;
  EthAddress out{};
  if (!FromHexExact(text.substr(2), out)) return std::nullopt;
  return out;
}

std::string EthAddressToLowerHex(const EthAddress& address) { return "0x" + ToHex(address); }

}  // namespace segverify
