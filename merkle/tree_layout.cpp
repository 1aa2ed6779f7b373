#include "merkle/tree_layout.h"

#include <crypto++/siphash.h>

namespace segverify::merkle {

std::uint64_t AccountIndexKey(std::string_view account_id) {
  static constexpr std::uint8_t kKey[16] = {'s', 'e', 'g', 'v', 'e', 'r', 'i', 'f', 'y', '-', 'i', 'n', 'd', 'e', 'x', '1'};
  CryptoPP::SipHash<2, 4, false> mac(kKey, sizeof kKey);
  std::uint8_t out[8];
  mac.CalculateDigest(out, reinterpret_cast<const std::uint8_t*>(account_id.data()), account_id.size());
  return GetLe64(out);
}

std::array<std::uint8_t, kTreeHeaderBytes> TreeHeader(std::uint32_t asset_count, std::uint32_t height,
                                                      std::uint64_t accounts) {
  std::array<std::uint8_t, kTreeHeaderBytes> header{};
  std::memcpy(header.data(), kTreeMagic, 8);
  PutLe32(header.data() + 8, asset_count);
  PutLe32(header.data() + 12, height);
  PutLe64(header.data() + 16, accounts);
  return header;
}

}  // namespace segverify::merkle
