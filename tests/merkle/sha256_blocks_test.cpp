// Pins merkle/sha256_blocks.*, merkle/siphash.h and the tree hasher's fast paths against
// published vectors (FIPS 180-2 examples, RFC 4231, the SipHash paper) and against Crypto++'s
// own streaming SHA-256, HMAC and SipHash on every message length the tree can produce.
#include "merkle/sha256_blocks.h"

#include <crypto++/siphash.h>
#include <gtest/gtest.h>

#include <random>

#include "common/hex.h"
#include "common/sha256.h"
#include "merkle/siphash.h"
#include "merkle/tree_hash.h"

namespace segverify::merkle {
namespace {

std::span<const std::uint8_t> Span(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

TEST(Sha256Blocks, PublishedVectors) {
  // FIPS 180-2, appendix B.1 and B.2.
  Sha256Blocks sha;
  EXPECT_EQ(ToHex(sha.Finish(Sha256Blocks::Initial(), 0, Span("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(
      ToHex(sha.Finish(Sha256Blocks::Initial(), 0, Span("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(ToHex(sha.Finish(Sha256Blocks::Initial(), 0, {})),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256Blocks, EqualsStreamingHashForEveryLengthAndSplit) {
  std::mt19937 rng(7);
  Sha256Blocks sha;
  for (std::size_t length = 0; length < 2200; length += length < 300 ? 1 : 97) {
    Bytes message(length);
    for (auto& b : message) b = static_cast<std::uint8_t>(rng());
    const std::string expected = ToHex(Sha256(message));
    const std::size_t cut1 = length / 3, cut2 = 2 * length / 3;
    const std::span<const std::uint8_t> all(message);
    EXPECT_EQ(ToHex(sha.Finish(Sha256Blocks::Initial(), 0, all)), expected) << length;
    EXPECT_EQ(ToHex(sha.Finish(Sha256Blocks::Initial(), 0, all.first(cut1), all.subspan(cut1, cut2 - cut1),
                               all.subspan(cut2))),
              expected)
        << length;
    if (length >= 64) {
      // A midstate after the first block, then the rest.
      Sha256State state = Sha256Blocks::Initial();
      sha.Compress(state, message.data(), 1);
      EXPECT_EQ(ToHex(sha.Finish(state, 64, all.subspan(64))), expected) << length;
    }
  }
}

TEST(NonceHasher, Rfc4231AndCryptoppHmac) {
  // RFC 4231 test case 2: key "Jefe". HMAC pads a short key with zero bytes to the block, so the
  // 32-byte key "Jefe" + 28 zero bytes is the same key.
  std::array<std::uint8_t, 32> jefe{};
  std::memcpy(jefe.data(), "Jefe", 4);
  NonceHasher rfc(jefe);
  EXPECT_EQ(ToHex(rfc.Nonce("what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  std::mt19937 rng(11);
  std::array<std::uint8_t, 32> key;
  for (auto& b : key) b = static_cast<std::uint8_t>(rng());
  NonceHasher fast(key);
  HmacSha256 reference(key);
  for (std::size_t length = 1; length <= 1024; length += length < 130 ? 1 : 61) {
    std::string id(length, '\0');
    for (auto& c : id) c = static_cast<char>('a' + rng() % 26);
    EXPECT_EQ(ToHex(fast.Nonce(id)), ToHex(reference.Mac(id))) << length;
  }
  NonceHasher copy(fast);
  EXPECT_EQ(ToHex(copy.Nonce("alice")), ToHex(reference.Mac("alice")));
}

TEST(SipHash24, PaperVectorsAndCryptopp) {
  // SipHash paper (Aumasson, Bernstein 2012), appendix A and the reference vectors.h: key
  // 00 01 ... 0f; the empty message and the 15-byte message 00 01 ... 0e.
  std::array<std::uint8_t, 16> key;
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i);
  const SipHash24 mac(key);
  std::uint8_t message[64];
  for (std::size_t i = 0; i < sizeof message; ++i) message[i] = static_cast<std::uint8_t>(i);
  EXPECT_EQ(mac(message, 0), 0x726fdb47dd0e0e31ULL);
  EXPECT_EQ(mac(message, 15), 0xa129ca6149be45e5ULL);
  for (std::size_t length = 0; length <= sizeof message; ++length) {
    CryptoPP::SipHash<2, 4, false> reference(key.data(), static_cast<unsigned>(key.size()));
    std::uint8_t out[8];
    reference.CalculateDigest(out, message, length);
    std::uint64_t expected = 0;
    for (int i = 7; i >= 0; --i) expected = (expected << 8) | out[i];
    EXPECT_EQ(mac(message, length), expected) << length;
  }
  // The leaf shuffle's 9-byte form equals the byte form.
  std::mt19937_64 rng(3);
  for (int i = 0; i < 1000; ++i) {
    const std::uint64_t half = rng();
    const auto round = static_cast<std::uint8_t>(rng());
    std::uint8_t bytes[9] = {round};
    for (int b = 0; b < 8; ++b) bytes[1 + b] = static_cast<std::uint8_t>(half >> (8 * b));
    EXPECT_EQ(mac.Hash9(round, half), mac(bytes, sizeof bytes));
  }
}

}  // namespace
}  // namespace segverify::merkle
