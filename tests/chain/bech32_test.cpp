// Pins verifier/chain/bech32.*: the Bech32/Bech32m string vectors of BIP-173 and BIP-350
// (fixtures/vectors/bip173.json, bip350.json, sources cited there).
#include "verifier/chain/bech32.h"

#include <gtest/gtest.h>

#include "tests/support/fixture_json.h"

namespace segverify::chain {
namespace {

using testing::CheckFixtureSection;
using testing::StringArray;

std::string InvalidText(const JsonValue& item) {
  if (item.HasMember("text")) return item["text"].GetString();
  const auto bytes = FromHex(item["text_hex"].GetString());
  return std::string(bytes->begin(), bytes->end());
}

void CheckValidStrings(const JsonValue& list, Bech32Encoding expected) {
  ASSERT_GT(list.Size(), 0u);
  for (const auto& text : StringArray(list)) {
    auto decoded = DecodeBech32(text);
    ASSERT_TRUE(decoded.ok()) << text << ": " << decoded.error().message;
    EXPECT_EQ(decoded->encoding, expected) << text;
    // Re-encoding gives the lower-case form of the input.
    std::string lower = text;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(EncodeBech32(decoded->encoding, decoded->hrp, decoded->data), lower);
  }
}

void CheckInvalidStrings(const JsonValue& list) {
  ASSERT_GT(list.Size(), 0u);
  for (const auto& item : list.GetArray()) {
    const std::string text = InvalidText(item);
    auto decoded = DecodeBech32(text);
    EXPECT_FALSE(decoded.ok()) << item["reason"].GetString() << ": " << text;
  }
}

TEST(Bech32, Bip173ValidStrings) {
  CheckFixtureSection("fixtures/vectors/bip173.json", "valid_bech32",
                      [](const JsonValue& list) { CheckValidStrings(list, Bech32Encoding::kBech32); });
}

TEST(Bech32, Bip173InvalidStrings) {
  CheckFixtureSection("fixtures/vectors/bip173.json", "invalid_bech32", CheckInvalidStrings);
}

TEST(Bech32, Bip350ValidStrings) {
  CheckFixtureSection("fixtures/vectors/bip350.json", "valid_bech32m",
                      [](const JsonValue& list) { CheckValidStrings(list, Bech32Encoding::kBech32m); });
}

TEST(Bech32, Bip350InvalidStrings) {
  CheckFixtureSection("fixtures/vectors/bip350.json", "invalid_bech32m", CheckInvalidStrings);
}

TEST(Bech32, ErrorsSayWhy) {
  EXPECT_NE(DecodeBech32("A1g7sgd8").error().message.find("mixed case"), std::string::npos);
  EXPECT_NE(DecodeBech32("a12uel5m").error().message.find("checksum"), std::string::npos);
  EXPECT_NE(DecodeBech32("x1b4n0q5v").error().message.find("invalid bech32 character 'b'"), std::string::npos);
  EXPECT_NE(DecodeBech32(std::string(91, 'q')).error().message.find("too long"), std::string::npos);
}

TEST(Bech32, FiveBitConversionRejectsBadPadding) {
  // 8 values * 5 bits = 40 bits = 5 bytes exactly: fine.
  EXPECT_TRUE(FiveBitToBytes(std::vector<std::uint8_t>(8, 0)).ok());
  // 9 values = 45 bits: 5 bits of padding (more than 4) is invalid (BIP-173).
  EXPECT_FALSE(FiveBitToBytes(std::vector<std::uint8_t>(9, 0)).ok());
  // 2 values = 10 bits: 1 byte + 2 padding bits, which must be zero.
  EXPECT_TRUE(FiveBitToBytes(std::vector<std::uint8_t>{31, 28}).ok());
  EXPECT_FALSE(FiveBitToBytes(std::vector<std::uint8_t>{31, 29}).ok());
  // Round trip of 0xff: 11111 111(00).
  EXPECT_EQ(BytesToFiveBit(Bytes{0xff}), (std::vector<std::uint8_t>{31, 28}));
}

}  // namespace
}  // namespace segverify::chain
