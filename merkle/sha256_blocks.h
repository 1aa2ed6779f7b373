// SHA-256 straight over Crypto++'s compression function (SHA-NI when the CPU has it), for the
// short messages of the tree: each message is padded on the stack and compressed in one call, and
// the midstate after a fixed first block (an HMAC key block) is computed once and reused.
// Hashing the same bytes through Crypto++'s streaming interface gives the same digest; the
// streaming interface's per-call overhead was most of the cost for 100-byte messages.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>

#include "common/sha256.h"

namespace segverify::merkle {

// The eight chaining words after some whole number of 64-byte blocks.
struct Sha256State {
  std::array<std::uint32_t, 8> words;
};

// Not thread-safe (it holds a Crypto++ object): one per thread.
class Sha256Blocks {
 public:
  Sha256Blocks();
  ~Sha256Blocks();
  Sha256Blocks(Sha256Blocks&&) noexcept;
  Sha256Blocks& operator=(Sha256Blocks&&) noexcept;

  static Sha256State Initial();
  // Absorbs `count` whole 64-byte blocks.
  void Compress(Sha256State& state, const std::uint8_t* blocks, std::size_t count);
  // The digest of (what `state` absorbed, `prefix_bytes` long, a multiple of 64) || a || b || c.
  Hash256 Finish(Sha256State state, std::uint64_t prefix_bytes, std::span<const std::uint8_t> a,
                 std::span<const std::uint8_t> b = {}, std::span<const std::uint8_t> c = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace segverify::merkle
