// The signature primitives ownership proofs need, over libsecp256k1 (never hand-written).
//
// Policy, in one place:
//  - ECDSA in transactions (BIP-322): strict DER (BIP-66) and low S (BIP-146 LOW_S), as BIP-322's
//    required rules demand; libsecp256k1's verify rejects high S itself, and DER strictness is
//    checked here first because libsecp256k1's parser alone is not the BIP-66 rule.
//  - Recoverable compact signatures (BIP-137, EIP-191): the caller decides about high S (BIP-137
//    accepts it as Bitcoin Core's verifymessage does; EIP-191 refuses it as Ethereum does since EIP-2).
//  - Schnorr (BIP-340) over x-only keys.
// All functions are total: malformed input gives false / nullopt, never a crash or an exception.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "common/hex.h"
#include "common/sha256.h"

namespace segverify::chain {

// BIP-66 strict DER of an ECDSA signature WITHOUT the trailing sighash byte.
bool IsStrictDer(std::span<const std::uint8_t> der);

// True iff `der` is strict DER, low S, and a valid signature of `digest` by `public_key` (33- or
// 65-byte SEC encoding).
bool VerifyEcdsaStrict(const Hash256& digest, std::span<const std::uint8_t> der,
                       std::span<const std::uint8_t> public_key);

// True iff the 64-byte r||s has s > n/2 (the malleable twin of a low-S signature).
bool IsHighS(std::span<const std::uint8_t, 64> compact);

struct RecoveredKey {
  Bytes compressed;    // 33 bytes
  Bytes uncompressed;  // 65 bytes
};

// Recovers the public key from a 64-byte r||s, a recovery id 0..3 and `digest`, in both SEC
// encodings (serializing is cheap; re-parsing a compressed key later would cost a square root).
// nullopt when r/s are out of range or no key recovers.
std::optional<RecoveredKey> RecoverPublicKey(const Hash256& digest, std::span<const std::uint8_t, 64> compact,
                                             int recovery_id);

// True iff `public_key` is a 33- or 65-byte SEC encoding of a point on the curve (the one public
// key check of the project: config keys, script keys and signer keys all go through it).
bool IsValidPublicKey(std::span<const std::uint8_t> public_key);

// The 33-byte compressed SEC form of a 33- or 65-byte SEC public key; nullopt if not a valid point.
// Signer keys are reported compressed so that one point always compares equal to itself.
std::optional<Bytes> CompressPublicKey(std::span<const std::uint8_t> public_key);
// The 65-byte uncompressed SEC form (0x04 || x || y) of a 33- or 65-byte SEC key; nullopt if not a valid point.
std::optional<Bytes> UncompressPublicKey(std::span<const std::uint8_t> public_key);

// BIP-340 verification of a 64-byte signature over a 32-byte message by a 32-byte x-only key.
// False also when the key is not on the curve.
bool VerifySchnorr(const Hash256& message, std::span<const std::uint8_t, 64> signature,
                   std::span<const std::uint8_t> xonly_key);

// BIP-341 taproot output key check: true iff `internal_key` (32-byte x-only) is on the curve,
// `tweak` is below the group order, and internal_key + tweak·G has x coordinate `output_key`
// (32 bytes) and y parity `output_parity` (0 or 1).
bool IsTaprootTweakOf(std::span<const std::uint8_t> output_key, int output_parity,
                      std::span<const std::uint8_t> internal_key, const Hash256& tweak);

// The x coordinate of internal_key + tweak·G (secp256k1_xonly_pubkey_tweak_add); nullopt when
// `internal_key` is not an x-only key on the curve or the tweak is out of range.
std::optional<std::array<std::uint8_t, 32>> TweakXOnlyKey(std::span<const std::uint8_t, 32> internal_key,
                                                          const Hash256& tweak);

// True iff `key` is 32 bytes and the x coordinate of a curve point (BIP-340 lift_x succeeds).
bool IsValidXOnlyKey(std::span<const std::uint8_t> key);

}  // namespace segverify::chain
