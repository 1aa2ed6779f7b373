// Which chain family an address, an asset or a source belongs to, and the EVM mainnets an
// attestation may name. One definition for every layer, so "bitcoin"/"ethereum" is spelled once.
#pragma once

#include <string_view>

#include "common/result.h"

namespace segverify {

// kEthereum is the EVM family: Ethereum mainnet and the other EVM mainnets share addresses,
// signatures and JSON-RPC.
enum class Chain { kBitcoin, kEthereum };

std::string_view ToString(Chain chain);  // "bitcoin", "ethereum"
[[nodiscard]] Result<Chain> ParseChain(std::string_view text);

}  // namespace segverify
