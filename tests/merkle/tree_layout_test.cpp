// Pins merkle/tree_layout.h, the byte layout of a tree directory (docs/FORMAT.md §6): the
// little-endian and big-endian codecs against hand-written bytes, the stored nodes and level
// offsets of a small tree, and the tree.bin header.
#include "merkle/tree_layout.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>

namespace segverify::merkle {
namespace {

TEST(TreeLayout, LittleEndianIntegersByteByByte) {
  std::array<std::uint8_t, 8> bytes{};
  PutLe64(bytes.data(), 0x0102030405060708u);
  EXPECT_EQ(bytes, (std::array<std::uint8_t, 8>{8, 7, 6, 5, 4, 3, 2, 1}));
  EXPECT_EQ(GetLe64(bytes.data()), 0x0102030405060708u);
  std::array<std::uint8_t, 4> word{};
  PutLe32(word.data(), 0xa1b2c3d4u);
  EXPECT_EQ(word, (std::array<std::uint8_t, 4>{0xd4, 0xc3, 0xb2, 0xa1}));
  EXPECT_EQ(GetLe32(word.data()), 0xa1b2c3d4u);
}

TEST(TreeLayout, SumsAreSixteenBytesBigEndian) {
  std::array<std::uint8_t, 16> bytes{};
  const unsigned __int128 value = (static_cast<unsigned __int128>(0x0102030405060708u) << 64) | 0x090a0b0c0d0e0f10u;
  StoreBe128(value, bytes.data());
  for (std::size_t i = 0; i < 16; ++i) EXPECT_EQ(bytes[i], i + 1) << i;
  EXPECT_TRUE(LoadBe128(bytes.data()) == value);
}

TEST(TreeLayout, StoredNodesAndLevelOffsets) {
  // 5 accounts: levels store 5, 3, 2, 1 nodes (ceil(5 / 2^j)).
  EXPECT_EQ(StoredNodes(5, 0), 5u);
  EXPECT_EQ(StoredNodes(5, 1), 3u);
  EXPECT_EQ(StoredNodes(5, 2), 2u);
  EXPECT_EQ(StoredNodes(5, 3), 1u);
  EXPECT_EQ(NodeBytes(2), 64u);  // hash + two 16-byte sums
  EXPECT_EQ(LevelOffset(5, 0, 2), kTreeHeaderBytes);
  EXPECT_EQ(LevelOffset(5, 1, 2), kTreeHeaderBytes + 5 * 64);
  EXPECT_EQ(LevelOffset(5, 3, 2), kTreeHeaderBytes + (5 + 3 + 2) * 64);
}

TEST(TreeLayout, TreeBinHeader) {
  const auto header = TreeHeader(3, 20, 0x0102030405u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(header.data()), 8), "SEGVTRE1");
  EXPECT_EQ(GetLe32(header.data() + 8), 3u);
  EXPECT_EQ(GetLe32(header.data() + 12), 20u);
  EXPECT_EQ(GetLe64(header.data() + 16), 0x0102030405u);
  for (std::size_t i = 24; i < 32; ++i) EXPECT_EQ(header[i], 0) << i;
}

TEST(TreeLayout, IndexKeyIsAFunctionOfTheIdAlone) {
  EXPECT_EQ(AccountIndexKey("alice"), AccountIndexKey("alice"));
  EXPECT_NE(AccountIndexKey("alice"), AccountIndexKey("bob"));
  EXPECT_NE(AccountIndexKey(""), AccountIndexKey("a"));
}

}  // namespace
}  // namespace segverify::merkle
