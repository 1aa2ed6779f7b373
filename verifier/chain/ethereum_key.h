// From secp256k1 public keys to the Ethereum accounts they control (the Yellow Paper, appendix F:
// an account's address is the last 20 bytes of keccak256 of the 64-byte uncompressed point).
//
// Used by EIP-191 (which account signed) and by the vault rules (which Safe owners are the firm's:
// docs/DESIGN.md §Contract vaults, the Ethereum address of every firm key).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/evm.h"

namespace segverify::chain {

// The account of a 33- or 65-byte SEC public key; nullopt if it is not a point on the curve.
std::optional<EthAddress> EthereumAddressOfKey(std::span<const std::uint8_t> public_key);

// Every account that whoever holds `key`'s private key controls: the key's own and that of its
// negation (same x, other y: its private key is n - d, just as easy to use). This is the same
// "one owner per x-coordinate" rule the segregation checks use for Bitcoin keys, so a firm key
// listed compressed, uncompressed, or as a P2TR x-only key names the same two accounts. Takes a
// 33/65-byte SEC key or a 32-byte x-only key; empty when it is not a valid key. Ascending order.
std::vector<EthAddress> EthereumAddressesOfKeyHolder(std::span<const std::uint8_t> key);

}  // namespace segverify::chain
