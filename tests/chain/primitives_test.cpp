// The building blocks under the ownership proofs: strict base64, the transaction wire format,
// BIP-143 and BIP-341 sighashes, BIP-66 strict DER, BIP-340 Schnorr — against published vectors.
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/hex.h"
#include "tests/support/fixture_json.h"
#include "verifier/chain/base64_strict.h"
#include "verifier/chain/bitcoin_tx.h"
#include "verifier/chain/sighash.h"
#include "verifier/chain/signature_checks.h"

namespace segverify::chain {
namespace {

Bytes Hex(const std::string& text) {
  auto bytes = FromHex(text);
  EXPECT_TRUE(bytes) << text;
  return bytes.value_or(Bytes{});
}

Hash256 Hex32(const std::string& text) {
  Hash256 out{};
  EXPECT_TRUE(FromHexExact(text, out)) << text;
  return out;
}

TEST(Base64Strict, AcceptsOnlyCanonicalText) {
  // RFC 4648 §10 test vectors.
  EXPECT_EQ(DecodeBase64Strict("").value(), Bytes{});
  EXPECT_EQ(DecodeBase64Strict("Zg==").value(), (Bytes{'f'}));
  EXPECT_EQ(DecodeBase64Strict("Zm8=").value(), (Bytes{'f', 'o'}));
  EXPECT_EQ(DecodeBase64Strict("Zm9vYmFy").value(), (Bytes{'f', 'o', 'o', 'b', 'a', 'r'}));
  EXPECT_EQ(EncodeBase64(Bytes{'f', 'o', 'o', 'b'}), "Zm9vYg==");
  EXPECT_FALSE(DecodeBase64Strict("Zg"));        // missing padding
  EXPECT_FALSE(DecodeBase64Strict("Zh=="));      // unused bits set: a second text for "f"
  EXPECT_FALSE(DecodeBase64Strict("Zm9v YmFy")); // whitespace
  EXPECT_FALSE(DecodeBase64Strict("Zm9!"));      // outside the alphabet
  EXPECT_FALSE(DecodeBase64Strict("Z==="));
  EXPECT_FALSE(DecodeBase64Strict("Zg==Zg=="));  // padding in the middle
}

// BIP-143, "Native P2WPKH" example (https://github.com/bitcoin/bips/blob/master/bip-0143.mediawiki#native-p2wpkh).
constexpr const char* kBip143UnsignedTx =
    "0100000002fff7f7881a8099afa6940d42d1e7f6362bec38171ea3edf433541db4e4ad969f0000000000eeffffffef51e1b804cc89d1"
    "82d279655c3aa89e815b1b309fe287d9b2b55d57b90ec68a0100000000ffffffff02202cb206000000001976a9148280b37df378db99"
    "f66f85c95a783a76ac7a6d5988ac9093510d000000001976a9143bde42dbee7e4dbe6a21b2d50ce2f0167faa815988ac11000000";

TEST(TransactionWire, ParsesAndReserializesExactly) {
  const Bytes raw = Hex(kBip143UnsignedTx);
  auto tx = ParseTransaction(raw);
  ASSERT_TRUE(tx) << tx.error().message;
  EXPECT_EQ(tx->version, 1u);
  ASSERT_EQ(tx->inputs.size(), 2u);
  EXPECT_EQ(tx->inputs[0].sequence, 0xffffffeeu);
  ASSERT_EQ(tx->outputs.size(), 2u);
  EXPECT_EQ(tx->outputs[0].value, 112340000u);
  EXPECT_EQ(tx->lock_time, 17u);
  EXPECT_EQ(SerializeTransaction(*tx, true), raw);

  Bytes trailing = raw;
  trailing.push_back(0);
  EXPECT_FALSE(ParseTransaction(trailing));
  EXPECT_FALSE(ParseTransaction(std::span(raw).first(raw.size() - 1)));
}

TEST(TransactionWire, RejectsNonCanonicalAndEmptyWitnessForms) {
  // Witness stack: 0xfd 0x01 0x00 encodes 1 in a longer form than needed.
  EXPECT_FALSE(ParseWitnessStack(Hex("fd0100" "00")));
  EXPECT_TRUE(ParseWitnessStack(Hex("0100")));
  EXPECT_FALSE(ParseWitnessStack(Hex("02" "00")));  // claims two items, has one
  EXPECT_FALSE(ParseWitnessStack(Hex("ffffffffffffffffff")));  // absurd count, no allocation
  // A witness-format transaction whose witnesses are all empty must use the legacy format.
  EXPECT_FALSE(ParseTransaction(Hex("00000000" "0001" "01" + std::string(64, '0') + "00000000" "00" "00000000" "01"
                                    "0000000000000000" "016a" "00" "00000000")));
}

TEST(Sighash, Bip143NativeP2wpkhExample) {
  auto tx = ParseTransaction(Hex(kBip143UnsignedTx));
  ASSERT_TRUE(tx);
  const Bytes script_code = Hex("76a9141d0f172a0ecb48aee1be1f2687d2963ae33f71a188ac");
  const Hash256 digest = SegwitV0SighashAll(*tx, 1, script_code, 600000000);
  EXPECT_EQ(ToHex(digest), "c37af31116d1b27caf68aae9e3ac82f1477929014d5b917657d0eb49478cb670");
  // The example's signature (without its sighash byte) verifies under strict DER + low S.
  const Bytes der = Hex("304402203609e17b84f6a7d30c80bfa610b5b4542f32a8a0d5447a12fb1366d7f01cc44a0220573a954c451833"
                        "1561406f90300e8f3358f51928d43c212a8caed02de67eebee");
  const Bytes key = Hex("025476c2e83188368da1ff3e292e7acafcdb3566bb0ad253f62fc70f07aeee6357");
  EXPECT_TRUE(VerifyEcdsaStrict(digest, der, key));
  Hash256 other = digest;
  other[0] ^= 1;
  EXPECT_FALSE(VerifyEcdsaStrict(other, der, key));
}

TEST(Sighash, Bip341KeyPathVectors) {
  auto doc = testing::LoadFixture("tests/chain/vectors/bip341-keypath-sighash.json");
  ASSERT_TRUE(doc);
  auto tx = ParseTransaction(Hex(testing::Str(*doc, "rawUnsignedTx")));
  ASSERT_TRUE(tx);
  std::vector<TxOut> spent;
  for (const auto& utxo : (*doc)["utxosSpent"].GetArray()) {
    spent.push_back(TxOut{utxo["amountSats"].GetUint64(), Hex(testing::Str(utxo, "scriptPubKey"))});
  }
  ASSERT_EQ(spent.size(), tx->inputs.size());
  int checked = 0;
  for (const auto& input : (*doc)["inputs"].GetArray()) {
    const std::size_t index = input["txinIndex"].GetUint();
    const auto hash_type = static_cast<std::uint8_t>(input["hashType"].GetUint());
    const Hash256 digest = TaprootKeyPathSighash(*tx, index, spent, hash_type, std::nullopt);
    EXPECT_EQ(ToHex(digest), testing::Str(input, "sigHash"));
    // The published witness signature verifies against the output key in the spent scriptPubKey.
    const Bytes sig = Hex(input["witness"][0].GetString());
    ASSERT_GE(sig.size(), 64u);
    const std::span<const std::uint8_t> output_key = std::span(spent[index].script_pubkey).subspan(2);
    EXPECT_TRUE(VerifySchnorr(digest, std::span<const std::uint8_t, 64>(sig.data(), 64), output_key));
    ++checked;
  }
  EXPECT_EQ(checked, 2);
}

TEST(SignatureChecks, StrictDerFollowsBip66) {
  const Bytes good = Hex("304402203609e17b84f6a7d30c80bfa610b5b4542f32a8a0d5447a12fb1366d7f01cc44a0220573a954c451833"
                         "1561406f90300e8f3358f51928d43c212a8caed02de67eebee");
  EXPECT_TRUE(IsStrictDer(good));
  Bytes bad_len = good;
  bad_len[1] = 0x45;
  EXPECT_FALSE(IsStrictDer(bad_len));
  Bytes negative_r = good;
  negative_r[4] = 0x80;
  EXPECT_FALSE(IsStrictDer(negative_r));
  // R padded with a needless zero byte: BER-valid, not strict DER.
  Bytes padded = Hex("3045022100" "3609e17b84f6a7d30c80bfa610b5b4542f32a8a0d5447a12fb1366d7f01cc44a"
                     "0220573a954c4518331561406f90300e8f3358f51928d43c212a8caed02de67eebee");
  EXPECT_FALSE(IsStrictDer(padded));
  EXPECT_FALSE(IsStrictDer(Bytes{}));
}

TEST(SignatureChecks, Bip340VectorsWith32ByteMessages) {
  std::istringstream csv(segverify::testing::ReadFile(segverify::testing::SourcePath("fixtures/vectors/bip340-test-vectors.csv")));
  std::string line;
  ASSERT_TRUE(std::getline(csv, line));
  ASSERT_EQ(line.rfind("# source: https://github.com/bitcoin/bips/", 0), 0u);
  int checked = 0;
  while (std::getline(csv, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.starts_with("index")) continue;
    std::vector<std::string> fields;
    std::stringstream row(line);
    for (std::string field; std::getline(row, field, ',');) fields.push_back(field);
    ASSERT_GE(fields.size(), 7u) << line;
    if (fields[4].size() != 64) continue;  // the subset: VerifySchnorr takes 32-byte sighashes only
    SCOPED_TRACE("BIP-340 vector " + fields[0]);
    const Bytes key = Hex(fields[2]);
    const Bytes sig = Hex(fields[5]);
    ASSERT_EQ(sig.size(), 64u);
    const bool expected = fields[6] == "TRUE";
    EXPECT_EQ(VerifySchnorr(Hex32(fields[4]), std::span<const std::uint8_t, 64>(sig.data(), 64), key), expected);
    ++checked;
  }
  EXPECT_EQ(checked, 15);
}

TEST(SignatureChecks, CompressPublicKeyNormalizesOnePoint) {
  // secp256k1 generator G, compressed and uncompressed (SEC 2, section 2.4.1).
  const Bytes compressed = Hex("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
  const Bytes uncompressed = Hex("0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
                                 "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8");
  EXPECT_EQ(CompressPublicKey(uncompressed), compressed);
  EXPECT_EQ(CompressPublicKey(compressed), compressed);
  Bytes beyond_field = Bytes(33, 0xff);  // x >= p: not a field element
  beyond_field[0] = 0x02;
  EXPECT_FALSE(CompressPublicKey(beyond_field));
}

}  // namespace
}  // namespace segverify::chain
