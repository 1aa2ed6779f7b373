// Pins merkle/asset.*: the asset list of `--assets` (docs/FORMAT.md §1: symbols of 1–32
// characters of A–Z a–z 0–9 . _ -, unique; decimals 0..38) both ways.
#include "merkle/asset.h"

#include <gtest/gtest.h>

#include <string>

namespace segverify::merkle {
namespace {

TEST(AssetList, ParsesAndPrintsTheSameList) {
  auto assets = ParseAssetList("BTC:8,ETH:18,USDT.e:6,a_b-c:0,X:38");
  ASSERT_TRUE(assets.ok()) << assets.error().message;
  ASSERT_EQ(assets->size(), 5u);
  EXPECT_EQ((*assets)[1], (AssetSpec{"ETH", 18}));
  EXPECT_EQ(AssetListToString(*assets), "BTC:8,ETH:18,USDT.e:6,a_b-c:0,X:38");
}

TEST(AssetList, RefusesWhatFormatMdRefuses) {
  for (const char* text : {"", "BTC", "BTC:", ":8", "BTC:8,", "BTC:8,BTC:18", "BTC:39", "BTC:-1", "BTC:8.0",
                           "B TC:8", "BTC:8;ETH:18", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456:8"}) {
    EXPECT_FALSE(ParseAssetList(text).ok()) << text;
  }
}

TEST(AssetSymbol, OneToThirtyTwoCharactersOfTheAlphabet) {
  EXPECT_TRUE(IsValidSymbol("A"));
  EXPECT_TRUE(IsValidSymbol(std::string(32, 'Z')));
  EXPECT_FALSE(IsValidSymbol(std::string(33, 'Z')));
  EXPECT_FALSE(IsValidSymbol(""));
  EXPECT_FALSE(IsValidSymbol("\xe2\x82\xbf"));  // ₿
  EXPECT_TRUE(MakeAsset("BTC", 0).ok());
  EXPECT_TRUE(MakeAsset("BTC", kMaxDecimals).ok());
  EXPECT_FALSE(MakeAsset("BTC", kMaxDecimals + 1).ok());
  EXPECT_FALSE(MakeAsset("BTC", -1).ok());
  EXPECT_FALSE(MakeAsset("B/C", 8).ok());
}

}  // namespace
}  // namespace segverify::merkle
