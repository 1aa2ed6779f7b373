// Pins verifier/attest/attestation_config.*: a valid config loads; every kind of bad config is an
// error naming the JSON path at fault (unknown fields/types/chains are never ignored).
#include "verifier/attest/attestation_config.h"

#include <gtest/gtest.h>

#include "tests/support/test_support.h"

namespace segverify::attest {
namespace {

using segverify::testing::TempDir;
using segverify::testing::WriteFile;

// Addresses from BIP-173's examples and EIP-55's examples (public test vectors).
const std::string kValid = R"({
 "format":"segverify-attestation/1","id":"2026-11","message":"Example attestation 2026-11",
 "assets":[{"symbol":"BTC","decimals":8,"chain":"bitcoin"},{"symbol":"ETH","decimals":18,"chain":"ethereum"},
           {"symbol":"USDT","decimals":6,"chain":"ethereum","contract":"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"}],
 "chains":{"bitcoin":{"height":870000,"sources":[{"type":"bitcoin-core","url":"http://127.0.0.1:8332","auth":"u:p"},
                                                {"type":"esplora","url":"http://127.0.0.1:3000"}]},
           "ethereum":{"block":21000000,"sources":[{"type":"ethereum","url":"http://127.0.0.1:8545"}]}},
 "pools":[{"name":"spot","liabilities":"spot.csv","addresses":[
   {"chain":"bitcoin","address":"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4","proof":{"type":"bip322","signature":"AA=="}},
   {"chain":"ethereum","address":"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359","proof":{"type":"eip191","signature":"0x00"}}]}],
 "firm":{"addresses":[{"chain":"bitcoin","address":"BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4"}],
         "keys":["0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"]}})";

Result<AttestationConfig> Load(const std::string& text) {
  TempDir dir;
  WriteFile(dir.File("config.json"), text);
  auto config = LoadAttestationConfig(dir.File("config.json"));
  if (!config) return Error{config.error().message.substr(config.error().message.find("config.json"))};
  return config;
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST(AttestationConfig, LoadsValidConfig) {
  auto config = Load(kValid);
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->id, "2026-11");
  ASSERT_EQ(config->pools.size(), 1u);
  EXPECT_EQ(config->pools[0].addresses.size(), 2u);
  EXPECT_NE(config->pools[0].liabilities_path.find("/spot.csv"), std::string::npos);
  EXPECT_EQ(config->chains.size(), 2u);
  EXPECT_EQ(config->chains[0].height, 870000u);
  EXPECT_EQ(config->chains[0].sources[0].auth, "u:p");
  EXPECT_FALSE(config->firm_addresses[0].proof_type.has_value());
  EXPECT_EQ(config->firm_keys.size(), 1u);
  EXPECT_EQ(config->sha256.size(), 64u);
}

// A large exchange's config (100,000 addresses is ~22 MB) loads; only a file over the published-file
// bound is refused, by size, before any parsing. Padding with JSON whitespace keeps it valid.
TEST(AttestationConfig, SizeBoundIsThePublishedFileBound) {
  std::string large = kValid;
  large.insert(1, 20u << 20, ' ');  // 20 MiB: over the old 16 MiB bound, under 64 MiB
  auto config = Load(large);
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->id, "2026-11");

  std::string too_large = kValid;
  too_large.insert(1, report::kMaxPublishedFileBytes, ' ');
  auto refused = Load(too_large);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("larger than " + std::to_string(report::kMaxPublishedFileBytes)),
            std::string::npos)
      << refused.error().message;
}

TEST(AttestationConfig, ErrorsNameTheJsonPath) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {Replace(kValid, R"("id":"2026-11",)", R"("id":"2026-11","extra":true,)"), "config.json: extra: unknown field"},
      {Replace(kValid, R"("format":"segverify-attestation/1")", R"("format":"segverify-attestation/2")"),
       "config.json: format: unsupported format"},
      {Replace(kValid, R"("decimals":8,"chain":"bitcoin")", R"("decimals":8,"chain":"litecoin")"),
       "config.json: assets[0].chain: unknown chain \"litecoin\""},
      {Replace(kValid, R"({"type":"esplora")", R"({"type":"electrum")"),
       "config.json: chains.bitcoin.sources[1].type: unknown source type \"electrum\""},
      {Replace(kValid, R"("type":"bip322")", R"("type":"bip999")"),
       "config.json: pools[0].addresses[0].proof.type: unknown proof type \"bip999\""},
      {Replace(kValid, R"("type":"bip322")", R"("type":"eip191")"),
       "config.json: pools[0].addresses[0].proof.type: eip191 proofs do not apply to bitcoin addresses"},
      // BIP-173's testnet example address.
      {Replace(kValid, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx"),
       "config.json: pools[0].addresses[0].address: testnet address in a mainnet attestation"},
      {Replace(kValid, "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359", "0xFb6916095ca1df60bB79Ce92cE3Ea74c37c5d359"),
       "config.json: pools[0].addresses[1].address:"},
      {Replace(kValid, R"("chain":"ethereum","address")", R"("chain":"solana","address")"),
       "config.json: pools[0].addresses[1].chain: unknown chain \"solana\""},
      {Replace(kValid, R"("block":21000000)", R"("height":21000000)"), "config.json: chains.ethereum.height: unknown field"},
      {Replace(kValid, R"("name":"spot")", R"("name":"../etc")"), "config.json: pools[0].name: pool names are"},
      {Replace(kValid, R"("keys":["02)", R"("keys":["05)"), "config.json: firm.keys[0]: not a valid secp256k1 public key"},
      {Replace(kValid, R"("sources":[{"type":"ethereum","url":"http://127.0.0.1:8545"}])", R"("sources":[])"),
       "config.json: chains.ethereum.sources: needs at least one source"},
      {"{\"format\":", "config.json: invalid JSON"},
  };
  for (const auto& [text, expected] : cases) {
    SCOPED_TRACE(expected);
    auto config = Load(text);
    ASSERT_FALSE(config.ok());
    EXPECT_EQ(config.error().message.rfind(expected, 0), 0u) << config.error().message;
  }
}

// The "taproot" disclosure (docs/FORMAT.md §7): parsed into the internal key and tree, refused
// with the path at fault otherwise. BIP-86's first receiving address and its internal key
// (https://github.com/bitcoin/bips/blob/master/bip-0086.mediawiki, "Test vectors").
TEST(AttestationConfig, TaprootDisclosure) {
  const std::string p2tr =
      R"({"chain":"bitcoin","address":"bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr",)";
  const std::string key = "cc8a4bc64d897bddc5fbc2f670f7a8ba0b386779106cf1223c6fc5d7cd6fc115";
  const std::string leaf = R"({"script":"20)" + key + R"(ac"})";
  auto with = [&](const std::string& taproot) {
    return Replace(kValid, R"({"chain":"bitcoin","address":"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",)",
                   p2tr + R"("taproot":)" + taproot + ",");
  };
  auto config = Load(with(R"({"internal_key":")" + key + R"(","tree":[)" + leaf + R"(,[)" + leaf +
                          R"(,{"script":"51","leaf_version":250}]]})"));
  ASSERT_TRUE(config.ok()) << config.error().message;
  const auto& taproot = config->pools[0].addresses[0].taproot;
  ASSERT_TRUE(taproot.has_value());
  EXPECT_EQ(ToHex(taproot->internal_key), key);
  ASSERT_TRUE(taproot->tree.has_value());
  const auto leaves = chain::TapLeaves(*taproot->tree);
  ASSERT_EQ(leaves.size(), 3u);
  EXPECT_EQ(leaves[0]->version, 192);
  EXPECT_EQ(leaves[2]->version, 250);
  EXPECT_EQ(ToHex(leaves[2]->script), "51");
  auto bip86 = Load(with(R"({"internal_key":")" + key + R"("})"));
  ASSERT_TRUE(bip86.ok()) << bip86.error().message;
  EXPECT_FALSE(bip86->pools[0].addresses[0].taproot->tree.has_value());

  const std::string at = "config.json: pools[0].addresses[0].taproot";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {Replace(kValid, R"("address":"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",)",
               R"("address":"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4","taproot":{"internal_key":")" + key + R"("},)"),
       at + ": only p2tr addresses have a taproot disclosure"},
      {with(R"({"internal_key":")" + std::string(64, 'f') + R"("})"), at + ".internal_key: expected 64 hex digits"},
      {with(R"({"internal_key":"02)" + key + R"("})"), at + ".internal_key: expected 64 hex digits"},
      {with(R"({"internal_key":")" + key + R"(","tree":[)" + leaf + "]}"), at + ".tree: a branch of a script tree"},
      {with(R"({"internal_key":")" + key + R"(","tree":[)" + leaf + "," + leaf + "," + leaf + "]}"),
       at + ".tree: a branch of a script tree"},
      {with(R"({"internal_key":")" + key + R"(","tree":{"script":"51","leaf_version":193}})"),
       at + ".tree.leaf_version: expected an even number"},
      {with(R"({"internal_key":")" + key + R"(","tree":[)" + leaf + R"(,{"script":"zz"}]})"),
       at + ".tree[1].script: expected hex"},
      {with(R"({"internal_key":")" + key + R"(","tree":"51"})"), at + ".tree: expected a leaf"},
      {with(R"({"internal_key":")" + key + R"(","merkle_root":"00"})"), at + ".merkle_root: unknown field"},
  };
  for (const auto& [text, expected] : cases) {
    SCOPED_TRACE(expected);
    auto refused = Load(text);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().message.rfind(expected, 0), 0u) << refused.error().message;
  }
}

TEST(AttestationConfig, AssetOnUnconfiguredChainIsAnError) {
  std::string text = Replace(kValid, R"("bitcoin":{"height":870000,"sources":[{"type":"bitcoin-core","url":"http://127.0.0.1:8332","auth":"u:p"},
                                                {"type":"esplora","url":"http://127.0.0.1:3000"}]},
           )", "");
  auto config = Load(text);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("chains: asset BTC is on bitcoin, which has no entry in chains"), std::string::npos)
      << config.error().message;
}

}  // namespace
}  // namespace segverify::attest

namespace segverify::attest {
namespace {

// Source options (docs/DESIGN.md §Node transport): parsed, paths resolved against the config's
// directory, each source labelled by its chain and place; misuse is an error naming the field and
// never repeating a URL.
TEST(AttestationConfig, SourceOptions) {
  TempDir dir;
  WriteFile(dir.File("ca.pem"), "not checked here\n");
  std::string text =
      Replace(kValid, R"({"type":"bitcoin-core","url":"http://127.0.0.1:8332","auth":"u:p"})",
              R"({"type":"bitcoin-core","url":"http://127.0.0.1:8332","cookie_file":"node/.cookie","timeout_s":2.5})");
  text = Replace(
      text, R"({"type":"ethereum","url":"http://127.0.0.1:8545"})",
      R"({"type":"ethereum","url":"https://127.0.0.1:8545/v3/KEY","ca_file":"ca.pem","batch":20,"timeout_s":90})");
  WriteFile(dir.File("config.json"), text);
  auto config = LoadAttestationConfig(dir.File("config.json"));
  ASSERT_TRUE(config.ok()) << config.error().message;
  const auto* bitcoin = config->FindChain("bitcoin");
  const auto* ethereum = config->FindChain("ethereum");
  ASSERT_TRUE(bitcoin != nullptr && ethereum != nullptr);
  EXPECT_EQ(ethereum->chain_id, 1u);
  const auto& core = bitcoin->sources[0];
  EXPECT_EQ(core.label, "bitcoin source 1");
  EXPECT_EQ(bitcoin->sources[1].label, "bitcoin source 2");
  EXPECT_EQ(core.cookie_file, dir.File("node/.cookie"));
  EXPECT_EQ(core.timeout, std::optional<std::chrono::milliseconds>(2500));
  EXPECT_TRUE(core.auth.empty());
  const auto& eth = ethereum->sources[0];
  EXPECT_EQ(eth.label, "ethereum source 1");
  EXPECT_EQ(eth.ca_file, dir.File("ca.pem"));
  EXPECT_EQ(eth.batch, std::optional<std::size_t>(20));
  EXPECT_EQ(eth.timeout, std::optional<std::chrono::milliseconds>(90000));
}

TEST(AttestationConfig, SourceOptionErrors) {
  const std::string core = R"({"type":"bitcoin-core","url":"http://127.0.0.1:8332","auth":"u:p"})";
  const std::string esplora = R"({"type":"esplora","url":"http://127.0.0.1:3000"})";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {Replace(kValid, esplora, R"({"type":"esplora","url":"http://127.0.0.1:3000","batch":5})"),
       "config.json: chains.bitcoin.sources[1].batch: only ethereum sources batch requests"},
      {Replace(kValid, core, R"({"type":"bitcoin-core","url":"http://127.0.0.1:8332","auth":"u:p","cookie_file":"c"})"),
       "config.json: chains.bitcoin.sources[0]: give auth or cookie_file, not both"},
      {Replace(kValid, esplora, R"({"type":"esplora","url":"http://127.0.0.1:3000","auth":"u:p"})"),
       "config.json: chains.bitcoin.sources[1]: auth and cookie_file are for bitcoin-core sources"},
      {Replace(kValid, esplora, R"({"type":"esplora","url":"http://127.0.0.1:3000","timeout_s":0})"),
       "config.json: chains.bitcoin.sources[1].timeout_s: expected seconds"},
      {Replace(kValid, esplora, R"({"type":"esplora","url":"http://127.0.0.1:3000","ca_file":"missing.pem"})"),
       "config.json: chains.bitcoin.sources[1].ca_file: no such file"},
      {Replace(kValid, esplora, R"({"type":"esplora","url":"http://127.0.0.1:3000","proxy":"x"})"),
       "config.json: chains.bitcoin.sources[1].proxy: unknown field"},
      {Replace(kValid, esplora, R"({"type":"esplora","url":"http://u:s3cret@h st:3000/KEY9"})"),
       "config.json: chains.bitcoin.sources[1].url: source URL: bad host"},
  };
  for (const auto& [text, expected] : cases) {
    SCOPED_TRACE(expected);
    auto config = Load(text);
    ASSERT_FALSE(config.ok());
    EXPECT_EQ(config.error().message.rfind(expected, 0), 0u) << config.error().message;
    EXPECT_EQ(config.error().message.find("s3cret"), std::string::npos);
    EXPECT_EQ(config.error().message.find("KEY9"), std::string::npos);
  }
}

}  // namespace
}  // namespace segverify::attest
