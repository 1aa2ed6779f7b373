// The hash functions beyond SHA-256 that addresses, signatures and vault checks need, as thin
// wrappers over Crypto++ (never hand-written). All are pure, total functions: any input length is valid, nothing
// throws.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "common/sha256.h"

namespace segverify {

using Hash160Bytes = std::array<std::uint8_t, 20>;

// RIPEMD160(SHA256(data)): the key/script hash inside P2PKH, P2SH and P2WPKH.
Hash160Bytes Hash160(std::span<const std::uint8_t> data);

// SHA256(SHA256(data)): Base58Check checksums, the Bitcoin message-signing hash.
Hash256 Sha256d(std::span<const std::uint8_t> data);

// Keccak-256 as Ethereum uses it (CryptoPP::Keccak_256, original padding) — NOT FIPS SHA3-256.
Hash256 Keccak256(std::span<const std::uint8_t> data);
Hash256 Keccak256(std::string_view data);

// BIP-340 tagged hash: SHA256(SHA256(tag) || SHA256(tag) || data).
Hash256 TaggedHash(std::string_view tag, std::span<const std::uint8_t> data);

}  // namespace segverify
