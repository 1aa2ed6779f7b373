#include "verifier/chain/ethereum_key.h"

#include <algorithm>

#include "common/hashes.h"
#include "common/hex.h"
#include "verifier/chain/signature_checks.h"

namespace segverify::chain {

std::optional<EthAddress> EthereumAddressOfKey(std::span<const std::uint8_t> public_key) {
  auto uncompressed = UncompressPublicKey(public_key);
  if (!uncompressed) return std::nullopt;
  const Hash256 hash = Keccak256(std::span<const std::uint8_t>(*uncompressed).subspan(1));
  EthAddress address{};
  std::copy(hash.begin() + 12, hash.end(), address.begin());
  return address;
}

std::vector<EthAddress> EthereumAddressesOfKeyHolder(std::span<const std::uint8_t> key) {
  std::span<const std::uint8_t> x;
  if (key.size() == 32)
    x = key;
  else if ((key.size() == 33 || key.size() == 65) && IsValidPublicKey(key))
    x = key.subspan(1, 32);
  else
    return {};
  std::vector<EthAddress> out;
  for (std::uint8_t parity : {std::uint8_t{0x02}, std::uint8_t{0x03}}) {
    Bytes compressed{parity};
    compressed.insert(compressed.end(), x.begin(), x.end());
    if (auto address = EthereumAddressOfKey(compressed)) out.push_back(*address);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace segverify::chain
