// Pins common/base64.h (ToBase64, against the test vectors of RFC 4648 §10) and
// common/enum_names.h (NameIn / ValueNamed: both directions read from one table).
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <utility>

#include "common/base64.h"
#include "common/enum_names.h"

namespace segverify {
namespace {

TEST(Base64, Rfc4648TestVectors) {
  // RFC 4648 §10 "Test Vectors".
  const std::pair<std::string, std::string> vectors[] = {
      {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},         {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [bytes, text] : vectors) EXPECT_EQ(ToBase64(bytes), text) << bytes;
}

TEST(Base64, NoLineBreaksAndEveryByte) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  const std::string text = ToBase64(bytes);
  EXPECT_EQ(text.size(), 344u);  // 4 * ceil(256 / 3)
  EXPECT_EQ(text.find('\n'), std::string::npos);
  EXPECT_EQ(text.substr(0, 8), "AAECAwQF");  // 00 01 02 03 04 05
  EXPECT_EQ(text.substr(text.size() - 4), "/w==");  // ... fe ff: the '/' and padding of the standard alphabet
}

enum class Colour { kRed, kGreen, kBlue };
constexpr std::array<std::pair<Colour, std::string_view>, 2> kColourNames = {{
    {Colour::kRed, "red"},
    {Colour::kGreen, "green"},
}};

TEST(EnumNames, BothDirectionsComeFromTheOneTable) {
  EXPECT_EQ(NameIn(kColourNames, Colour::kRed, "?"), "red");
  EXPECT_EQ(NameIn(kColourNames, Colour::kGreen, "?"), "green");
  EXPECT_EQ(ValueNamed<Colour>(kColourNames, "red"), Colour::kRed);
  EXPECT_EQ(ValueNamed<Colour>(kColourNames, "green"), Colour::kGreen);
  // A value the table does not name prints the fallback; a name it does not hold is no value.
  EXPECT_EQ(NameIn(kColourNames, Colour::kBlue, "unknown"), "unknown");
  EXPECT_FALSE(ValueNamed<Colour>(kColourNames, "blue").has_value());
  EXPECT_FALSE(ValueNamed<Colour>(kColourNames, "Red").has_value());  // exact, case and all
  EXPECT_FALSE(ValueNamed<Colour>(kColourNames, "").has_value());
}

}  // namespace
}  // namespace segverify
