// BIP-137 / "Bitcoin Signed Message": a 65-byte recoverable ECDSA signature, base64-encoded, whose
// first byte (the header) names the recovery id and the address kind:
//   27–30 P2PKH, uncompressed key      31–34 P2PKH, compressed key
//   35–38 P2SH-P2WPKH (compressed)     39–42 P2WPKH (compressed)
// Electrum and several wallets sign segwit addresses with the P2PKH-compressed headers 31–34, so
// those are also accepted for P2WPKH and P2SH-P2WPKH addresses (the key must still hash to the
// address, so this accepts no key that the address does not commit to). Any other header/address
// combination is invalid — in particular a compressed/uncompressed mismatch with a P2PKH address.
//
// The message is hashed exactly as given (no trimming of spaces or newlines):
//   SHA256d(CompactSize(24) "Bitcoin Signed Message:\n" CompactSize(len) message).
// High-S signatures are accepted, as Bitcoin Core's verifymessage accepts them: recovery gives the
// same key for both S values, so malleability cannot make a signature name another key.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "common/sha256.h"
#include "verifier/chain/bitcoin_address.h"
#include "verifier/chain/ownership_result.h"

namespace segverify::chain {

Hash256 BitcoinSignedMessageHash(std::string_view message);

// True iff `header` is a BIP-137 header byte (27..42).
bool IsBip137Header(std::uint8_t header);

// Verifies a decoded 65-byte signature. On kValid, signer_keys holds the recovered key (compressed).
OwnershipResult VerifyBip137Signature(const chain::BitcoinAddress& address, std::string_view message,
                                      std::span<const std::uint8_t, 65> signature);

// Verifies base64 `signature_text` (kMalformed if it is not the strict base64 of 65 bytes).
OwnershipResult VerifyBip137(const chain::BitcoinAddress& address, std::string_view message,
                             std::string_view signature_text);

}  // namespace segverify::chain
