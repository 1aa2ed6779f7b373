// Starts tests/support/faulty_eth_node.py (an Ethereum JSON-RPC node that misbehaves on purpose)
// on a free loopback port for one test, and writes a minimal attestation config pointing at it.
// The node process is stopped (and waited for) on destruction, also when the test fails.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "common/json.h"
#include "tests/support/anvil.h"
#include "tests/support/test_support.h"

namespace segverify::testing {

class FaultyEthNode {
 public:
  // `fault`: see faulty_eth_node.py; it starts after `after` well-answered requests. `flags`: more
  // of its options (--count, --size, --tls-cert ..., --request-log ...); with --tls-cert the node
  // speaks https.
  explicit FaultyEthNode(const std::string& fault, int after = 0, double delay_seconds = 3.0,
                         const std::vector<std::string>& flags = {})
      : process_("python3", Args(fault, after, delay_seconds, flags), true),
        port_(process_.FirstLine(10000)),
        url_((std::find(flags.begin(), flags.end(), "--tls-cert") != flags.end() ? "https" : "http") +
             std::string("://127.0.0.1:") + port_) {}

  const std::string& url() const { return url_; }
  const std::string& port() const { return port_; }

 private:
  static std::vector<std::string> Args(const std::string& fault, int after, double delay_seconds,
                                       const std::vector<std::string>& flags) {
    std::vector<std::string> args = {SourcePath("tests/support/faulty_eth_node.py"),
                                     "--fault",
                                     fault,
                                     "--after",
                                     std::to_string(after),
                                     "--delay",
                                     std::to_string(delay_seconds)};
    args.insert(args.end(), flags.begin(), flags.end());
    return args;
  }

  ChildProcess process_;
  std::string port_;
  std::string url_;
};

// The address and EIP-191 signature of "Hello World" from fixtures/vectors/eip191-ethers-vectors.json
// (signed with ethers 6.17.0), so that with an honest node the attestation below is a PASS.
inline std::string HelloWorldSignature(const std::string& address) {
  auto doc = ParseJsonFile(SourcePath("fixtures/vectors/eip191-ethers-vectors.json"));
  if (!doc) throw std::runtime_error(doc.error().message);
  for (const auto& v : (**doc)["vectors"].GetArray()) {
    if (std::string(v["message"].GetString()) == "Hello World" && address == v["address"].GetString()) {
      return v["signature"].GetString();
    }
  }
  throw std::runtime_error("eip191 fixture has no Hello World vector for " + address);
}

inline constexpr const char* kFaultTestAddress = "0xFCAd0B19bB29D4674531d6f115237E16AfCE377c";

// The "sources" array of a config: one Ethereum source per URL of `urls`, in that order, each with
// `source_options` added to its object as it is.
inline std::string EthereumSourcesJson(const std::vector<std::string>& urls, const std::string& source_options = "") {
  std::string sources;
  for (const std::string& url : urls) {
    sources += std::string(sources.empty() ? "" : ",") + R"({"type":"ethereum","url":")" + url + "\"" +
               (source_options.empty() ? "" : "," + source_options) + "}";
  }
  return "[" + sources + "]";
}

// The "pools" and "firm" members of a config: pool "spot" (liabilities spot.csv) holding
// kFaultTestAddress, with its EIP-191 signature of "Hello World"; no firm address.
inline std::string FaultPoolAndFirmJson() {
  return R"("pools":[{"name":"spot","liabilities":"spot.csv","addresses":[{"chain":"ethereum","address":")" +
         std::string(kFaultTestAddress) + R"(","proof":{"type":"eip191","signature":")" +
         HelloWorldSignature(kFaultTestAddress) + R"("}}]}],"firm":{"addresses":[]})";
}

// One pool ("spot", 1.5 ETH of liabilities) whose one address the honest node credits with 10^6
// ETH, one Ethereum source at `node_url`, mainnet block 16. `source_options` is added to the
// source object as it is (e.g. R"("timeout_s":2,"batch":1)"). Returns the config's path.
// As WriteFaultConfig with one Ethereum source per URL of `node_urls`, in that order.
inline std::string WriteFaultConfigWithSources(const TempDir& dir, const std::vector<std::string>& node_urls,
                                               const std::string& source_options = "") {
  WriteFile(dir.File("spot.csv"), "account_id,ETH\nalice,1.5\n");
  const std::string config =
      R"({"format":"segverify-attestation/1","id":"faults-1","message":"Hello World",)"
      R"("assets":[{"symbol":"ETH","decimals":18,"chain":"ethereum"}],)"
      R"("chains":{"ethereum":{"block":16,"sources":)" +
      EthereumSourcesJson(node_urls, source_options) + "}}," + FaultPoolAndFirmJson() + "}";
  WriteFile(dir.File("config.json"), config);
  return dir.File("config.json");
}

inline std::string WriteFaultConfig(const TempDir& dir, const std::string& node_url,
                                    const std::string& source_options = "") {
  return WriteFaultConfigWithSources(dir, {node_url}, source_options);
}

}  // namespace segverify::testing
