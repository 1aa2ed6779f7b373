#include "merkle/leaf_permutation.h"

namespace segverify::merkle {

LeafPermutation LeafPermutation::Identity(std::uint64_t n) {
  LeafPermutation p;
  p.n_ = n;
  return p;
}

LeafPermutation LeafPermutation::Keyed(std::uint64_t n, const std::array<std::uint8_t, 16>& key) {
  LeafPermutation p;
  p.n_ = n;
  p.identity_ = false;
  p.mac_ = SipHash24(key);
  unsigned bits = 2;
  while (bits < 64 && (std::uint64_t{1} << bits) < n) bits += 2;
  p.half_bits_ = bits / 2;
  return p;
}

std::uint64_t LeafPermutation::Round(unsigned round, std::uint64_t half) const {
  // SipHash of the 9 bytes: the round number, then `half` little-endian.
  return mac_.Hash9(static_cast<std::uint8_t>(round), half);
}

std::uint64_t LeafPermutation::operator()(std::uint64_t index) const {
  if (identity_) return index;
  const std::uint64_t mask = (std::uint64_t{1} << half_bits_) - 1;
  std::uint64_t x = index;
  do {
    std::uint64_t left = x >> half_bits_;
    std::uint64_t right = x & mask;
    for (unsigned r = 0; r < 4; ++r) {
      const std::uint64_t next = left ^ (Round(r, right) & mask);
      left = right;
      right = next;
    }
    x = (left << half_bits_) | right;
  } while (x >= n_);
  return x;
}

}  // namespace segverify::merkle
