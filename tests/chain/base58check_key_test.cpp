// Pins verifier/chain/base58check.h, ethereum_key.h and opcodes.h directly (the address and
// ownership tests reach them only through whole addresses and signatures).
//
// Vectors: the Bitcoin wiki's "Technical background of version 1 Bitcoin addresses" (hash160
// f54a5851… → 1PMycacnJaSqwwJqjawXBErnLsZ7RkXUAs); the accounts of private keys 1 and n−1 (the
// generator G and −G) computed with ethers 6.17.0 (`new Wallet(key).address`, pinned in
// package.json); opcode values from Bitcoin Core's script/script.h.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "common/hex.h"
#include "tests/support/fixture_json.h"
#include "verifier/chain/base58check.h"
#include "verifier/chain/ethereum_address.h"
#include "verifier/chain/ethereum_key.h"
#include "verifier/chain/opcodes.h"

namespace segverify::chain {
namespace {

using testing::HexOrDie;

TEST(Base58Check, EncodesAndDecodesTheWikiExample) {
  const Bytes payload = HexOrDie("00f54a5851e9372b87810a8e60cdd2e7cfd80b6e31");
  EXPECT_EQ(EncodeBase58Check(payload), "1PMycacnJaSqwwJqjawXBErnLsZ7RkXUAs");
  auto decoded = DecodeBase58Check("1PMycacnJaSqwwJqjawXBErnLsZ7RkXUAs", 100);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(*decoded, payload);
}

TEST(Base58Check, RefusesBadTextWithAReason) {
  EXPECT_FALSE(DecodeBase58Check("", 100).ok());
  EXPECT_FALSE(DecodeBase58Check("1PMycacnJaSqwwJqjawXBErnLsZ7RkXUAt", 100).ok()) << "checksum";
  auto zero = DecodeBase58Check("1PMycacnJaSqwwJqjawXBErnLsZ7RkXUA0", 100);
  ASSERT_FALSE(zero.ok()) << "0 is not in the alphabet";
  EXPECT_NE(zero.error().message.find("34"), std::string::npos) << "the position is named: " << zero.error().message;
  EXPECT_FALSE(DecodeBase58Check("1PMycacnJaSqwwJqjawXBErnLsZ7RkXUAs", 20).ok()) << "longer than allowed";
  EXPECT_FALSE(DecodeBase58Check("1111", 100).ok()) << "shorter than a checksum";
}

TEST(EthereumKey, TheAccountOfAKeyIsTheSameCompressedOrNot) {
  const Bytes g = HexOrDie("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
  auto account = EthereumAddressOfKey(g);
  ASSERT_TRUE(account.has_value());
  EXPECT_EQ(ToEip55(*account), "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
  const Bytes g_uncompressed = HexOrDie(
      "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
      "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8");
  EXPECT_EQ(EthereumAddressOfKey(g_uncompressed), account);
  // x = 0 is on no point of secp256k1 (7 is not a square mod p).
  EXPECT_FALSE(EthereumAddressOfKey(HexOrDie("02" + std::string(64, '0'))).has_value());
  EXPECT_FALSE(EthereumAddressOfKey(Bytes(20, 0x02)).has_value()) << "not a key's length";
}

TEST(EthereumKey, TheHolderOfAKeyControlsBothAccountsOfItsX) {
  const std::vector<std::string> expected = {"0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf",
                                             "0x80C0dbf239224071c59dD8970ab9d542E3414aB2"};
  for (const std::string& key : {std::string("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"),
                                 std::string("0379be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"),
                                 std::string("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")}) {
    SCOPED_TRACE(key);
    std::vector<std::string> accounts;
    for (const EthAddress& a : EthereumAddressesOfKeyHolder(HexOrDie(key))) accounts.push_back(ToEip55(a));
    std::sort(accounts.begin(), accounts.end());
    EXPECT_EQ(accounts, expected);
  }
  EXPECT_TRUE(EthereumAddressesOfKeyHolder(HexOrDie("02" + std::string(64, '0'))).empty());
}

TEST(Opcodes, SmallIntegersAreOp1ToOp16) {
  EXPECT_EQ(SmallIntegerOpcode(1), 0x51);
  EXPECT_EQ(SmallIntegerOpcode(16), 0x60);
  EXPECT_FALSE(IsSmallIntegerOpcode(kOp0)) << "OP_0 pushes an empty vector, not a small integer";
  EXPECT_FALSE(IsSmallIntegerOpcode(0x50)) << "OP_RESERVED";
  EXPECT_FALSE(IsSmallIntegerOpcode(0x61)) << "OP_NOP";
  for (int n = 1; n <= 16; ++n) {
    EXPECT_TRUE(IsSmallIntegerOpcode(SmallIntegerOpcode(n)));
    EXPECT_EQ(SmallIntegerValue(SmallIntegerOpcode(n)), n);
  }
}

}  // namespace
}  // namespace segverify::chain
