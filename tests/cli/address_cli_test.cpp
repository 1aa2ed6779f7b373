// End-to-end: `segverify address inspect` as a user runs it (docs/DESIGN.md §Command line).
// Expected values come from BIP-350 / key_io_valid.json / EIP-55 vectors, not from segverify.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/support/test_support.h"

namespace segverify {
namespace {

using testing::CommandResult;
using testing::RunSegverify;

CommandResult InspectJson(const std::string& chain, const std::string& address) {
  return RunSegverify({"address", "inspect", "--chain", chain, "--json", address});
}
CommandResult InspectText(const std::string& chain, const std::string& address) {
  return RunSegverify({"address", "inspect", "--chain", chain, address});
}

TEST(AddressCli, BitcoinP2wpkhJson) {
  auto r = InspectJson("bitcoin", "bc1qvyq0cc6rahyvsazfdje0twl7ez82ndmuac2lhv");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"chain\":\"bitcoin\",\"type\":\"p2wpkh\",\"address\":\"bc1qvyq0cc6rahyvsazfdje0twl7ez82ndmuac2lhv\","
            "\"script_pubkey\":\"00146100fc6343edc8c874496cb2f5bbfec88ea9b77c\",\"network\":\"mainnet\"}\n");
  EXPECT_EQ(r.err, "");
}

TEST(AddressCli, UpperCaseBech32ShownLowerCase) {
  auto r = InspectJson("bitcoin", "BC1P0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQZK5JJ0");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"chain\":\"bitcoin\",\"type\":\"p2tr\",\"address\":"
            "\"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0\",\"script_pubkey\":"
            "\"512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798\",\"network\":\"mainnet\"}\n");
}

TEST(AddressCli, BitcoinP2pkhText) {
  auto r = InspectText("bitcoin", "1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("type: p2pkh\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("address: 1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("script_pubkey: 76a914a31c06bd463e3923bc1aadbde48b16976c08071788ac\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("network: mainnet\n"), std::string::npos) << r.out;
}

TEST(AddressCli, RegtestP2wshTextNamesNetwork) {
  auto r = InspectText("bitcoin", "bcrt1qan8gntac7z7me2ejt4hpru42ad2f759fmy0m3ejvs98656znv7eqga4uhv");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("type: p2wsh\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("network: regtest\n"), std::string::npos) << r.out;
}

TEST(AddressCli, BadChecksumIsExit2WithReason) {
  auto r = InspectJson("bitcoin", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("segverify: error: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("checksum"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(AddressCli, WrongBech32VariantIsExit2) {
  auto r = InspectText("bitcoin", "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bech32m"), std::string::npos) << r.err;
}

// Offline the type is "unknown": only a node can tell a contract from an EOA (`--rpc`, tested
// against anvil in tests/attest).
TEST(AddressCli, EthereumJsonIsEip55) {
  auto r = InspectJson("ethereum", "0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"chain\":\"ethereum\",\"type\":\"unknown\",\"address\":\"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359\","
            "\"note\":\"an EOA or a contract: the address alone cannot tell (give --rpc URL)\"}\n");
}

TEST(AddressCli, EthereumBadMixedCaseChecksumIsExit2) {
  // EIP-55 example 0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359 with its first 'B' lowered.
  auto r = InspectText("ethereum", "0xfb6916095ca1df60bB79Ce92cE3Ea74c37c5d359");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("EIP-55"), std::string::npos) << r.err;
}

TEST(AddressCli, AddressOfTheOtherChainIsExit2) {
  EXPECT_EQ(InspectText("ethereum", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4").exit_code, 2);
  EXPECT_EQ(InspectText("bitcoin", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359").exit_code, 2);
}

TEST(AddressCli, UsageErrorsAreExit2) {
  EXPECT_EQ(InspectText("litecoin", "x").exit_code, 2);
  // Without --chain the chain is detected (tests/cli/cli_rules_test.cpp); what decodes on no
  // chain is still exit 2.
  EXPECT_EQ(RunSegverify({"address", "inspect", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5"}).exit_code, 2);
  EXPECT_EQ(RunSegverify({"address", "inspect", "--chain", "bitcoin"}).exit_code, 2);
  auto help = RunSegverify({"address", "inspect", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--chain"), std::string::npos);
}

}  // namespace
}  // namespace segverify
