#include "verifier/chain/bip137.h"

#include <string>

#include "common/hashes.h"
#include "verifier/chain/base64_strict.h"
#include "verifier/chain/bitcoin_tx.h"
#include "verifier/chain/signature_checks.h"

namespace segverify::chain {
namespace {

enum class HeaderKind { kP2pkhUncompressed, kP2pkhCompressed, kP2shP2wpkh, kP2wpkh };

HeaderKind KindOfHeader(std::uint8_t header) {
  if (header <= 30) return HeaderKind::kP2pkhUncompressed;
  if (header <= 34) return HeaderKind::kP2pkhCompressed;
  if (header <= 38) return HeaderKind::kP2shP2wpkh;
  return HeaderKind::kP2wpkh;
}

std::string_view HeaderKindName(HeaderKind kind) {
  switch (kind) {
    case HeaderKind::kP2pkhUncompressed:
      return "P2PKH with an uncompressed key";
    case HeaderKind::kP2pkhCompressed:
      return "P2PKH with a compressed key";
    case HeaderKind::kP2shP2wpkh:
      return "P2SH-P2WPKH";
    case HeaderKind::kP2wpkh:
      return "P2WPKH";
  }
  return "unknown";
}

// Whether a header of `kind` may sign for an address of `type` (see bip137.h for the Electrum rule).
bool HeaderFitsAddress(HeaderKind kind, chain::BitcoinAddressType type) {
  using chain::BitcoinAddressType;
  switch (type) {
    case BitcoinAddressType::kP2pkh:
      return kind == HeaderKind::kP2pkhUncompressed || kind == HeaderKind::kP2pkhCompressed;
    case BitcoinAddressType::kP2sh:
      return kind == HeaderKind::kP2shP2wpkh || kind == HeaderKind::kP2pkhCompressed;
    case BitcoinAddressType::kP2wpkh:
      return kind == HeaderKind::kP2wpkh || kind == HeaderKind::kP2pkhCompressed;
    default:
      return false;
  }
}

// The 20-byte program the address would have if `key` signed for it.
Hash160Bytes ProgramForKey(chain::BitcoinAddressType type, const Bytes& key) {
  const Hash160Bytes key_hash = Hash160(key);
  if (type != chain::BitcoinAddressType::kP2sh) return key_hash;
  return Hash160(chain::P2wpkhScript(key_hash));  // P2SH wrapping the P2WPKH redeem script
}

}  // namespace

Hash256 BitcoinSignedMessageHash(std::string_view message) {
  static constexpr std::string_view kMagic = "Bitcoin Signed Message:\n";
  Bytes data;
  AppendVarBytes(data, std::span(reinterpret_cast<const std::uint8_t*>(kMagic.data()), kMagic.size()));
  AppendVarBytes(data, std::span(reinterpret_cast<const std::uint8_t*>(message.data()), message.size()));
  return Sha256d(data);
}

bool IsBip137Header(std::uint8_t header) { return header >= 27 && header <= 42; }

OwnershipResult VerifyBip137Signature(const chain::BitcoinAddress& address, std::string_view message,
                                      std::span<const std::uint8_t, 65> signature) {
  using chain::BitcoinAddressType;
  const std::uint8_t header = signature[0];
  if (!IsBip137Header(header)) {
    return Malformed("BIP-137 header byte " + std::to_string(header) + " is outside 27..42");
  }
  if (address.type != BitcoinAddressType::kP2pkh && address.type != BitcoinAddressType::kP2sh &&
      address.type != BitcoinAddressType::kP2wpkh) {
    return Unsupported("BIP-137 signs only for P2PKH, P2SH-P2WPKH and P2WPKH addresses, not " +
                       std::string(chain::ToString(address.type)));
  }
  const HeaderKind kind = KindOfHeader(header);
  if (!HeaderFitsAddress(kind, address.type)) {
    return Invalid("BIP-137 header " + std::to_string(header) + " is for " + std::string(HeaderKindName(kind)) +
                   ", but the address is " + std::string(chain::ToString(address.type)));
  }
  const int recovery_id = (header - 27) % 4;
  const bool compressed = kind != HeaderKind::kP2pkhUncompressed;
  auto key = RecoverPublicKey(BitcoinSignedMessageHash(message), signature.subspan<1, 64>(), recovery_id);
  if (!key) return Invalid("BIP-137 signature does not recover a public key");
  const Hash160Bytes program = ProgramForKey(address.type, compressed ? key->compressed : key->uncompressed);
  if (!std::equal(program.begin(), program.end(), address.program.begin(), address.program.end())) {
    return Invalid("BIP-137 signature was made by another key (or for another message or key encoding)");
  }
  return Valid("BIP-137 signature by the key of this " + std::string(chain::ToString(address.type)) + " address",
               {std::move(key->compressed)});
}

OwnershipResult VerifyBip137(const chain::BitcoinAddress& address, std::string_view message,
                             std::string_view signature_text) {
  auto decoded = DecodeBase64Strict(signature_text);
  if (!decoded) return Malformed("BIP-137 signature: " + decoded.error().message);
  if (decoded->size() != 65) {
    return Malformed("BIP-137 signature must be 65 bytes, got " + std::to_string(decoded->size()));
  }
  return VerifyBip137Signature(address, message, std::span<const std::uint8_t, 65>(decoded->data(), 65));
}

}  // namespace segverify::chain
