// verifier/chain/taproot.h against BIP-341's published wallet vectors
// (fixtures/vectors/bip341-wallet-test-vectors.json, source cited there): leaf hashes, Merkle root, tweak
// and output key for trees of zero to three leaves, other leaf versions included; and the leaf
// shapes whose signers KeysInTapscript reads (BIP-342 semantics, miniscript's multi_a).
#include "verifier/chain/taproot.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/support/fixture_json.h"
#include "verifier/chain/bitcoin_address.h"

namespace segverify::chain {
namespace {

using testing::CheckFixtureSection;
using testing::LoadFixture;

Bytes Hex(std::string_view text) {
  auto bytes = FromHex(text);
  EXPECT_TRUE(bytes.has_value()) << text;
  return bytes.value_or(Bytes{});
}

// A tree as JSON: {"script", `version_key`} or an array of two trees (BIP-341's vectors say
// "leafVersion", segverify's config "leaf_version").
TapTree TreeOf(const JsonValue& value, const char* version_key = "leafVersion") {
  TapTree tree;
  if (value.IsArray()) {
    for (const auto& branch : value.GetArray()) tree.branches.push_back(TreeOf(branch, version_key));
    return tree;
  }
  tree.leaf = TapLeaf{static_cast<std::uint8_t>(value[version_key].GetUint()), Hex(value["script"].GetString())};
  return tree;
}

TEST(Taproot, Bip341WalletVectors) {
  CheckFixtureSection("fixtures/vectors/bip341-wallet-test-vectors.json", "scriptPubKey", [](const JsonValue& vectors) {
    ASSERT_EQ(vectors.Size(), 7u);
    for (rapidjson::SizeType i = 0; i < vectors.Size(); ++i) {
      SCOPED_TRACE("vector " + std::to_string(i));
      const JsonValue& v = vectors[i];
      TaprootDisclosure disclosure;
      const Bytes internal = Hex(v["given"]["internalPubkey"].GetString());
      ASSERT_EQ(internal.size(), 32u);
      std::copy(internal.begin(), internal.end(), disclosure.internal_key.begin());
      const JsonValue& intermediary = v["intermediary"];
      if (!v["given"]["scriptTree"].IsNull()) {
        disclosure.tree = TreeOf(v["given"]["scriptTree"]);
        const auto leaves = TapLeaves(*disclosure.tree);
        ASSERT_EQ(leaves.size(), intermediary["leafHashes"].Size());
        for (std::size_t l = 0; l < leaves.size(); ++l) {
          EXPECT_EQ(ToHex(TapLeafHash(leaves[l]->version, leaves[l]->script)),
                    intermediary["leafHashes"][static_cast<rapidjson::SizeType>(l)].GetString());
        }
        EXPECT_EQ(ToHex(TapTreeHash(*disclosure.tree)), intermediary["merkleRoot"].GetString());
      } else {
        EXPECT_TRUE(intermediary["merkleRoot"].IsNull());
      }
      const std::optional<Hash256> root =
          disclosure.tree ? std::optional<Hash256>(TapTreeHash(*disclosure.tree)) : std::nullopt;
      EXPECT_EQ(ToHex(TapTweakHash(disclosure.internal_key, root)), intermediary["tweak"].GetString());
      const auto output = TaprootOutputKey(disclosure);
      ASSERT_TRUE(output.has_value());
      EXPECT_EQ(ToHex(*output), intermediary["tweakedPubkey"].GetString());
      EXPECT_EQ("5120" + ToHex(*output), v["expected"]["scriptPubKey"].GetString());
    }
  });
}

// Cross-check with bitcoinjs-lib: every disclosure of tests/attest/taproot_cases.json gives the
// address bitcoinjs-lib's payments.p2tr made from it (tests/attest/gen_taproot_cases.mjs), but the
// one that discloses another tree on purpose.
TEST(Taproot, OutputKeysAgreeWithBitcoinjsLib) {
  auto doc = LoadFixture("tests/attest/taproot_cases.json");
  ASSERT_TRUE(doc);
  std::vector<std::pair<std::string, const JsonValue*>> entries;
  for (const auto& c : (*doc)["cases"].GetObject()) entries.emplace_back(c.name.GetString(), &c.value["entry"]);
  for (const auto& firm : (*doc)["firm_addresses"].GetArray()) entries.emplace_back("firm", &firm);
  int checked = 0;
  for (const auto& [name, entry] : entries) {
    if (!entry->HasMember("taproot")) continue;
    SCOPED_TRACE(name);
    const JsonValue& taproot = (*entry)["taproot"];
    TaprootDisclosure disclosure;
    const Bytes internal = Hex(taproot["internal_key"].GetString());
    std::copy(internal.begin(), internal.end(), disclosure.internal_key.begin());
    if (taproot.HasMember("tree")) disclosure.tree = TreeOf(taproot["tree"], "leaf_version");
    auto address = DecodeBitcoinAddress((*entry)["address"].GetString());
    ASSERT_TRUE(address.ok());
    const auto output = TaprootOutputKey(disclosure);
    ASSERT_TRUE(output.has_value());
    EXPECT_EQ(ToHex(*output) == ToHex(address->program), name != "wrong_disclosure");
    ++checked;
  }
  EXPECT_EQ(checked, 8);
}

TEST(Taproot, AnotherTreeGivesAnotherOutputKey) {
  // BIP-341 vector 1 with the leaf's script changed by one byte: the commitment no longer holds.
  TaprootDisclosure disclosure;
  const Bytes internal = Hex("187791b6f712a8ea41c8ecdd0ee77fab3e85263b37e1ec18a3651926b3a6cf27");
  std::copy(internal.begin(), internal.end(), disclosure.internal_key.begin());
  disclosure.tree = TapTree{TapLeaf{192, Hex("20d85a959b0290bf19bb89ed43c916be835475d013da4b362117393e25a48229b8ad")}, {}};
  auto output = TaprootOutputKey(disclosure);
  ASSERT_TRUE(output.has_value());
  EXPECT_NE(ToHex(*output), "147c9c57132f6e7ecddba9800bb0c4449251c92a1e60371ee77557b6620f3ea3");
  disclosure.tree.reset();  // no tree at all: also another key
  EXPECT_NE(ToHex(*TaprootOutputKey(disclosure)), "147c9c57132f6e7ecddba9800bb0c4449251c92a1e60371ee77557b6620f3ea3");
}

TEST(Taproot, AnInternalKeyOffTheCurveHasNoOutputKey) {
  TaprootDisclosure disclosure;
  disclosure.internal_key.fill(0xff);  // x >= p
  EXPECT_FALSE(TaprootOutputKey(disclosure).has_value());
}

// x-only keys from the BIP-341 vectors' leaves.
const std::string kA = "d85a959b0290bf19bb89ed43c916be835475d013da4b362117393e25a48229b8";
const std::string kB = "b617298552a72ade070667e86ca63b8f5789a9fe8731ef91202a91c9f3459007";
const std::string kC = "387671353e273264c495656e27e39ba899ea8fee3bb69fb2a680e22093447d48";

TapLeaf Leaf(const std::string& hex, std::uint8_t version = kTapscriptLeafVersion) { return TapLeaf{version, Hex(hex)}; }

TEST(Tapscript, ASingleKeyLeafIsOneOfThatKey) {
  auto policy = KeysInTapscript(Leaf("20" + kA + "ac"));
  ASSERT_TRUE(policy.ok()) << policy.error().message;
  EXPECT_EQ(*policy, (TapscriptPolicy{1, {Hex(kA)}}));
}

TEST(Tapscript, MultiAIsKOfN) {
  // multi_a(2,A,B,C): <A> OP_CHECKSIG <B> OP_CHECKSIGADD <C> OP_CHECKSIGADD OP_2 OP_NUMEQUAL.
  auto policy = KeysInTapscript(Leaf("20" + kA + "ac20" + kB + "ba20" + kC + "ba529c"));
  ASSERT_TRUE(policy.ok()) << policy.error().message;
  EXPECT_EQ(*policy, (TapscriptPolicy{2, {Hex(kA), Hex(kB), Hex(kC)}}));
  // 17 of 17: k is the one-byte push 0x11 (OP_17 does not exist).
  std::string script = "20" + kA + "ac";
  for (int i = 1; i < 17; ++i) script += "20" + kB + "ba";
  auto seventeen = KeysInTapscript(Leaf(script + "01119c"));
  ASSERT_TRUE(seventeen.ok()) << seventeen.error().message;
  EXPECT_EQ(seventeen->threshold, 17);
  EXPECT_EQ(seventeen->keys.size(), 17u);
}

TEST(Tapscript, EveryOtherShapeIsRefused) {
  const std::string multi = "20" + kA + "ac20" + kB + "ba20" + kC + "ba";
  const std::vector<std::pair<std::string, TapLeaf>> cases = {
      {"BIP-341 vector 3's leaf of version 250", Leaf("06424950333431", 250)},
      {"BIP-341 vector 4's push of 'Taproot'", Leaf("07546170726f6f74")},
      {"a single key with OP_CHECKSIGVERIFY and a timelock", Leaf("20" + kA + "ad029000b2")},
      {"a threshold above the key count", Leaf(multi + "549c")},
      {"a zero threshold", Leaf(multi + "009c")},
      {"a non-minimal threshold push", Leaf(multi + "01029c")},
      {"OP_NUMEQUALVERIFY", Leaf(multi + "529d")},
      {"trailing bytes", Leaf(multi + "529c51")},
      {"a 33-byte key", Leaf("2102" + kA + "ac")},
      {"a key off the curve", Leaf("20" + std::string(64, 'f') + "ac")},
      {"an empty script", Leaf("")},
  };
  for (const auto& [what, leaf] : cases) {
    EXPECT_FALSE(KeysInTapscript(leaf).ok()) << what;
  }
}

}  // namespace
}  // namespace segverify::chain
