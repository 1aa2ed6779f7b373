// Pins verifier/chain/ethereum_address.*: EIP-55's test cases (fixtures/vectors/eip55.json).
#include "verifier/chain/ethereum_address.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/support/fixture_json.h"

namespace segverify::chain {
namespace {

using testing::FailsWith;
using testing::LoadJsonFixture;
using testing::StringArray;

std::vector<std::string> AllEip55Examples() {
  auto doc = LoadJsonFixture("fixtures/vectors/eip55.json");
  if (!doc) return {};
  std::vector<std::string> out;
  for (const char* group : {"all_caps", "all_lower", "normal"}) {
    for (auto& a : StringArray((*doc)[group])) out.push_back(std::move(a));
  }
  return out;
}

std::string WithHexCase(const std::string& address, int (*convert)(int)) {
  std::string out = "0x";
  for (std::size_t i = 2; i < address.size(); ++i) {
    out.push_back(static_cast<char>(convert(static_cast<unsigned char>(address[i]))));
  }
  return out;
}

TEST(EthereumAddress, Eip55ExamplesAreTheirOwnCanonicalForm) {
  const auto examples = AllEip55Examples();
  ASSERT_EQ(examples.size(), 8u);
  for (const auto& example : examples) {
    auto decoded = DecodeEthereumAddress(example);
    ASSERT_TRUE(decoded.ok()) << example << ": " << decoded.error().message;
    EXPECT_EQ(decoded->canonical, example);
    EXPECT_EQ(ToEip55(decoded->bytes), example);
  }
}

TEST(EthereumAddress, AllLowerAndAllUpperCarryNoChecksumAndAreAccepted) {
  for (const auto& example : AllEip55Examples()) {
    for (auto convert : {&::tolower, &::toupper}) {
      const std::string text = WithHexCase(example, convert);
      auto decoded = DecodeEthereumAddress(text);
      ASSERT_TRUE(decoded.ok()) << text << ": " << decoded.error().message;
      EXPECT_EQ(decoded->canonical, example) << text;
    }
  }
}

TEST(EthereumAddress, FlippedCaseFailsTheChecksum) {
  for (const auto& example : AllEip55Examples()) {
    // Flip the case of one letter in a mixed-case form: the result is mixed case but not EIP-55.
    // (For the all-caps and all-lower examples, flipping one letter makes them mixed case.)
    std::string text = example;
    const auto letter =
        std::find_if(text.begin() + 2, text.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
    ASSERT_NE(letter, text.end()) << example;
    *letter = static_cast<char>(std::isupper(static_cast<unsigned char>(*letter)) ? std::tolower(*letter)
                                                                                  : std::toupper(*letter));
    auto decoded = DecodeEthereumAddress(text);
    ASSERT_FALSE(decoded.ok()) << text;
    EXPECT_NE(decoded.error().message.find("EIP-55"), std::string::npos) << decoded.error().message;
  }
}

TEST(EthereumAddress, MalformedInputsSayWhy) {
  EXPECT_TRUE(FailsWith(DecodeEthereumAddress("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"), "0x"));
  EXPECT_TRUE(FailsWith(DecodeEthereumAddress("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe"), "40 hex digits"));
  EXPECT_TRUE(FailsWith(DecodeEthereumAddress("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAedd"), "40 hex digits"));
  EXPECT_TRUE(FailsWith(DecodeEthereumAddress("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg"), "non-hex"));
  EXPECT_TRUE(FailsWith(DecodeEthereumAddress(""), "0x"));
  EXPECT_TRUE(FailsWith(DecodeEthereumAddress(" 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"), "0x"));
}

}  // namespace
}  // namespace segverify::chain
