// Pins merkle/amount.*: the text <-> base-unit table of docs/FORMAT.md §1.
#include "merkle/amount.h"

#include <gtest/gtest.h>

namespace segverify::merkle {
namespace {

struct Case {
  const char* text;
  int decimals;
  bool ok;
  const char* base_units;  // decimal digits of the expected value, when ok
  AmountError error;
};

TEST(ParseAmount, Table) {
  const Case cases[] = {
      {"15", 8, true, "1500000000", {}},
      {"0.00012", 8, true, "12000", {}},
      {"0", 0, true, "0", {}},
      {"007", 2, true, "700", {}},
      {"1.5", 1, true, "15", {}},
      {"0.00000001", 8, true, "1", {}},
      // 2^128 - 1 base units: the largest amount.
      {"340282366920938463463374607431768211455", 0, true, "340282366920938463463374607431768211455", {}},
      {"340282366920938463463.374607431768211455", 18, true, "340282366920938463463374607431768211455", {}},
      // 2^128: one more.
      {"340282366920938463463374607431768211456", 0, false, nullptr, AmountError::kOverflow},
      {"340282366920938463463.374607431768211456", 18, false, nullptr, AmountError::kOverflow},
      {"340282366920938463464", 18, false, nullptr, AmountError::kOverflow},
      {"0.000000001", 8, false, nullptr, AmountError::kTooManyDecimals},
      {"1.0", 0, false, nullptr, AmountError::kTooManyDecimals},
      {"", 8, false, nullptr, AmountError::kEmpty},
      {"-1", 8, false, nullptr, AmountError::kNegative},
      {"+1", 8, false, nullptr, AmountError::kSign},
      {"1e5", 8, false, nullptr, AmountError::kExponent},
      {"1E-5", 8, false, nullptr, AmountError::kExponent},
      {"1,000", 8, false, nullptr, AmountError::kSeparator},
      {"1_000", 8, false, nullptr, AmountError::kSeparator},
      {"1 000", 8, false, nullptr, AmountError::kSeparator},
      {" 1", 8, false, nullptr, AmountError::kSeparator},
      {"abc", 8, false, nullptr, AmountError::kNotANumber},
      {".5", 8, false, nullptr, AmountError::kNotANumber},
      {"5.", 8, false, nullptr, AmountError::kNotANumber},
      {"1.2.3", 8, false, nullptr, AmountError::kNotANumber},
      {"0x10", 8, false, nullptr, AmountError::kNotANumber},
      {"NaN", 8, false, nullptr, AmountError::kNotANumber},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const AmountParse parsed = ParseAmountText(c.text, c.decimals);
    ASSERT_EQ(parsed.ok, c.ok);
    if (c.ok) {
      EXPECT_EQ(U128ToDecimal(parsed.value), c.base_units);
    } else {
      EXPECT_EQ(parsed.error, c.error) << AmountErrorText(parsed.error, c.decimals);
    }
  }
}

TEST(FormatAmount, CanonicalText) {
  EXPECT_EQ(FormatAmount(1500000000, 8), "15");
  EXPECT_EQ(FormatAmount(12000, 8), "0.00012");
  EXPECT_EQ(FormatAmount(0, 8), "0");
  EXPECT_EQ(FormatAmount(0, 0), "0");
  EXPECT_EQ(FormatAmount(1, 18), "0.000000000000000001");
  EXPECT_EQ(FormatAmount(kU128Max, 18), "340282366920938463463.374607431768211455");
  EXPECT_EQ(FormatAmount(kU128Max, 38), "3.40282366920938463463374607431768211455");
}

TEST(FormatAmount, RoundTripsThroughParse) {
  for (int decimals : {0, 1, 6, 8, 18, 38}) {
    for (u128 v : {u128{0}, u128{1}, u128{10}, u128{123456789}, kU128Max, kU128Max - 1}) {
      const std::string text = FormatAmount(v, decimals);
      const AmountParse back = ParseAmountText(text, decimals);
      ASSERT_TRUE(back.ok) << text;
      EXPECT_TRUE(back.value == v) << text;
    }
  }
}

TEST(ParseAmount, ErrorNamesWhatAndText) {
  auto r = ParseAmount("-3", 8, "balances[0]");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "balances[0]: negative amount \"-3\"");
}

}  // namespace
}  // namespace segverify::merkle
