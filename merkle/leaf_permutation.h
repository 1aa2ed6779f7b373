// Where each account goes in the tree: a keyed pseudo-random permutation of 0..n-1.
//
// Why: siblings see each other's sums in their proofs, so input order (often sign-up order) must
// not decide who sits next to whom. The permutation is computed per account in O(1) memory, so a
// 100M-account build needs no table: a 4-round Feistel network over the smallest even number of
// bits covering n, keyed with SipHash-2-4, walked in cycles until the image falls below n
// (expected < 4 steps). Identity when shuffling is off (--no-shuffle).
#pragma once

#include <array>
#include <cstdint>

#include "merkle/siphash.h"

namespace segverify::merkle {

// Thread-safe: operator() only reads the key.
class LeafPermutation {
 public:
  // Identity permutation over [0, n).
  static LeafPermutation Identity(std::uint64_t n);
  // Keyed permutation over [0, n).
  static LeafPermutation Keyed(std::uint64_t n, const std::array<std::uint8_t, 16>& key);

  std::uint64_t operator()(std::uint64_t index) const;
  std::uint64_t size() const { return n_; }

 private:
  std::uint64_t Round(unsigned round, std::uint64_t half) const;

  std::uint64_t n_ = 0;
  bool identity_ = true;
  unsigned half_bits_ = 1;
  SipHash24 mac_{std::array<std::uint8_t, 16>{}};
};

}  // namespace segverify::merkle
