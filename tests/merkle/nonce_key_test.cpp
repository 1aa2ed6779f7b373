// Pins merkle/nonce_key.*: where a tree's nonce key comes from (a file's first line, else
// SEGVERIFY_NONCE_KEY, else none: random nonces), and that no error ever repeats the key.
#include "merkle/nonce_key.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>

#include "common/hex.h"
#include "tests/support/test_support.h"

namespace segverify::merkle {
namespace {

const std::string kKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

// Sets SEGVERIFY_NONCE_KEY for one test and restores the environment after it.
class NonceKeyVariable {
 public:
  explicit NonceKeyVariable(const char* value) {
    if (const char* old = std::getenv(kNonceKeyVariable)) old_ = old;
    if (value != nullptr)
      ::setenv(kNonceKeyVariable, value, 1);
    else
      ::unsetenv(kNonceKeyVariable);
  }
  ~NonceKeyVariable() {
    if (old_)
      ::setenv(kNonceKeyVariable, old_->c_str(), 1);
    else
      ::unsetenv(kNonceKeyVariable);
  }

 private:
  std::optional<std::string> old_;
};

TEST(NonceKey, ParsesSixtyFourHexCharactersAroundWhitespace) {
  for (const std::string& text : {kKey, "  " + kKey + "\r\n", kKey + "\nsecond line ignored", "\t" + kKey}) {
    auto key = ParseNonceKey(text, "key.txt");
    ASSERT_TRUE(key.ok()) << key.error().message;
    EXPECT_EQ(ToHex(*key), kKey);
  }
}

TEST(NonceKey, RefusesAnythingElseWithoutRepeatingIt) {
  for (const std::string& text : {kKey.substr(2), kKey + "00", "zz" + kKey.substr(2), std::string(""), "\n" + kKey}) {
    auto key = ParseNonceKey(text, "key.txt");
    ASSERT_FALSE(key.ok()) << text;
    EXPECT_NE(key.error().message.find("key.txt"), std::string::npos);
    EXPECT_EQ(key.error().message.find(kKey.substr(4, 20)), std::string::npos) << "the key in an error message";
  }
}

TEST(NonceKey, AFileComesBeforeTheEnvironment) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("key"), kKey + "\n");
  NonceKeyVariable variable(std::string(64, 'f').c_str());
  auto key = LoadNonceKey(dir.File("key"));
  ASSERT_TRUE(key.ok()) << key.error().message;
  ASSERT_TRUE(key->has_value());
  EXPECT_EQ(ToHex(**key), kKey);
  EXPECT_FALSE(LoadNonceKey(dir.File("missing")).ok());
}

TEST(NonceKey, TheEnvironmentWhenNoFileElseNone) {
  {
    NonceKeyVariable variable(kKey.c_str());
    auto key = LoadNonceKey("");
    ASSERT_TRUE(key.ok()) << key.error().message;
    ASSERT_TRUE(key->has_value());
    EXPECT_EQ(ToHex(**key), kKey);
  }
  {
    NonceKeyVariable variable("");
    auto key = LoadNonceKey("");
    ASSERT_TRUE(key.ok());
    EXPECT_FALSE(key->has_value()) << "empty: random nonces";
  }
  {
    NonceKeyVariable variable(nullptr);
    auto key = LoadNonceKey("");
    ASSERT_TRUE(key.ok());
    EXPECT_FALSE(key->has_value());
  }
  NonceKeyVariable variable("not a key");
  auto key = LoadNonceKey("");
  ASSERT_FALSE(key.ok());
  EXPECT_NE(key.error().message.find(kNonceKeyVariable), std::string::npos);
}

}  // namespace
}  // namespace segverify::merkle
