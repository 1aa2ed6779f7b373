// The Merkle-sum tree's hash functions, exactly as docs/FORMAT.md §3 specifies. Domain separation:
// leaves are tagged 0x00 and inner nodes 0x01, so a leaf can never be passed off as a node.
// Both children's sums enter the node hash separately (not just their total), which stops a prover
// from hiding a negative child (the flaw found in Maxwell's original scheme).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/sha256.h"
#include "common/u128.h"
#include "merkle/sha256_blocks.h"

namespace segverify::merkle {

// One node (leaf or inner): its hash and its per-asset sums.
struct SumNode {
  Hash256 hash{};
  std::vector<u128> sums;
  bool operator==(const SumNode&) const = default;
};

// Reusable hashing context (not thread-safe: one per thread). Each hash is one call of the
// compression function over the padded message (merkle/sha256_blocks.h).
class TreeHasher {
 public:
  // C = SHA256(nonce || account_id as UTF-8)
  Hash256 AccountCommitment(const Hash256& nonce, std::string_view account_id);
  // SHA256(0x00 || C || a_1 || ... || a_k), each a_i 16 bytes big-endian
  Hash256 Leaf(const Hash256& commitment, std::span<const u128> amounts);
  // SHA256(0x01 || H_left || sums_left || H_right || sums_right)
  Hash256 Node(const Hash256& left_hash, std::span<const u128> left_sums, const Hash256& right_hash,
               std::span<const u128> right_sums);

  // The same two hashes over serialized nodes (hash || sums as 16-byte big-endian), which is how
  // the tree file stores them: a leaf from its commitment and big-endian amounts, and a parent
  // from its two children's stored bytes (SHA256(0x01 || left || right) is exactly the node rule).
  Hash256 LeafFromSerialized(const Hash256& commitment, std::span<const std::uint8_t> amounts_be);
  Hash256 NodeFromSerialized(std::span<const std::uint8_t> left, std::span<const std::uint8_t> right);

 private:
  Sha256Blocks sha_;
  std::vector<std::uint8_t> scratch_;  // the serialized input of Leaf and Node
};

// nonce = HMAC-SHA256(key, account_id) (RFC 2104), with the key's two pad blocks compressed once
// instead of for every account. Not thread-safe: copy one per thread.
class NonceHasher {
 public:
  explicit NonceHasher(const std::array<std::uint8_t, 32>& key);
  NonceHasher(const NonceHasher& other);
  NonceHasher& operator=(const NonceHasher&) = delete;
  Hash256 Nonce(std::string_view account_id);

 private:
  Sha256Blocks sha_;
  Sha256State inner_{};  // after the block key XOR ipad
  Sha256State outer_{};  // after the block key XOR opad
};

// Parent of two nodes; nullopt if a per-asset sum exceeds 2^128-1.
std::optional<SumNode> CombineNodes(TreeHasher& hasher, const SumNode& left, const SumNode& right);
// The same into `parent` (which must be neither child), reusing its storage; false on overflow.
[[nodiscard]] bool CombineNodesInto(TreeHasher& hasher, const SumNode& left, const SumNode& right, SumNode& parent);

// Hashes of all-padding subtrees: result[j] is the hash of a level-j subtree made only of padding
// leaves (C = 32 zero bytes, all amounts 0), for j = 0..height.
std::vector<Hash256> PaddingHashes(std::size_t asset_count, unsigned height);

// The smallest h >= 1 with 2^h >= account_count.
unsigned TreeHeight(std::uint64_t account_count);

}  // namespace segverify::merkle
