#include "merkle/tree_hash.h"

#include <array>

namespace segverify::merkle {

void TreeHasher::UpdateAmounts(std::span<const u128> amounts) {
  std::array<unsigned char, 16> be;
  for (u128 a : amounts) {
    U128ToBigEndian(a, be.data());
    sha_.Update(std::span<const std::uint8_t>(be.data(), be.size()));
  }
}

Hash256 TreeHasher::AccountCommitment(const Hash256& nonce, std::string_view account_id) {
  sha_.Update(nonce).Update(account_id);
  return sha_.Final();
}

Hash256 TreeHasher::Leaf(const Hash256& commitment, std::span<const u128> amounts) {
  sha_.Update(std::uint8_t{0x00}).Update(commitment);
  UpdateAmounts(amounts);
  return sha_.Final();
}

Hash256 TreeHasher::Node(const Hash256& left_hash, std::span<const u128> left_sums, const Hash256& right_hash,
                         std::span<const u128> right_sums) {
  sha_.Update(std::uint8_t{0x01}).Update(left_hash);
  UpdateAmounts(left_sums);
  sha_.Update(right_hash);
  UpdateAmounts(right_sums);
  return sha_.Final();
}

Hash256 TreeHasher::LeafFromSerialized(const Hash256& commitment, std::span<const std::uint8_t> amounts_be) {
  sha_.Update(std::uint8_t{0x00}).Update(commitment).Update(amounts_be);
  return sha_.Final();
}

Hash256 TreeHasher::NodeFromSerialized(std::span<const std::uint8_t> left, std::span<const std::uint8_t> right) {
  sha_.Update(std::uint8_t{0x01}).Update(left).Update(right);
  return sha_.Final();
}

std::optional<SumNode> CombineNodes(TreeHasher& hasher, const SumNode& left, const SumNode& right) {
  SumNode parent;
  parent.sums.resize(left.sums.size());
  for (std::size_t i = 0; i < left.sums.size(); ++i) {
    auto sum = CheckedAdd(left.sums[i], right.sums[i]);
    if (!sum) return std::nullopt;
    parent.sums[i] = *sum;
  }
  parent.hash = hasher.Node(left.hash, left.sums, right.hash, right.sums);
  return parent;
}

std::vector<Hash256> PaddingHashes(std::size_t asset_count, unsigned height) {
  TreeHasher hasher;
  const std::vector<u128> zeros(asset_count, 0);
  std::vector<Hash256> out;
  out.push_back(hasher.Leaf(Hash256{}, zeros));
  for (unsigned j = 0; j < height; ++j) out.push_back(hasher.Node(out.back(), zeros, out.back(), zeros));
  return out;
}

unsigned TreeHeight(std::uint64_t account_count) {
  unsigned h = 1;
  while (h < 64 && (std::uint64_t{1} << h) < account_count) ++h;
  return h;
}

}  // namespace segverify::merkle
