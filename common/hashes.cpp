#include "common/hashes.h"

#include <crypto++/keccak.h>
#include <crypto++/ripemd.h>
#include <crypto++/sha.h>

namespace segverify {

Hash160Bytes Hash160(std::span<const std::uint8_t> data) {
  const Hash256 sha = Sha256(data);
  Hash160Bytes out;
  CryptoPP::RIPEMD160 ripemd;
  ripemd.CalculateDigest(out.data(), sha.data(), sha.size());
  return out;
}

Hash256 Sha256d(std::span<const std::uint8_t> data) { return Sha256(Sha256(data)); }

Hash256 Keccak256(std::span<const std::uint8_t> data) {
  Hash256 out;
  CryptoPP::Keccak_256 keccak;
  keccak.CalculateDigest(out.data(), data.data(), data.size());
  return out;
}

Hash256 Keccak256(std::string_view data) {
  return Keccak256(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(data.data()), data.size()));
}

Hash256 TaggedHash(std::string_view tag, std::span<const std::uint8_t> data) {
  const Hash256 tag_hash = Sha256(tag);
  Sha256Hasher hasher;
  hasher.Update(tag_hash).Update(tag_hash).Update(data);
  return hasher.Final();
}

}  // namespace segverify
