// Pins clients/ascii.h (what may be placed into a URL path or a descriptor: a node's answer or a
// user's text never brings a '/', '?', '#' or a non-ASCII byte there) and clients/first_error.h
// (the first failed read of a group, in argument order).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "clients/ascii.h"
#include "clients/first_error.h"

namespace segverify::clients {
namespace {

TEST(Ascii, LowersAsciiLettersOnly) {
  EXPECT_EQ(AsciiLower("0xABCdef09"), "0xabcdef09");
  EXPECT_EQ(AsciiLower("\xc3\x89T\xc3\x89"), "\xc3\x89t\xc3\x89") << "bytes above 0x7f are not letters";
  EXPECT_EQ(AsciiLower(""), "");
}

TEST(Ascii, PlainAlnumIsLettersAndDigitsAndNotEmpty) {
  EXPECT_TRUE(IsPlainAlnum("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"));
  EXPECT_TRUE(IsPlainAlnum("ABCdef0123"));
  const std::string with_nul("a\0b", 3);
  for (const std::string& text : std::vector<std::string>{"", "a/b", "a?b", "a#b", "a b", "a.b", "a-b", "\xc3\xa9", with_nul}) {
    EXPECT_FALSE(IsPlainAlnum(text)) << text;
  }
}

TEST(FirstError, IsTheFirstFailureInArgumentOrder) {
  const Result<int> good = 1;
  const Result<int> first = Error{"first"};
  const Result<std::string> second = Error{"second"};
  EXPECT_FALSE(FirstError(good, good).has_value());
  EXPECT_EQ(FirstError(good, first, second)->message, "first");
  EXPECT_EQ(FirstError(second, good, first)->message, "second");
  EXPECT_FALSE(FirstError().has_value());
}

}  // namespace
}  // namespace segverify::clients
