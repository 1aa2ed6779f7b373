#include "merkle/sha256_blocks.h"

#include <crypto++/sha.h>

#include <cstring>
#include <vector>

namespace segverify::merkle {
namespace {

// Reaches Crypto++'s multi-block compression (protected), which picks SHA-NI, SSE or C++.
class RawSha256 : public CryptoPP::SHA256 {
 public:
  void Compress(std::uint32_t* words, const std::uint8_t* blocks, std::size_t count) {
    std::memcpy(m_state.data(), words, 32);
    HashMultipleBlocks(reinterpret_cast<const CryptoPP::word32*>(blocks), count * 64);
    std::memcpy(words, m_state.data(), 32);
  }
};

constexpr std::size_t kStackBytes = 2048;

}  // namespace

struct Sha256Blocks::Impl {
  RawSha256 sha;
};

Sha256Blocks::Sha256Blocks() : impl_(std::make_unique<Impl>()) {}
Sha256Blocks::~Sha256Blocks() = default;
Sha256Blocks::Sha256Blocks(Sha256Blocks&&) noexcept = default;
Sha256Blocks& Sha256Blocks::operator=(Sha256Blocks&&) noexcept = default;

Sha256State Sha256Blocks::Initial() {
  alignas(16) CryptoPP::word32 words[16];
  CryptoPP::SHA256::InitState(words);
  Sha256State state;
  std::memcpy(state.words.data(), words, 32);
  return state;
}

void Sha256Blocks::Compress(Sha256State& state, const std::uint8_t* blocks, std::size_t count) {
  if (count != 0) impl_->sha.Compress(state.words.data(), blocks, count);
}

Hash256 Sha256Blocks::Finish(Sha256State state, std::uint64_t prefix_bytes, std::span<const std::uint8_t> a,
                             std::span<const std::uint8_t> b, std::span<const std::uint8_t> c) {
  const std::size_t length = a.size() + b.size() + c.size();
  const std::size_t blocks = (length + 9 + 63) / 64;  // message, 0x80, 64-bit bit length
  alignas(16) std::uint8_t stack[kStackBytes];
  std::vector<std::uint8_t> heap;
  std::uint8_t* buffer = stack;
  if (blocks * 64 > kStackBytes) {
    heap.resize(blocks * 64);
    buffer = heap.data();
  }
  // The padding zeros all lie in the last 72 bytes (the message ends at most 8 bytes before the
  // last block): clear those with one fixed-size store, then lay the message over them.
  std::uint8_t* const end = buffer + blocks * 64;
  std::memset(end - 72 < buffer ? buffer : end - 72, 0, end - 72 < buffer ? 64 : 72);
  std::uint8_t* p = buffer;
  if (!a.empty()) std::memcpy(p, a.data(), a.size());
  p += a.size();
  if (!b.empty()) std::memcpy(p, b.data(), b.size());
  p += b.size();
  if (!c.empty()) std::memcpy(p, c.data(), c.size());
  p += c.size();
  *p = 0x80;
  const std::uint64_t bits = __builtin_bswap64((prefix_bytes + length) * 8);
  std::memcpy(end - 8, &bits, 8);
  Compress(state, buffer, blocks);
  Hash256 out;
  for (std::size_t i = 0; i < 8; ++i) {
    const std::uint32_t word = __builtin_bswap32(state.words[i]);
    std::memcpy(out.data() + 4 * i, &word, 4);
  }
  return out;
}

}  // namespace segverify::merkle
