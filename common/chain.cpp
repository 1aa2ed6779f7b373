#include "common/chain.h"

#include <string>

namespace segverify {

std::string_view ToString(Chain chain) { return chain == Chain::kBitcoin ? "bitcoin" : "ethereum"; }

Result<Chain> ParseChain(std::string_view text) {
  if (text == "bitcoin") return Chain::kBitcoin;
  if (text == "ethereum") return Chain::kEthereum;
  return Error{"unknown chain \"" + std::string(text) + "\" (expected bitcoin or ethereum)"};
}

}  // namespace segverify
