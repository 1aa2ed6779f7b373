#include "common/chain.h"

#include <algorithm>
#include <array>
#include <string>

namespace segverify {
namespace {

// Chain ids and names from the community registry behind chainid.network,
// https://github.com/ethereum-lists/chains, files _data/chains/eip155-<chain id>.json (each
// entry's "chainId" and "name"; read 2025). Only production networks: an id is added here only
// after checking its file there says it is a mainnet (no "testnet" in its name or "network").
constexpr std::array<EvmMainnet, 10> kEvmMainnets = {{
    {1, "Ethereum Mainnet"},
    {10, "OP Mainnet"},
    {56, "BNB Smart Chain Mainnet"},
    {100, "Gnosis"},
    {137, "Polygon Mainnet"},
    {8453, "Base"},
    {42161, "Arbitrum One"},
    {42170, "Arbitrum Nova"},
    {43114, "Avalanche C-Chain"},
    {59144, "Linea"},
}};

}  // namespace

std::string_view ToString(Chain chain) { return chain == Chain::kBitcoin ? "bitcoin" : "ethereum"; }

Result<Chain> ParseChain(std::string_view text) {
  if (text == "bitcoin") return Chain::kBitcoin;
  if (text == "ethereum") return Chain::kEthereum;
  return Error{"unknown chain \"" + std::string(text) + "\" (expected bitcoin or ethereum)"};
}

std::span<const EvmMainnet> EvmMainnets() { return kEvmMainnets; }

const EvmMainnet* FindEvmMainnet(std::uint64_t chain_id) {
  auto it = std::find_if(kEvmMainnets.begin(), kEvmMainnets.end(),
                         [chain_id](const EvmMainnet& m) { return m.chain_id == chain_id; });
  return it == kEvmMainnets.end() ? nullptr : &*it;
}

}  // namespace segverify
