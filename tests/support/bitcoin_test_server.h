// Starts tests/support/servers/bitcoin_test_server.py (Bitcoin Core RPC + Esplora REST over a chain file:
// tests/support/servers/bitcoin_chain.json by default, bitcoin_chain_history.json for balances at a past
// height) on a free loopback port for one test; stopped on destruction.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "clients/evidence.h"
#include "common/json.h"
#include "tests/support/anvil.h"
#include "tests/support/test_support.h"

namespace segverify::testing {

class BitcoinTestServer {
 public:
  // `flags` as the server's --help lists them; with --tls-cert the server speaks https.
  explicit BitcoinTestServer(const std::vector<std::string>& flags = {}, const std::string& chain_file = ChainFile())
      : process_("python3", Args(flags, chain_file), true),
        port_(std::stoi(process_.FirstLine(10000))),
        scheme_(std::find(flags.begin(), flags.end(), "--tls-cert") != flags.end() ? "https" : "http") {}

  std::string url() const { return scheme_ + "://127.0.0.1:" + std::to_string(port_); }
  // Bitcoin Core URL with the server's default credentials in the userinfo.
  std::string core_url() const { return scheme_ + "://user:pass@127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }
  void Stop() { process_.Stop(); }

  static std::string ChainFile() { return SourcePath("tests/support/servers/bitcoin_chain.json"); }
  // Pin 200, tip 260, hand-computed balances at both; 43 then 65 transactions for p2wpkh.
  static std::string HistoryChainFile() { return SourcePath("tests/support/servers/bitcoin_chain_history.json"); }

 private:
  static std::vector<std::string> Args(const std::vector<std::string>& flags, const std::string& chain_file) {
    std::vector<std::string> args = {SourcePath("tests/support/servers/bitcoin_test_server.py"), "--chain", chain_file};
    args.insert(args.end(), flags.begin(), flags.end());
    return args;
  }

  ChildProcess process_;
  int port_;
  std::string scheme_;
};

// The test chain's named addresses (in the chain file's order) and hand-computed expected balances
// (the chain file's "expected").
struct ChainAddress {
  std::string name;
  std::string address;
  std::string script_pubkey;
};

inline std::vector<ChainAddress> ChainAddresses(const std::string& chain_file = BitcoinTestServer::ChainFile()) {
  auto doc = ParseJsonFile(chain_file);
  EXPECT_TRUE(doc.ok());
  std::vector<ChainAddress> out;
  for (const auto& member : (**doc)["addresses"].GetObject()) {
    out.push_back(
        {member.name.GetString(), member.value["address"].GetString(), member.value["scriptpubkey"].GetString()});
  }
  return out;
}

inline std::uint64_t ExpectedSatoshis(const std::string& height, const std::string& name,
                                      const std::string& chain_file = BitcoinTestServer::ChainFile()) {
  auto doc = ParseJsonFile(chain_file);
  EXPECT_TRUE(doc.ok());
  return (**doc)["expected"][height.c_str()][name.c_str()].GetUint64();
}

}  // namespace segverify::testing

namespace segverify::testing {

// JSON lines of `text`, one document each.
inline std::vector<std::unique_ptr<JsonDocument>> JsonLines(const std::string& text, const std::string& path) {
  std::vector<std::unique_ptr<JsonDocument>> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    auto doc = ParseJson(text.substr(start, end - start), path);
    EXPECT_TRUE(doc.ok());
    if (doc) out.push_back(std::move(*doc));
    start = end + 1;
  }
  return out;
}

// The test servers' --request-log: one JSON object per line (tests/support/servers/server_common.py).
inline std::vector<std::unique_ptr<JsonDocument>> ReadRequestLog(const std::string& path) {
  return JsonLines(FileExists(path) ? ReadFile(path) : "", path);
}

// An evidence file's lines (clients/evidence.h: gzip, or plain in older recordings).
inline std::vector<std::unique_ptr<JsonDocument>> ReadEvidenceLog(const std::string& path) {
  auto text = clients::ReadEvidenceFile(path);
  EXPECT_TRUE(text.ok()) << text.error().message;
  return JsonLines(text.ok() ? *text : "", path);
}

// JSON-RPC calls of `method` in a Bitcoin test server's log; with `action`, only those whose
// first parameter is that action ("start", "status", "abort").
inline int CountRpcCalls(const std::string& log_path, const std::string& method, const std::string& action = "") {
  int n = 0;
  for (const auto& entry : ReadRequestLog(log_path)) {
    if (!entry->HasMember("method") || !(*entry)["method"].IsString() || method != (*entry)["method"].GetString())
      continue;
    if (!action.empty()) {
      const auto& params = (*entry)["params"];
      if (!params.IsArray() || params.Empty() || !params[0].IsString() || action != params[0].GetString()) continue;
    }
    ++n;
  }
  return n;
}

}  // namespace segverify::testing
