// Which chain family an address, an asset or a source belongs to, and the EVM mainnets an
// attestation may name. One definition for every layer, so "bitcoin"/"ethereum" is spelled once.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "common/result.h"

namespace segverify {

// kEthereum is the EVM family: Ethereum mainnet and the other EVM mainnets share addresses,
// signatures and JSON-RPC.
enum class Chain { kBitcoin, kEthereum };

std::string_view ToString(Chain chain);  // "bitcoin", "ethereum"
[[nodiscard]] Result<Chain> ParseChain(std::string_view text);

// An EVM mainnet an attestation may configure as a chain of type "evm" (docs/DESIGN.md §Ethereum).
struct EvmMainnet {
  std::uint64_t chain_id = 0;
  std::string_view name;  // the network's name, for messages ("Arbitrum One")
};

// The EVM mainnets known to this verifier, by chain id. Attestations are mainnet only: a testnet
// chain id (Sepolia 11155111, Arbitrum Sepolia 421614, ...) is not in this list.
std::span<const EvmMainnet> EvmMainnets();
// The mainnet with this chain id, or nullptr when it is not a known mainnet.
const EvmMainnet* FindEvmMainnet(std::uint64_t chain_id);

// Ethereum mainnet's chain id (EIP-155): what a chain named "ethereum" implies.
inline constexpr std::uint64_t kEthereumMainnetChainId = 1;

}  // namespace segverify
