// A Safe's ERC-1271 answer computed here, from its owners and threshold, instead of asked of a node.
//
// segverify asks a contract isValidSignature(bytes32 hash, bytes signature) with hash = the EIP-191
// hash of the attestation message (erc1271.h). A Safe (1.3.0, 1.4.1) answers through its fallback
// handler; the official CompatibilityFallbackHandler does (CompatibilityFallbackHandler.sol):
//   message        = abi.encode(hash)                                  (32 bytes)
//   safeMessageHash = keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖
//                               keccak256(abi.encode(SAFE_MSG_TYPEHASH, keccak256(message))))
//   domainSeparator = keccak256(abi.encode(DOMAIN_SEPARATOR_TYPEHASH, chainId, safe))
// with SAFE_MSG_TYPEHASH = keccak256("SafeMessage(bytes message)") and DOMAIN_SEPARATOR_TYPEHASH =
// keccak256("EIP712Domain(uint256 chainId,address verifyingContract)") (EIP-712), then
// safe.checkSignatures(safeMessageHash, …, signature) (OwnerManager/Safe.sol checkNSignatures):
// the signature holds at least threshold × 65 bytes; signature i is r ‖ s ‖ v at 65·i; v 27/28
// signs safeMessageHash itself, v 31/32 (eth_sign) signs the EIP-191 hash of its 32 bytes with
// v − 4; the recovered signers must be owners, strictly ascending as numbers, never the sentinel.
// The precompile ecrecover accepts a high s, so this does too.
//
// Only the kinds that need nothing but the owners are decided here: a contract signature (v 0),
// an approved hash (v 1) or an empty signature (signedMessages) need the chain, and give nullopt.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/evm.h"
#include "common/sha256.h"
#include "verifier/chain/ownership_result.h"

namespace segverify::chain {

// The hash the Safe's owners sign for isValidSignature(hash, …) (see above).
Hash256 SafeMessageHash(const EthAddress& safe, std::uint64_t chain_id, const Hash256& hash);

// The Safe at `safe` on `chain_id`, with `owners` and `threshold` (proven at the pin), judged on
// `signature` over `message`: kValid or kInvalid with the reason; nullopt for a signature kind
// only the chain can judge.
std::optional<OwnershipResult> VerifySafeSignature(const EthAddress& safe, std::uint64_t chain_id,
                                                   std::string_view message, std::span<const std::uint8_t> signature,
                                                   const std::vector<EthAddress>& owners, std::uint64_t threshold);

}  // namespace segverify::chain
