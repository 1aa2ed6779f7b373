// Pins common/u128.*: checked arithmetic and text conversions at the 2^128 boundary.
#include "common/u128.h"

#include <gtest/gtest.h>

namespace segverify {
namespace {

// 2^128 - 1 = 340282366920938463463374607431768211455 (a well-known constant, e.g. Python: 2**128-1).
constexpr const char* kMaxDecimal = "340282366920938463463374607431768211455";

TEST(U128, DecimalRoundTripAtBoundary) {
  EXPECT_EQ(U128ToDecimal(kU128Max), kMaxDecimal);
  auto parsed = U128FromDecimal(kMaxDecimal);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_TRUE(*parsed == kU128Max);
  EXPECT_FALSE(U128FromDecimal("340282366920938463463374607431768211456").has_value());
  EXPECT_FALSE(U128FromDecimal("").has_value());
  EXPECT_FALSE(U128FromDecimal("-1").has_value());
  EXPECT_FALSE(U128FromDecimal("1e3").has_value());
}

TEST(U128, CheckedAddDetectsOverflow) {
  EXPECT_FALSE(CheckedAdd(kU128Max, 1).has_value());
  EXPECT_TRUE(CheckedAdd(kU128Max - 1, 1).has_value());
  EXPECT_FALSE(CheckedMul(kU128Max / 2 + 1, 2).has_value());
}

TEST(U128, HexQuantity) {
  EXPECT_TRUE(*U128FromHexQuantity("0x0") == 0);
  EXPECT_TRUE(*U128FromHexQuantity("0xde0b6b3a7640000") == static_cast<u128>(1000000000000000000ULL));
  EXPECT_FALSE(U128FromHexQuantity("0x").has_value());
  EXPECT_FALSE(U128FromHexQuantity("12").has_value());
  EXPECT_FALSE(U128FromHexQuantity("0x1ffffffffffffffffffffffffffffffff").has_value());  // 2^129-1
}

TEST(U128, BigEndianRoundTrip) {
  unsigned char buf[16];
  U128ToBigEndian(static_cast<u128>(0x0102), buf);
  EXPECT_EQ(buf[14], 0x01);
  EXPECT_EQ(buf[15], 0x02);
  EXPECT_EQ(buf[0], 0x00);
  EXPECT_TRUE(U128FromBigEndian(buf) == 0x0102);
}

}  // namespace
}  // namespace segverify
