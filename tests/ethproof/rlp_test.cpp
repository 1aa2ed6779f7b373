// RLP against the published vectors of ethereum/tests (fixtures/vectors/rlp-ethereum-tests.json,
// RLPTests/rlptest.json and invalidRLPTest.json): every valid "in" encodes to its "out" and decodes
// back, every invalid "out" is refused by the strict decoder.
#include "ethproof/rlp.h"

#include <gtest/gtest.h>

#include "common/json.h"
#include "tests/support/test_support.h"

namespace segverify::ethproof {
namespace {

using testing::SourcePath;

Bytes HexBytes(std::string_view text) {
  if (text.starts_with("0x")) text.remove_prefix(2);
  auto bytes = FromHex(text);
  if (!bytes) throw std::runtime_error("bad hex in fixture");
  return *bytes;
}

// Decimal text to minimal big-endian bytes ("#N" big integers of the vectors).
Bytes DecimalToBytes(std::string_view decimal) {
  Bytes out;  // big-endian
  for (char c : decimal) {
    unsigned carry = static_cast<unsigned>(c - '0');
    for (auto it = out.rbegin(); it != out.rend(); ++it) {
      unsigned v = *it * 10u + carry;
      *it = static_cast<std::uint8_t>(v & 0xff);
      carry = v >> 8;
    }
    while (carry) {
      out.insert(out.begin(), static_cast<std::uint8_t>(carry & 0xff));
      carry >>= 8;
    }
  }
  return out;
}

Bytes Encode(const JsonValue& in) {
  if (in.IsString()) {
    std::string_view s(in.GetString(), in.GetStringLength());
    if (s.starts_with("#")) return RlpEncodeUnsigned(DecimalToBytes(s.substr(1)));
    return RlpEncodeString(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
  }
  if (in.IsUint64()) return RlpEncodeUnsigned(in.GetUint64());
  std::vector<Bytes> items;
  for (const auto& item : in.GetArray()) items.push_back(Encode(item));
  return RlpEncodeList(items);
}

// Decodes every nested list too; re-encodes what it decoded.
Result<Bytes> DecodeAll(const RlpItem& item) {
  if (!item.is_list) return RlpEncodeString(item.payload);
  auto items = RlpListItems(item);
  if (!items) return items.error();
  std::vector<Bytes> encoded;
  for (const RlpItem& child : *items) {
    auto again = DecodeAll(child);
    if (!again) return again.error();
    encoded.push_back(*again);
  }
  return RlpEncodeList(encoded);
}

TEST(Rlp, PublishedValidVectorsEncodeAndDecode) {
  auto doc = ParseJsonFile(SourcePath("fixtures/vectors/rlp-ethereum-tests.json"));
  ASSERT_TRUE(doc) << doc.error().message;
  int count = 0;
  for (const auto& v : (**doc)["valid"].GetObject()) {
    SCOPED_TRACE(v.name.GetString());
    const Bytes expected = HexBytes(v.value["out"].GetString());
    EXPECT_EQ(ToHex(Encode(v.value["in"])), ToHex(expected));
    auto item = RlpDecode(expected);
    ASSERT_TRUE(item) << item.error().message;
    auto again = DecodeAll(*item);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(ToHex(*again), ToHex(expected));
    ++count;
  }
  EXPECT_EQ(count, 28);  // every vector of rlptest.json
}

TEST(Rlp, PublishedInvalidVectorsAreRefused) {
  auto doc = ParseJsonFile(SourcePath("fixtures/vectors/rlp-ethereum-tests.json"));
  ASSERT_TRUE(doc) << doc.error().message;
  int count = 0;
  for (const auto& v : (**doc)["invalid"].GetObject()) {
    SCOPED_TRACE(v.name.GetString());
    const Bytes input = HexBytes(v.value["out"].GetString());
    auto item = RlpDecode(input);
    if (item) {
      auto all = DecodeAll(*item);
      EXPECT_FALSE(all) << "accepted " << ToHex(input);
    }
    ++count;
  }
  EXPECT_EQ(count, 26);  // every vector of invalidRLPTest.json
}

TEST(Rlp, IntegersAreCanonical) {
  EXPECT_FALSE(RlpUnsigned(*RlpDecode(Bytes{0x82, 0x00, 0x01})));  // leading zero
  EXPECT_EQ(ToHex(*RlpUnsigned(*RlpDecode(Bytes{0x80}))), "");     // zero
  EXPECT_EQ(ToHex(RlpEncodeUnsigned(Bytes{0, 0, 0x04, 0x00})), "820400");
  EXPECT_FALSE(RlpDecode(Bytes{0x01, 0x02}));  // trailing byte
}

}  // namespace
}  // namespace segverify::ethproof
