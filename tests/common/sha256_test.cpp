// Pins common/sha256.*: known answers from FIPS 180-2 (SHA-256 "abc") and RFC 4231 (HMAC-SHA256).
#include "common/sha256.h"

#include <gtest/gtest.h>

#include "common/hex.h"

namespace segverify {
namespace {

TEST(Sha256, Fips180Abc) {
  // FIPS 180-2, Appendix B.1.
  EXPECT_EQ(ToHex(Sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256Hasher h;
  h.Update("a").Update("bc");
  EXPECT_EQ(ToHex(h.Final()), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(HmacSha256, Rfc4231TestCase2) {
  // RFC 4231 section 4.3: key "Jefe", data "what do ya want for nothing?".
  const std::string key = "Jefe";
  HmacSha256 mac({reinterpret_cast<const std::uint8_t*>(key.data()), key.size()});
  EXPECT_EQ(ToHex(mac.Mac("what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Keyed once, used again: same answer.
  EXPECT_EQ(ToHex(mac.Mac("what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

}  // namespace
}  // namespace segverify
