// EIP-191 version 0x45 ("personal_sign"): a 65-byte r || s || v signature, hex, over
//   Keccak256("\x19Ethereum Signed Message:\n" + decimal byte length + message).
// v may be 27/28 (as eth_sign returns it) or 0/1 (raw recovery id). High S is INVALID, as in
// Ethereum clients since Homestead (EIP-2): otherwise (r, n - s) would be a second valid text of
// the same signature. The signer's address is the last 20 bytes of Keccak256 of the recovered
// uncompressed key (without its 0x04 byte).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "common/hex.h"
#include "common/result.h"
#include "common/sha256.h"
#include "verifier/chain/ethereum_address.h"
#include "verifier/chain/ownership_result.h"

namespace segverify::chain {

Hash256 Eip191MessageHash(std::string_view message);

// Hex bytes with or without a "0x" prefix (either case), e.g. a signature; Error names the problem.
[[nodiscard]] Result<Bytes> DecodeEthereumHex(std::string_view text);

// On kValid, signer_keys holds the recovered key (33-byte compressed).
OwnershipResult VerifyEip191(const chain::EthereumAddress& address, std::string_view message,
                             std::string_view signature_hex);

}  // namespace segverify::chain
