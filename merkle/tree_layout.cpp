#include "merkle/tree_layout.h"

#include "merkle/siphash.h"

namespace segverify::merkle {

std::uint64_t AccountIndexKey(std::string_view account_id) {
  static const SipHash24 kMac(
      std::array<std::uint8_t, 16>{'s', 'e', 'g', 'v', 'e', 'r', 'i', 'f', 'y', '-', 'i', 'n', 'd', 'e', 'x', '1'});
  return kMac(account_id);
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
