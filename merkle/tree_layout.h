// The on-disk layout of a built tree (documented in docs/FORMAT.md, "Tree directory").
//
//   DIR/root.json      the published root (segverify-root/1)
//   DIR/tree.json      metadata: format "segverify-tree/1", pool, assets, accounts, height
//   DIR/tree.bin       32-byte header, then every level's stored nodes, leaves first
//   DIR/accounts.idx   (accounts + 1) little-endian u64 offsets into accounts.dat, by leaf position
//   DIR/accounts.dat   per leaf position: nonce (32 bytes) then the account id (UTF-8)
//   DIR/index.bin      16-byte header, then (key u64, position u64) little-endian, sorted by key
//
// Level j stores only its first ceil(n / 2^j) nodes; every node past them covers padding leaves
// only, and its hash is PaddingHashes()[j] with zero sums. A node is its hash followed by one
// 16-byte big-endian sum per asset (the same bytes that go into the parent's hash).
// The index key is SipHash-2-4 (fixed public key) of the account id: a lookup key, not a
// commitment; equal keys are resolved by comparing the stored ids.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace segverify::merkle {

inline constexpr std::string_view kTreeMetaFormat = "segverify-tree/1";

// Every file of a tree directory, root.json last (what readers look for first, so what a copy
// writes last). The one list: the builder, the store and attest's tree copy use it.
inline constexpr const char* kTreeFiles[] = {"tree.bin",  "accounts.idx", "accounts.dat",
                                             "index.bin", "tree.json",    "root.json"};
inline constexpr char kTreeMagic[8] = {'S', 'E', 'G', 'V', 'T', 'R', 'E', '1'};
inline constexpr char kIndexMagic[8] = {'S', 'E', 'G', 'V', 'I', 'D', 'X', '1'};
inline constexpr std::size_t kTreeHeaderBytes = 32;
inline constexpr std::size_t kIndexHeaderBytes = 16;
inline constexpr std::size_t kIndexEntryBytes = 16;
inline constexpr std::size_t kNonceBytes = 32;

inline std::size_t NodeBytes(std::size_t asset_count) { return 32 + 16 * asset_count; }

// Nodes stored for level j of a tree with n accounts: ceil(n / 2^j).
inline std::uint64_t StoredNodes(std::uint64_t n, unsigned level) {
  return (n + (std::uint64_t{1} << level) - 1) >> level;
}

// Byte offset of level j's first node in tree.bin.
inline std::uint64_t LevelOffset(std::uint64_t n, unsigned level, std::size_t asset_count) {
  std::uint64_t offset = kTreeHeaderBytes;
  for (unsigned j = 0; j < level; ++j) offset += StoredNodes(n, j) * NodeBytes(asset_count);
  return offset;
}

inline void PutLe64(std::uint8_t* out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
inline void PutLe32(std::uint8_t* out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
inline std::uint64_t GetLe64(const std::uint8_t* in) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | in[i];
  return v;
}
inline std::uint32_t GetLe32(const std::uint8_t* in) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | in[i];
  return v;
}

// Node sums: 16 bytes big-endian, loaded and stored as two byte-swapped words (the byte-by-byte
// conversion in common/u128.h cost as much as hashing a node).
inline unsigned __int128 LoadBe128(const std::uint8_t* p) {
  std::uint64_t hi, lo;
  std::memcpy(&hi, p, 8);
  std::memcpy(&lo, p + 8, 8);
  return (static_cast<unsigned __int128>(__builtin_bswap64(hi)) << 64) | __builtin_bswap64(lo);
}
inline void StoreBe128(unsigned __int128 v, std::uint8_t* p) {
  const std::uint64_t hi = __builtin_bswap64(static_cast<std::uint64_t>(v >> 64));
  const std::uint64_t lo = __builtin_bswap64(static_cast<std::uint64_t>(v));
  std::memcpy(p, &hi, 8);
  std::memcpy(p + 8, &lo, 8);
}

// The index key of an account id.
std::uint64_t AccountIndexKey(std::string_view account_id);

// tree.bin header: magic, asset count (u32), height (u32), accounts (u64), 8 reserved zero bytes.
std::array<std::uint8_t, kTreeHeaderBytes> TreeHeader(std::uint32_t asset_count, std::uint32_t height,
                                                      std::uint64_t accounts);

}  // namespace segverify::merkle
