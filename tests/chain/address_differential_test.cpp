// Differential test against bitcoinjs-lib (tests/chain/oracle_addresses.js): fresh random keys
// → P2PKH, P2SH-P2WPKH, P2WPKH, P2TR, 2-of-3 P2WSH and P2SH-P2WSH on mainnet/testnet/regtest.
// segverify must decode each to the oracle's type, network, program and scriptPubKey, parse the
// multisig script to the oracle's policy and match it to the address; and refuse base58 addresses
// with foreign version bytes. The CLI's --json output is checked for a sample too.
#include <gtest/gtest.h>

#include "tests/support/fixture_json.h"
#include "verifier/chain/bitcoin_address.h"
#include "verifier/chain/multisig_script.h"

namespace segverify {
namespace {

using testing::HexOrDie;
using testing::StringArray;

constexpr int kRounds = 30;  // per round: 7 addresses, on a rotating network

std::unique_ptr<JsonDocument> RunOracle() {
  auto r =
      testing::RunProgram("node", {testing::SourcePath("tests/chain/oracle_addresses.js"), std::to_string(kRounds)});
  if (r.exit_code != 0) {
    ADD_FAILURE() << "oracle failed (exit " << r.exit_code << "): " << r.err;
    return nullptr;
  }
  auto doc = ParseJson(r.out, "oracle_addresses.js");
  if (!doc) {
    ADD_FAILURE() << doc.error().message;
    return nullptr;
  }
  return std::move(doc.value());
}

TEST(AddressDifferential, AgreesWithBitcoinjsOnFreshKeys) {
  auto doc = RunOracle();
  ASSERT_TRUE(doc);
  ASSERT_TRUE(doc->IsArray());
  ASSERT_EQ(doc->Size(), static_cast<unsigned>(kRounds * 6 + 2));
  int decoded_count = 0;
  int refused_count = 0;
  int scripts_checked = 0;
  for (const auto& item : doc->GetArray()) {
    const std::string text = item["address"].GetString();
    auto decoded = chain::DecodeBitcoinAddress(text);
    if (item.HasMember("expect_error")) {
      EXPECT_FALSE(decoded.ok()) << text;
      if (!decoded.ok()) {
        EXPECT_NE(decoded.error().message.find("version byte"), std::string::npos);
      }
      ++refused_count;
      continue;
    }
    ASSERT_TRUE(decoded.ok()) << text << ": " << decoded.error().message;
    EXPECT_EQ(chain::ToString(decoded->type), item["type"].GetString()) << text;
    EXPECT_EQ(chain::ToString(decoded->network), item["network"].GetString()) << text;
    EXPECT_EQ(ToHex(decoded->script_pubkey), item["script_pubkey"].GetString()) << text;
    EXPECT_EQ(ToHex(decoded->program), item["program"].GetString()) << text;
    EXPECT_EQ(decoded->canonical, text);
    ++decoded_count;

    if (item.HasMember("witness_script")) {
      const Bytes witness_script = HexOrDie(item["witness_script"].GetString());
      auto match = chain::CheckScriptMatchesAddress(*decoded, witness_script);
      ASSERT_TRUE(match.ok()) << text << ": " << match.error().message;
      EXPECT_EQ(*match, chain::ScriptMatch::kMatches) << text;
      auto policy = chain::ParseMultisigScript(witness_script);
      ASSERT_TRUE(policy.ok()) << text << ": " << policy.error().message;
      EXPECT_EQ(policy->threshold, item["m"].GetInt());
      std::vector<std::string> keys;
      for (const auto& key : policy->keys) keys.push_back(ToHex(key));
      EXPECT_EQ(keys, StringArray(item["keys"]));
      // A one-byte change to the script (threshold 2 → 1) no longer matches the address.
      Bytes tampered = witness_script;
      tampered[0] = 0x51;
      EXPECT_EQ(chain::CheckScriptMatchesAddress(*decoded, tampered).value(), chain::ScriptMatch::kMismatch);
      ++scripts_checked;
    }
  }
  EXPECT_EQ(decoded_count, kRounds * 6);
  EXPECT_EQ(refused_count, 2);
  EXPECT_EQ(scripts_checked, kRounds * 2);
}

TEST(AddressDifferential, CliJsonAgreesWithBitcoinjs) {
  auto doc = RunOracle();
  ASSERT_TRUE(doc);
  int checked = 0;
  for (const auto& item : doc->GetArray()) {
    if (item.HasMember("expect_error") || checked >= 12) continue;
    const std::string text = item["address"].GetString();
    auto r = testing::RunSegverify({"address", "inspect", "--chain", "bitcoin", "--json", text});
    ASSERT_EQ(r.exit_code, 0) << text << ": " << r.err;
    auto out = ParseJson(r.out, "segverify output");
    ASSERT_TRUE(out.ok()) << r.out;
    const auto& json = *out.value();
    EXPECT_EQ(std::string(json["chain"].GetString()), "bitcoin");
    EXPECT_EQ(std::string(json["type"].GetString()), item["type"].GetString()) << text;
    EXPECT_EQ(std::string(json["address"].GetString()), text);
    EXPECT_EQ(std::string(json["script_pubkey"].GetString()), item["script_pubkey"].GetString()) << text;
    EXPECT_EQ(std::string(json["network"].GetString()), item["network"].GetString()) << text;
    ++checked;
  }
  EXPECT_EQ(checked, 12);
}

}  // namespace
}  // namespace segverify
