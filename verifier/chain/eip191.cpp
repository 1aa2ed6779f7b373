#include "verifier/chain/eip191.h"

#include <span>
#include <string>

#include "common/hashes.h"
#include "verifier/chain/ethereum_key.h"
#include "verifier/chain/signature_checks.h"

namespace segverify::chain {

Hash256 Eip191MessageHash(std::string_view message) {
  std::string data =
      "\x19"
      "Ethereum Signed Message:\n" +
      std::to_string(message.size());
  data.append(message);
  return Keccak256(std::string_view(data));
}

Result<Bytes> DecodeEthereumHex(std::string_view text) {
  if (text.starts_with("0x") || text.starts_with("0X")) text.remove_prefix(2);
  auto bytes = FromHex(text);
  if (!bytes) return Error{"not hex (expected 0x followed by an even number of hex digits)"};
  return std::move(*bytes);
}

OwnershipResult VerifyEip191(const chain::EthereumAddress& address, std::string_view message,
                             std::string_view signature_hex) {
  auto sig = DecodeEthereumHex(signature_hex);
  if (!sig) return Malformed("EIP-191 signature: " + sig.error().message);
  if (sig->size() != 65) return Malformed("EIP-191 signature must be 65 bytes, got " + std::to_string(sig->size()));
  const std::uint8_t v = (*sig)[64];
  if (v != 27 && v != 28 && v != 0 && v != 1) {
    return Invalid("EIP-191 signature has v = " + std::to_string(v) + "; expected 27, 28, 0 or 1");
  }
  const std::span<const std::uint8_t, 64> rs(sig->data(), 64);
  if (IsHighS(rs)) return Invalid("EIP-191 signature has a high S value (rejected since EIP-2)");
  auto key = RecoverPublicKey(Eip191MessageHash(message), rs, v >= 27 ? v - 27 : v);
  if (!key) return Invalid("EIP-191 signature does not recover a public key");
  if (EthereumAddressOfKey(key->uncompressed) != std::optional<EthAddress>(address.bytes)) {
    return Invalid("EIP-191 signature was made by another account (or for another message)");
  }
  return Valid("EIP-191 personal_sign by " + address.canonical, {std::move(key->compressed)});
}

}  // namespace segverify::chain
