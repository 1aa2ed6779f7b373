// SipHash-2-4 with a 64-bit output (Aumasson and Bernstein, "SipHash: a fast short-input PRF",
// 2012, https://www.aes-proposals.org/siphash.pdf — the reference is github.com/veorq/SipHash).
// The tree uses it twice, both times as a public function of the key: the account index key
// (tree_layout.h) and the rounds of the leaf shuffle (leaf_permutation.h). Inline and stateless,
// so any thread may call it; it returns what Crypto++'s SipHash<2,4> returns (tests compare).
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace segverify::merkle {

class SipHash24 {
 public:
  explicit SipHash24(const std::array<std::uint8_t, 16>& key) : k0_(Load64(key.data())), k1_(Load64(key.data() + 8)) {}

  std::uint64_t operator()(const std::uint8_t* data, std::size_t size) const {
    std::uint64_t v0 = k0_ ^ 0x736f6d6570736575ULL, v1 = k1_ ^ 0x646f72616e646f6dULL;
    std::uint64_t v2 = k0_ ^ 0x6c7967656e657261ULL, v3 = k1_ ^ 0x7465646279746573ULL;
    auto round = [&] {
      v0 += v1;
      v1 = Rotl(v1, 13);
      v1 ^= v0;
      v0 = Rotl(v0, 32);
      v2 += v3;
      v3 = Rotl(v3, 16);
      v3 ^= v2;
      v0 += v3;
      v3 = Rotl(v3, 21);
      v3 ^= v0;
      v2 += v1;
      v1 = Rotl(v1, 17);
      v1 ^= v2;
      v2 = Rotl(v2, 32);
    };
    const std::size_t whole = size - size % 8;
    for (std::size_t i = 0; i < whole; i += 8) {
      const std::uint64_t m = Load64(data + i);
      v3 ^= m;
      round();
      round();
      v0 ^= m;
    }
    std::uint64_t last = static_cast<std::uint64_t>(size) << 56;
    for (std::size_t i = 0; i < size % 8; ++i) last |= static_cast<std::uint64_t>(data[whole + i]) << (8 * i);
    v3 ^= last;
    round();
    round();
    v0 ^= last;
    v2 ^= 0xff;
    round();
    round();
    round();
    round();
    return v0 ^ v1 ^ v2 ^ v3;
  }
  std::uint64_t operator()(std::string_view text) const {
    return (*this)(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
  }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }
  static std::uint64_t Load64(const std::uint8_t* p) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];  // little-endian, as the specification reads words
    return v;
  }

  std::uint64_t k0_, k1_;
};

}  // namespace segverify::merkle
