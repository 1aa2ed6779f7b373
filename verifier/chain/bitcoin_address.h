// Bitcoin addresses: Base58Check (P2PKH, P2SH) and segwit (BIP-173 Bech32 for witness v0,
// BIP-350 Bech32m for v1+), mainnet/testnet/regtest, each mapped to its scriptPubKey.
//
// Decoding fails closed: anything that is not exactly a valid address of a known kind is an Error
// whose message says why (bad checksum, mixed case, wrong variant for the version, bad program
// length, unknown prefix or version byte, invalid character, too long). No exceptions escape.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/hex.h"
#include "common/result.h"

namespace segverify::chain {

// Testnet and signet share their prefixes ("tb", 0x6f/0xc4), so both decode as kTestnet.
enum class BitcoinNetwork { kMainnet, kTestnet, kRegtest };

enum class BitcoinAddressType {
  kP2pkh,           // Base58Check, version 0x00 / 0x6f
  kP2sh,            // Base58Check, version 0x05 / 0xc4
  kP2wpkh,          // witness v0, 20-byte program
  kP2wsh,           // witness v0, 32-byte program
  kP2tr,            // witness v1, 32-byte program
  kWitnessUnknown,  // witness v1 with another length, or v2..v16 (valid per BIP-350, not spendable here)
};

std::string_view ToString(BitcoinAddressType type);  // "p2pkh","p2sh","p2wpkh","p2wsh","p2tr","witness_unknown"
std::string_view ToString(BitcoinNetwork network);   // "mainnet","testnet","regtest"

// A decoded address. Invariants (kept by DecodeBitcoinAddress / EncodeBitcoinAddress):
// witness_version is -1 exactly for P2PKH/P2SH; program is 20 bytes for P2PKH/P2SH/P2WPKH and
// 32 for P2WSH/P2TR, 2..40 otherwise; canonical re-decodes to the same value; script_pubkey is the
// output script paying to this address.
struct BitcoinAddress {
  BitcoinNetwork network = BitcoinNetwork::kMainnet;
  BitcoinAddressType type = BitcoinAddressType::kP2pkh;
  int witness_version = -1;  // -1 for base58 types
  Bytes program;             // P2PKH/P2SH: the 20-byte hash; segwit: the witness program
  std::string canonical;     // base58 as given; bech32/bech32m in lower case
  Bytes script_pubkey;       // 76a914<20>88ac, a914<20>87, 0014<20>, 0020<32>, 5120<32>, OP_v <push prog>

  bool operator==(const BitcoinAddress&) const = default;
};

// Decodes any Bitcoin address text. All-upper-case bech32 is accepted (canonical is lower case);
// mixed case is an error. Leading/trailing spaces are not trimmed: they are an error.
[[nodiscard]] Result<BitcoinAddress> DecodeBitcoinAddress(std::string_view text);

// Encodes `program` as an address of `type` on `network`: P2PKH/P2SH take the 20-byte hash,
// segwit types the witness program. Fails on a wrong program length. kWitnessUnknown cannot be
// encoded through this function (its version is not implied): use EncodeSegwitAddress.
[[nodiscard]] Result<std::string> EncodeBitcoinAddress(BitcoinNetwork network, BitcoinAddressType type,
                                                       std::span<const std::uint8_t> program);

// Encodes a segwit address of any version 0..16 (Bech32 for v0, Bech32m for v1+); fails on a
// program length BIP-141/BIP-350 does not allow (2..40 bytes; v0 only 20 or 32).
[[nodiscard]] Result<std::string> EncodeSegwitAddress(BitcoinNetwork network, int witness_version,
                                                      std::span<const std::uint8_t> program);

// Output scripts for BIP-137/BIP-322 users.
Bytes P2pkhScript(const std::array<std::uint8_t, 20>& key_hash);    // OP_DUP OP_HASH160 <20> OP_EQUALVERIFY OP_CHECKSIG
Bytes P2shScript(const std::array<std::uint8_t, 20>& script_hash);  // OP_HASH160 <20> OP_EQUAL
Bytes P2wpkhScript(const std::array<std::uint8_t, 20>& key_hash);   // OP_0 <20>
// OP_version <program> for any witness version 0..16 (precondition: version in range, program 2..40).
Bytes WitnessScript(int witness_version, std::span<const std::uint8_t> program);

}  // namespace segverify::chain
