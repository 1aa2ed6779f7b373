// The one entry point for ownership proofs: which proof type applies, and whether it holds.
//
// Ethereum accounts with code (docs/DESIGN.md §Contract vaults): a contract proves ownership with
// ERC-1271 only. When the caller knows whether the address has code at the block
// (OwnershipClaim::has_code, from eth_getCode), an EIP-191 proof for an address with code is
// invalid, and so is an ERC-1271 proof for an address without code (nothing there can answer).
//
// Proof type detection (when OwnershipClaim::type is empty):
//  - Ethereum, has_code known: code → ERC-1271, no code → EIP-191.
//  - Ethereum, has_code unknown (no node was asked): a 65-byte signature that verifies as EIP-191
//    is valid (only the key's holder can make it). Anything else may be a contract wallet's
//    signature (which has no fixed shape, and may be 65 bytes too): with an EthCall, ERC-1271 is
//    tried; without one it is kCannotCheck ("needs a node"), never kInvalid — offline, a failed
//    EIP-191 check cannot tell a wrong signature from a contract's.
//  - Bitcoin: a strict-base64 65-byte signature with header 27..42 for a P2PKH, P2SH or P2WPKH
//    address is BIP-137; everything else is BIP-322 (whose own decoding names what is wrong).
// An explicit type is never second-guessed: a proof of the wrong type fails.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/chain.h"
#include "common/hex.h"
#include "common/result.h"
#include "verifier/chain/erc1271.h"
#include "verifier/chain/ownership_result.h"

namespace segverify::chain {

enum class ProofType { kBip137, kBip322, kEip191, kErc1271 };

std::string_view ToString(ProofType type);                              // "bip137", "bip322", "eip191", "erc1271"
[[nodiscard]] Result<ProofType> ParseProofType(std::string_view text);  // unknown names are errors

struct OwnershipClaim {
  Chain chain = Chain::kBitcoin;
  std::string address;                  // as written (decoded and checked here)
  std::string message;                  // exact bytes signed
  std::string signature;                // base64 (Bitcoin) or hex (Ethereum), as the proof type defines
  std::optional<ProofType> type;        // empty: detect (see above)
  std::optional<Bytes> witness_script;  // P2WSH/P2SH: the configured script the address must commit to
  EthCall eth_call;                     // ERC-1271 only; empty → kCannotCheck
  std::optional<std::uint64_t> block;   // ERC-1271: the pinned block the call is made at
  std::optional<bool> has_code;         // Ethereum: whether the address has code at `block` (see above)
};

// Never throws. An address that does not decode on the claim's chain, or a proof type that does
// not belong to the chain, is kMalformed.
OwnershipResult VerifyOwnership(const OwnershipClaim& claim);

}  // namespace segverify::chain
