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
    const std::size_t whole = size - size % 8;
    State s(k0_, k1_);
    for (std::size_t i = 0; i < whole; i += 8) s.Absorb(Load64(data + i));
    std::uint64_t last = static_cast<std::uint64_t>(size) << 56;
    for (std::size_t i = 0; i < size % 8; ++i) last |= static_cast<std::uint64_t>(data[whole + i]) << (8 * i);
    s.Absorb(last);
    return s.Finish();
  }
  std::uint64_t operator()(std::string_view text) const {
    return (*this)(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
  }
  // The 9-byte message (first, then `next` little-endian), without packing it into bytes: the
  // leaf shuffle hashes millions of these.
  std::uint64_t Hash9(std::uint8_t first, std::uint64_t next) const {
    State s(k0_, k1_);
    s.Absorb(first | (next << 8));
    s.Absorb((std::uint64_t{9} << 56) | (next >> 56));
    return s.Finish();
  }

 private:
  struct State {
    std::uint64_t v0, v1, v2, v3;
    State(std::uint64_t k0, std::uint64_t k1)
        : v0(k0 ^ 0x736f6d6570736575ULL),
          v1(k1 ^ 0x646f72616e646f6dULL),
          v2(k0 ^ 0x6c7967656e657261ULL),
          v3(k1 ^ 0x7465646279746573ULL) {}
    void Round() {
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
    }
    void Absorb(std::uint64_t m) {
      v3 ^= m;
      Round();
      Round();
      v0 ^= m;
    }
    std::uint64_t Finish() {
      v2 ^= 0xff;
      Round();
      Round();
      Round();
      Round();
      return v0 ^ v1 ^ v2 ^ v3;
    }
  };

  static std::uint64_t Rotl(std::uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }
  static std::uint64_t Load64(const std::uint8_t* p) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];  // little-endian, as the specification reads words
    return v;
  }

  std::uint64_t k0_, k1_;
};

}  // namespace segverify::merkle
