// https to nodes (docs/DESIGN.md §Node transport): certificates made at test time by a throw-away
// CA (tests/support/servers/make_test_certs.sh). A node whose certificate chains to the CA given as ca_file
// works; an untrusted, expired or wrong-host certificate — or the test CA without ca_file, since
// the system store does not hold it — is could-not-check naming the source. Nothing turns
// verification off. Through the libraries, `balances --ca-file`, an attestation's per-source
// "ca_file" and `sig verify --rpc ... --ca-file` (ERC-1271 on anvil behind an https proxy).
#include <gtest/gtest.h>

#include <filesystem>

#include "clients/quorum.h"
#include "common/json.h"
#include "tests/support/bitcoin_test_server.h"
#include "tests/support/tls_test_support.h"
#include "tests/support/faulty_eth_node.h"
#include "tests/support/anvil.h"

namespace segverify::testing {
namespace {

using clients::BalanceQuery;
using clients::HttpOptions;
using clients::LiveTransports;
using clients::ReadChainBalances;
using clients::SourceConfig;
using clients::SourceType;

BalanceQuery BtcQuery() {
  BalanceQuery q;
  q.chain = Chain::kBitcoin;
  q.height = 120;
  for (const auto& a : ChainAddresses()) q.addresses.push_back({a.address, a.script_pubkey});
  q.assets.push_back({"BTC", std::nullopt});
  return q;
}

std::vector<SourceConfig> CoreAndEsplora(const BitcoinTestServer& server) {
  return {{SourceType::kBitcoinCore, server.core_url(), "", "bitcoin source 1"},
          {SourceType::kEsplora, server.url(), "", "bitcoin source 2"}};
}

HttpOptions Trusting(const std::string& ca_file) {
  HttpOptions options;
  options.ca_file = ca_file;
  return options;
}

TEST(Https, NodeTrustedThroughCaFileAnswers) {
  const auto& certs = TestCerts::Get();
  BitcoinTestServer server(certs.ServerFlags());
  ASSERT_EQ(server.url().rfind("https://", 0), 0u);
  auto result = ReadChainBalances(BtcQuery(), CoreAndEsplora(server), LiveTransports(Trusting(certs.CaFile())));
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_TRUE(result->disagreements.empty());
  EXPECT_EQ(result->balances.size(), ChainAddresses().size());
  // The same CA given per source (a config's "ca_file") instead of for the whole run.
  auto sources = CoreAndEsplora(server);
  for (auto& s : sources) s.ca_file = certs.CaFile();
  auto per_source = ReadChainBalances(BtcQuery(), sources, LiveTransports());
  ASSERT_TRUE(per_source.ok()) << per_source.error().message;
}

TEST(Https, RefusedCertificatesAreCouldNotCheck) {
  const auto& certs = TestCerts::Get();
  struct Case {
    std::string cert;
    std::string ca_file;
  };
  // untrusted: signed by another CA; expired: January 2020; wronghost: for example.invalid only;
  // server + no ca_file: the system store does not know the test CA.
  for (const Case& c : {Case{"untrusted", certs.CaFile()}, Case{"expired", certs.CaFile()},
                        Case{"wronghost", certs.CaFile()}, Case{"server", ""}}) {
    SCOPED_TRACE(c.cert + (c.ca_file.empty() ? " with the system store" : ""));
    BitcoinTestServer server(certs.ServerFlags(c.cert));
    for (const auto& source : CoreAndEsplora(server)) {
      auto result = ReadChainBalances(BtcQuery(), {source}, LiveTransports(Trusting(c.ca_file)));
      ASSERT_FALSE(result.ok()) << "a refused certificate was accepted";
      EXPECT_NE(result.error().message.find(clients::Display(source)), std::string::npos) << result.error().message;
      EXPECT_NE(result.error().message.find("TLS certificate not accepted"), std::string::npos)
          << result.error().message;
    }
  }
}

TEST(Https, BalancesCliTakesCaFile) {
  const auto& certs = TestCerts::Get();
  BitcoinTestServer server(certs.ServerFlags());
  std::vector<std::string> args = EsploraBalancesArgs(server);
  auto refused = RunSegverify(args);
  EXPECT_EQ(refused.exit_code, 2) << refused.out;
  EXPECT_NE(refused.err.find("bitcoin source 1 (" + server.url() + "): TLS certificate not accepted"),
            std::string::npos)
      << refused.err;
  args.insert(args.begin() + 1, {"--ca-file", certs.CaFile()});
  auto trusted = RunSegverify(args);
  EXPECT_EQ(trusted.exit_code, 0) << trusted.err;
  EXPECT_NE(trusted.out.find(ChainAddresses()[0].address + " 0.6 BTC"), std::string::npos) << trusted.out;
}

TEST(Https, AttestationSourceCaFileIsRelativeToTheConfig) {
  const auto& certs = TestCerts::Get();
  FaultyEthNode node("none", 0, 0.5, certs.ServerFlags());
  TempDir dir;
  std::filesystem::create_directories(dir.File("certs"));
  std::filesystem::copy_file(certs.CaFile(), dir.File("certs/ca.pem"));
  std::filesystem::copy_file(certs.OtherCaFile(), dir.File("certs/other.pem"));
  auto pass = RunSegverify({"attest", WriteFaultConfig(dir, node.url(), R"("ca_file":"certs/ca.pem")"), "--out",
                            dir.File("out"), "--quiet"});
  EXPECT_EQ(pass.exit_code, 0) << pass.out << pass.err;
  auto wrong_ca = RunSegverify({"attest", WriteFaultConfig(dir, node.url(), R"("ca_file":"certs/other.pem")"), "--out",
                                dir.File("out2"), "--quiet"});
  EXPECT_EQ(wrong_ca.exit_code, 2) << wrong_ca.out;
  EXPECT_NE(wrong_ca.err.find("TLS certificate not accepted"), std::string::npos) << wrong_ca.err;
  auto missing = RunSegverify({"attest", WriteFaultConfig(dir, node.url(), R"("ca_file":"certs/none.pem")"), "--out",
                               dir.File("out3"), "--quiet"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("ca_file: no such file"), std::string::npos) << missing.err;
}

TEST(Https, SigVerifyRpcTakesCaFile) {
  // An ERC-1271 vault owned by the EIP-191 fixture's "Hello World" signer, on anvil behind https.
  AnvilNode node;
  const std::string vault = node.Deploy("Vault1271", AbiAddressWord(kFaultTestAddress));
  TlsProxy proxy(node.url());
  std::vector<std::string> args = {"sig",         "verify",
                                   "--chain",     "ethereum",
                                   "--address",   vault,
                                   "--message",   "Hello World",
                                   "--signature", HelloWorldSignature(kFaultTestAddress),
                                   "--type",      "erc1271",
                                   "--rpc",       proxy.url(),
                                   "--block",     std::to_string(node.BlockNumber())};
  auto refused = RunSegverify(args);
  EXPECT_EQ(refused.exit_code, 2) << refused.out;
  EXPECT_NE(refused.err.find("TLS certificate not accepted"), std::string::npos) << refused.err;
  args.insert(args.end(), {"--ca-file", TestCerts::Get().CaFile(), "--timeout", "20"});
  auto valid = RunSegverify(args);
  EXPECT_EQ(valid.exit_code, 0) << valid.out << valid.err;
  EXPECT_EQ(valid.out.rfind("valid: ", 0), 0u) << valid.out;
}

}  // namespace
}  // namespace segverify::testing
