#include "merkle/tree_hash.h"

#include <algorithm>
#include <array>

namespace segverify::merkle {

namespace {

std::span<const std::uint8_t> AsBytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// Amounts as the hashes take them: 16 bytes big-endian each, written at `out`.
std::uint8_t* SerializeAmounts(std::span<const u128> amounts, std::uint8_t* out) {
  for (const u128 amount : amounts) {
    U128ToBigEndian(amount, out);
    out += 16;
  }
  return out;
}

std::uint8_t* SerializeNode(const Hash256& hash, std::span<const u128> sums, std::uint8_t* out) {
  out = std::copy(hash.begin(), hash.end(), out);
  return SerializeAmounts(sums, out);
}

constexpr std::uint8_t kLeafTag[1] = {0x00};
constexpr std::uint8_t kNodeTag[1] = {0x01};

}  // namespace

Hash256 TreeHasher::AccountCommitment(const Hash256& nonce, std::string_view account_id) {
  return sha_.Finish(Sha256Blocks::Initial(), 0, nonce, AsBytes(account_id));
}

// Leaf and Node serialize into one reused buffer: a proof check hashes ~20 nodes, and four
// allocations per node cost more than the hashing.
Hash256 TreeHasher::Leaf(const Hash256& commitment, std::span<const u128> amounts) {
  scratch_.resize(16 * amounts.size());
  SerializeAmounts(amounts, scratch_.data());
  return LeafFromSerialized(commitment, scratch_);
}

Hash256 TreeHasher::Node(const Hash256& left_hash, std::span<const u128> left_sums, const Hash256& right_hash,
                         std::span<const u128> right_sums) {
  const std::size_t left_size = 32 + 16 * left_sums.size();
  scratch_.resize(left_size + 32 + 16 * right_sums.size());
  SerializeNode(right_hash, right_sums, SerializeNode(left_hash, left_sums, scratch_.data()));
  const std::span<const std::uint8_t> bytes(scratch_);
  return NodeFromSerialized(bytes.first(left_size), bytes.subspan(left_size));
}

Hash256 TreeHasher::LeafFromSerialized(const Hash256& commitment, std::span<const std::uint8_t> amounts_be) {
  return sha_.Finish(Sha256Blocks::Initial(), 0, kLeafTag, commitment, amounts_be);
}

Hash256 TreeHasher::NodeFromSerialized(std::span<const std::uint8_t> left, std::span<const std::uint8_t> right) {
  return sha_.Finish(Sha256Blocks::Initial(), 0, kNodeTag, left, right);
}

NonceHasher::NonceHasher(const std::array<std::uint8_t, 32>& key) {
  // RFC 2104 with a 32-byte key: the key zero-padded to the 64-byte block, XOR ipad / opad.
  std::array<std::uint8_t, 64> inner_block{}, outer_block{};
  for (std::size_t i = 0; i < 64; ++i) {
    const std::uint8_t k = i < key.size() ? key[i] : 0;
    inner_block[i] = k ^ 0x36;
    outer_block[i] = k ^ 0x5c;
  }
  inner_ = outer_ = Sha256Blocks::Initial();
  sha_.Compress(inner_, inner_block.data(), 1);
  sha_.Compress(outer_, outer_block.data(), 1);
}

NonceHasher::NonceHasher(const NonceHasher& other) : inner_(other.inner_), outer_(other.outer_) {}

Hash256 NonceHasher::Nonce(std::string_view account_id) {
  const Hash256 inner = sha_.Finish(inner_, 64, AsBytes(account_id));
  return sha_.Finish(outer_, 64, inner);
}

bool CombineNodesInto(TreeHasher& hasher, const SumNode& left, const SumNode& right, SumNode& parent) {
  parent.sums.resize(left.sums.size());
  for (std::size_t i = 0; i < left.sums.size(); ++i) {
    auto sum = CheckedAdd(left.sums[i], right.sums[i]);
    if (!sum) return false;
    parent.sums[i] = *sum;
  }
  parent.hash = hasher.Node(left.hash, left.sums, right.hash, right.sums);
  return true;
}

std::optional<SumNode> CombineNodes(TreeHasher& hasher, const SumNode& left, const SumNode& right) {
  SumNode parent;
  if (!CombineNodesInto(hasher, left, right, parent)) return std::nullopt;
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
