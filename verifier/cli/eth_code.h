// Whether an Ethereum address has code, asked of one node (`sig verify --rpc`, `address inspect
// --rpc`): a contract proves ownership with ERC-1271 only, and the address form alone cannot tell
// a contract from a key's account (docs/DESIGN.md §Contract vaults).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "clients/ethereum_client.h"
#include "common/evm.h"
#include "common/result.h"

namespace segverify::cli {

struct CodeAtBlock {
  std::uint64_t block = 0;
  bool has_code = false;
};

// eth_getCode of `address` at `block` (nullopt: the node's latest block), pinned to the hash the
// node reports for that block. Errors name the node (never its credentials).
[[nodiscard]] Result<CodeAtBlock> ReadCodeAt(clients::EthereumClient& node, const EthAddress& address,
                                             std::optional<std::uint64_t> block);

}  // namespace segverify::cli
