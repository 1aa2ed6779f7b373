// Pins common/hashes.*: known answers from public specs.
#include "common/hashes.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "common/hex.h"

namespace segverify::chain {
namespace {

std::span<const std::uint8_t> Span(const Bytes& b) { return b; }

TEST(Hashes, Hash160OfGeneratorPoint) {
  // BIP-173 "Examples": the P2WPKH program of public key 0279BE66...F81798 is
  // 751e76e8199196d454941c45d1b3a323f1433bd6 (bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4).
  const Bytes key = *FromHex("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
  EXPECT_EQ(ToHex(Hash160(Span(key))), "751e76e8199196d454941c45d1b3a323f1433bd6");
}

TEST(Hashes, Sha256dOfGenesisHeader) {
  // The Bitcoin genesis block header (80 bytes) double-SHA256s to block hash
  // 000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f (shown byte-reversed).
  const Bytes header = *FromHex(
      "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc8"
      "1bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c");
  Hash256 hash = Sha256d(Span(header));
  std::reverse(hash.begin(), hash.end());
  EXPECT_EQ(ToHex(hash), "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f");
}

TEST(Hashes, Keccak256IsEthereumsNotSha3) {
  // Keccak-256 of the empty string, as Ethereum uses it (the empty code hash, EIP-1052 / Yellow
  // Paper); FIPS SHA3-256("") would be a7ffc6f8...
  EXPECT_EQ(ToHex(Keccak256(std::string_view(""))), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  // keccak256("transfer(address,uint256)") starts with the ERC-20 selector a9059cbb (EIP-20).
  EXPECT_EQ(ToHex(Keccak256(std::string_view("transfer(address,uint256)"))).substr(0, 8), "a9059cbb");
}

TEST(Hashes, TaggedHashBip322MessageHash) {
  // BIP-322 "Test vectors", message hashing with tag "BIP0322-signed-message".
  const std::string_view tag = "BIP0322-signed-message";
  EXPECT_EQ(ToHex(TaggedHash(tag, {})), "c90c269c4f8fcbe6880f72a721ddfbf1914268a794cbb21cfafee13770ae19f1");
  const std::string hello = "Hello World";
  EXPECT_EQ(ToHex(TaggedHash(tag, {reinterpret_cast<const std::uint8_t*>(hello.data()), hello.size()})),
            "f0eb03b1a75ac6d9847f55c624a99169b5dccba2a31f5b23bea77ba270de0a7a");
}

}  // namespace
}  // namespace segverify::chain
