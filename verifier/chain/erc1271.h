// ERC-1271 contract signatures: isValidSignature(bytes32 hash, bytes signature) called on the
// wallet contract at the pinned block, with hash = the EIP-191 personal_sign hash of the message.
//
// The call goes through an injected EthCall so that this code needs no network and tests can
// script the node. An EthCall Error means the node could not be asked (→ kCannotCheck, exit 2);
// a revert is an answer (→ kInvalid).
//
// Valid iff the call returned EXACTLY 32 bytes: 0x1626ba7e followed by 28 zero bytes (the ABI
// encoding of the bytes4 magic value). Longer data, a different value or non-zero padding are
// invalid: Solidity's decoder would ignore trailing bytes, but a contract returning them is not
// following the standard and failing closed costs an honest wallet nothing.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>

#include "common/evm.h"
#include "common/hex.h"
#include "common/result.h"
#include "common/sha256.h"
#include "verifier/chain/ethereum_address.h"
#include "verifier/chain/ownership_result.h"

namespace segverify::chain {

// eth_call {to, data} at block number `block`.
using EthCall = std::function<Result<EthCallResult>(const EthAddress& to, const Bytes& calldata, std::uint64_t block)>;

inline constexpr std::array<std::uint8_t, 4> kErc1271MagicValue{0x16, 0x26, 0xba, 0x7e};  // also the selector

// selector || hash || offset 0x40 || length || signature zero-padded to a multiple of 32 bytes.
Bytes EncodeIsValidSignatureCall(const Hash256& hash, std::span<const std::uint8_t> signature);

enum class Erc1271Answer {
  kMagicValue,  // exactly the 32-byte ABI encoding of 0x1626ba7e
  kOtherValue,  // returned anything else (another value, wrong length, non-zero padding)
  kReverted,
};
Erc1271Answer DecodeIsValidSignatureAnswer(const EthCallResult& result);

// `signature_hex`: the bytes handed to the contract ("0x" + hex, any length).
OwnershipResult VerifyErc1271(const chain::EthereumAddress& address, std::string_view message,
                              std::string_view signature_hex, const EthCall& eth_call, std::uint64_t block);

}  // namespace segverify::chain
