// Starts tests/servers/bitcoin_test_server.py (Bitcoin Core RPC + Esplora REST over the chain in
// tests/servers/bitcoin_chain.json) on a free loopback port for one test; stopped on destruction.
#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/json.h"
#include "tests/support/anvil.h"
#include "tests/support/test_support.h"

namespace segverify::testing {

class BitcoinTestServer {
 public:
  explicit BitcoinTestServer(const std::vector<std::string>& flags = {})
      : process_("python3", Args(flags), true), port_(std::stoi(process_.FirstLine(10000))) {}

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // Bitcoin Core URL with the server's default credentials in the userinfo.
  std::string core_url() const { return "http://user:pass@127.0.0.1:" + std::to_string(port_); }
  void Stop() { process_.Stop(); }

  static std::string ChainFile() { return SourcePath("tests/servers/bitcoin_chain.json"); }

 private:
  static std::vector<std::string> Args(const std::vector<std::string>& flags) {
    std::vector<std::string> args = {SourcePath("tests/servers/bitcoin_test_server.py"), "--chain", ChainFile()};
    args.insert(args.end(), flags.begin(), flags.end());
    return args;
  }

  ChildProcess process_;
  int port_;
};

// The test chain's named addresses and hand-computed expected balances (chain file "expected").
struct ChainAddress {
  std::string name;
  std::string address;
  std::string script_pubkey;
};

inline std::vector<ChainAddress> ChainAddresses() {
  auto doc = ParseJsonFile(BitcoinTestServer::ChainFile());
  EXPECT_TRUE(doc.ok());
  std::vector<ChainAddress> out;
  for (const char* name : {"p2wpkh", "p2wsh", "p2tr", "p2pkh"}) {
    const auto& a = (**doc)["addresses"][name];
    out.push_back({name, a["address"].GetString(), a["scriptpubkey"].GetString()});
  }
  return out;
}

inline std::uint64_t ExpectedSatoshis(const std::string& height, const std::string& name) {
  auto doc = ParseJsonFile(BitcoinTestServer::ChainFile());
  EXPECT_TRUE(doc.ok());
  return (**doc)["expected"][height.c_str()][name.c_str()].GetUint64();
}

}  // namespace segverify::testing
