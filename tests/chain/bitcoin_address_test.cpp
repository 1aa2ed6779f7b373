// Pins verifier/chain/bitcoin_address.*: BIP-173/BIP-350 segwit address vectors and Bitcoin
// Core's key_io_valid.json base58/segwit addresses, each with the scriptPubKey its source gives.
#include "verifier/chain/bitcoin_address.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/support/fixture_json.h"

namespace segverify::chain {
namespace {

using testing::CheckFixtureSection;
using testing::FailsWith;
using testing::HexOrDie;
using testing::LoadJsonFixture;

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  return text;
}
std::string Upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); });
  return text;
}

// Decodes every valid segwit vector, checks the scriptPubKey, and that re-encoding the decoded
// program gives the canonical (lower-case) form.
void CheckValidSegwit(const JsonValue& list) {
  ASSERT_GT(list.Size(), 0u);
  for (const auto& item : list.GetArray()) {
    const std::string text = item["address"].GetString();
    auto decoded = DecodeBitcoinAddress(text);
    ASSERT_TRUE(decoded.ok()) << text << ": " << decoded.error().message;
    EXPECT_EQ(ToHex(decoded->script_pubkey), item["script_pubkey"].GetString()) << text;
    EXPECT_EQ(decoded->canonical, Lower(text));
    auto encoded = EncodeSegwitAddress(decoded->network, decoded->witness_version, decoded->program);
    ASSERT_TRUE(encoded.ok()) << text;
    EXPECT_EQ(*encoded, Lower(text));
  }
}

void CheckInvalid(const JsonValue& list) {
  ASSERT_GT(list.Size(), 0u);
  for (const auto& item : list.GetArray()) {
    const std::string text = item["address"].GetString();
    auto decoded = DecodeBitcoinAddress(text);
    EXPECT_FALSE(decoded.ok()) << item["reason"].GetString() << ": " << text;
    if (!decoded.ok()) {
      EXPECT_FALSE(decoded.error().message.empty());
    }
  }
}

TEST(BitcoinAddress, Bip350ValidSegwitAddresses) {
  CheckFixtureSection("fixtures/vectors/bip350.json", "valid_segwit", CheckValidSegwit);
}

TEST(BitcoinAddress, Bip350InvalidSegwitAddresses) {
  CheckFixtureSection("fixtures/vectors/bip350.json", "invalid_segwit", CheckInvalid);
}

TEST(BitcoinAddress, Bip173ValidSegwitAddresses) {
  CheckFixtureSection("fixtures/vectors/bip173.json", "valid_segwit", CheckValidSegwit);
}

TEST(BitcoinAddress, Bip173InvalidSegwitAddresses) {
  CheckFixtureSection("fixtures/vectors/bip173.json", "invalid_segwit", CheckInvalid);
}

TEST(BitcoinAddress, Bip173VersionOneWithBech32IsInvalidSinceBip350) {
  auto doc = LoadJsonFixture("fixtures/vectors/bip173.json");
  ASSERT_TRUE(doc);
  const auto& list = (*doc)["superseded_by_bip350"];
  ASSERT_EQ(list.Size(), 3u);
  for (const auto& item : list.GetArray()) {
    auto decoded = DecodeBitcoinAddress(item["address"].GetString());
    ASSERT_FALSE(decoded.ok()) << item["address"].GetString();
    EXPECT_NE(decoded.error().message.find("must use bech32m"), std::string::npos) << decoded.error().message;
  }
}

TEST(BitcoinAddress, KeyIoValidAddresses) {
  auto doc = LoadJsonFixture("tests/chain/key_io_vectors.json");
  ASSERT_TRUE(doc);
  const auto& list = (*doc)["addresses"];
  ASSERT_GT(list.Size(), 20u);
  for (const auto& item : list.GetArray()) {
    const std::string text = item["address"].GetString();
    const std::string chain = item["chain"].GetString();
    auto decoded = DecodeBitcoinAddress(text);
    ASSERT_TRUE(decoded.ok()) << text << ": " << decoded.error().message;
    EXPECT_EQ(ToHex(decoded->script_pubkey), item["script_pubkey"].GetString()) << text;
    EXPECT_EQ(decoded->canonical, text);
    const bool base58 = decoded->witness_version < 0;
    // testnet4 and signet use testnet's prefixes; regtest has its own hrp but testnet's base58 versions.
    const std::string expected_network = chain == "main"                   ? "mainnet"
                                         : (chain == "regtest" && !base58) ? "regtest"
                                                                           : "testnet";
    EXPECT_EQ(ToString(decoded->network), expected_network) << text;
    // The encoder rebuilds the same text from (network, type, program).
    if (decoded->type != BitcoinAddressType::kWitnessUnknown) {
      auto encoded = EncodeBitcoinAddress(decoded->network, decoded->type, decoded->program);
      ASSERT_TRUE(encoded.ok()) << text;
      EXPECT_EQ(*encoded, text);
    }
  }
}

TEST(BitcoinAddress, KeyIoPrivateKeysAreNotAddresses) {
  auto doc = LoadJsonFixture("tests/chain/key_io_vectors.json");
  ASSERT_TRUE(doc);
  for (const auto& wif : testing::StringArray((*doc)["private_keys_not_addresses"])) {
    auto decoded = DecodeBitcoinAddress(wif);
    ASSERT_FALSE(decoded.ok()) << wif;
    EXPECT_NE(decoded.error().message.find("payload"), std::string::npos) << decoded.error().message;
  }
}

TEST(BitcoinAddress, TypesFromKnownAddresses) {
  struct Case {
    const char* address;
    BitcoinAddressType type;
    int version;
  };
  // Types per BIP-173/BIP-350 vectors and key_io_valid.json above.
  const Case cases[] = {
      {"1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo", BitcoinAddressType::kP2pkh, -1},
      {"36j4NfKv6Akva9amjWrLG6MuSQym1GuEmm", BitcoinAddressType::kP2sh, -1},
      {"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", BitcoinAddressType::kP2wpkh, 0},
      {"bc1qyucykdlhp62tezs0hagqury402qwhk589q80tqs5myh3rxq34nwqhkdhv7", BitcoinAddressType::kP2wsh, 0},
      {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", BitcoinAddressType::kP2tr, 1},
      {"bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", BitcoinAddressType::kWitnessUnknown, 2},
      // v1 with a 40-byte program is not taproot.
      {"bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
       BitcoinAddressType::kWitnessUnknown, 1},
  };
  for (const auto& c : cases) {
    auto decoded = DecodeBitcoinAddress(c.address);
    ASSERT_TRUE(decoded.ok()) << c.address;
    EXPECT_EQ(decoded->type, c.type) << c.address;
    EXPECT_EQ(decoded->witness_version, c.version) << c.address;
  }
}

TEST(BitcoinAddress, UpperCaseBech32IsAcceptedAndShownLowerCase) {
  const std::string lower = "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0";
  auto decoded = DecodeBitcoinAddress(Upper(lower));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded->canonical, lower);
  EXPECT_EQ(decoded->type, BitcoinAddressType::kP2tr);
}

TEST(BitcoinAddress, ErrorsSayWhy) {
  // One flipped character in each kind of address (valid forms from the vectors above).
  EXPECT_TRUE(FailsWith(DecodeBitcoinAddress("1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mp"), "checksum"));
  EXPECT_TRUE(FailsWith(DecodeBitcoinAddress("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5"), "checksum"));
  EXPECT_TRUE(
      FailsWith(DecodeBitcoinAddress("tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7"), "mixed case"));
  EXPECT_TRUE(FailsWith(DecodeBitcoinAddress("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh"), "must use bech32"));
  EXPECT_TRUE(FailsWith(DecodeBitcoinAddress("BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P"), "program length"));
  EXPECT_TRUE(
      FailsWith(DecodeBitcoinAddress("tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty"), "human-readable part 'tc'"));
  EXPECT_TRUE(FailsWith(DecodeBitcoinAddress("1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2m0"), "invalid base58 character"));
  EXPECT_TRUE(FailsWith(DecodeBitcoinAddress(std::string(65, '1')), "too long"));
  EXPECT_TRUE(FailsWith(DecodeBitcoinAddress(""), "empty"));
  EXPECT_TRUE(FailsWith(DecodeBitcoinAddress(" bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"), "base58"));
}

TEST(BitcoinAddress, EncoderRejectsWrongProgramLengths) {
  const Bytes twenty(20, 0x11);
  const Bytes thirty_two(32, 0x22);
  EXPECT_FALSE(EncodeBitcoinAddress(BitcoinNetwork::kMainnet, BitcoinAddressType::kP2pkh, thirty_two).ok());
  EXPECT_FALSE(EncodeBitcoinAddress(BitcoinNetwork::kMainnet, BitcoinAddressType::kP2tr, twenty).ok());
  EXPECT_FALSE(EncodeBitcoinAddress(BitcoinNetwork::kMainnet, BitcoinAddressType::kP2wsh, twenty).ok());
  EXPECT_FALSE(EncodeBitcoinAddress(BitcoinNetwork::kMainnet, BitcoinAddressType::kWitnessUnknown, twenty).ok());
  EXPECT_FALSE(EncodeSegwitAddress(BitcoinNetwork::kMainnet, 17, twenty).ok());
  EXPECT_FALSE(EncodeSegwitAddress(BitcoinNetwork::kMainnet, 0, Bytes(21, 0)).ok());
  EXPECT_FALSE(EncodeSegwitAddress(BitcoinNetwork::kMainnet, 2, Bytes(41, 0)).ok());
}

TEST(BitcoinAddress, OutputScriptHelpers) {
  // BIP-173 "Examples": key hash 751e76e8...3bd6 (hash160 of the generator point).
  std::array<std::uint8_t, 20> hash;
  const Bytes bytes = HexOrDie("751e76e8199196d454941c45d1b3a323f1433bd6");
  std::copy(bytes.begin(), bytes.end(), hash.begin());
  EXPECT_EQ(ToHex(P2wpkhScript(hash)), "0014751e76e8199196d454941c45d1b3a323f1433bd6");
  EXPECT_EQ(ToHex(P2pkhScript(hash)), "76a914751e76e8199196d454941c45d1b3a323f1433bd688ac");
  EXPECT_EQ(ToHex(P2shScript(hash)), "a914751e76e8199196d454941c45d1b3a323f1433bd687");
}

}  // namespace
}  // namespace segverify::chain
