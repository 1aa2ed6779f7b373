// Test harness for the status server (header-only: tests/<area>/ builds only *_test.cpp files).
// Real trees and proofs are made with the segverify CLI (tree build / proof export), report
// directories are composed around their roots, and RunningServer runs the server in-process on a
// free loopback port, always stopped and joined by its destructor (also when a test fails).
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include <httplib.h>
#include <gtest/gtest.h>

#include "common/json.h"
#include "tests/support/test_support.h"
#include "verifier/server/status_server.h"

namespace segverify::testing {

struct TreeFixture {
  std::string root_hash;
  std::string sums_json;  // e.g. ["21.5","4.25"]
  unsigned height = 0;
  std::string alice_proof;  // proof JSON text for account "alice"
};

inline constexpr const char* kLiabilitiesCsv =
    "account_id,BTC,ETH\nalice,0.5,1.25\nbob,1,0\ncarol,0.00000001,3\ndave,20,0\n";

// `tree build` + `proof export --account alice` into dir/<name>; nonce key = key_byte repeated.
inline TreeFixture BuildTree(const std::string& dir, const std::string& name, const std::string& key_byte) {
  const std::string csv = dir + "/" + name + ".csv";
  WriteFile(csv, kLiabilitiesCsv);
  std::string key;
  for (int i = 0; i < 32; ++i) key += key_byte;
  const std::string out = dir + "/" + name;
  auto built = RunSegverify({"tree", "build", "--liabilities", csv, "--assets", "BTC:8,ETH:18", "--out", out,
                             "--pool", "spot", "--no-shuffle", "--nonce-key", key, "--quiet"});
  if (built.exit_code != 0) throw std::runtime_error("tree build failed: " + built.err);
  auto proof = RunSegverify({"proof", "export", "--tree", out, "--account", "alice"});
  if (proof.exit_code != 0) throw std::runtime_error("proof export failed: " + proof.err);
  auto root = ParseJsonFile(out + "/root.json");
  if (!root) throw std::runtime_error(root.error().message);
  TreeFixture tree;
  tree.root_hash = (**root)["hash"].GetString();
  tree.sums_json = JsonToString((**root)["sums"]);
  tree.height = (**root)["height"].GetUint();
  tree.alice_proof = proof.out;
  return tree;
}

// Writes reports/<id>/report.json: one pool "spot" with `tree`'s root, both assets covered; a FAIL
// report carries an error finding and an ERROR report a could-not-check line, as attest writes them
// (the reader refuses a verdict its contents do not call for).
inline void WriteReport(const std::string& reports, const std::string& id, const std::string& verdict,
                        const TreeFixture& tree) {
  std::filesystem::create_directories(reports + "/" + id);
  const std::string findings = verdict == "FAIL"
                                   ? R"([{"check":"overlap","subject":"bc1qx","detail":"address is in pool spot and in firm","severity":"error"}])"
                                   : "[]";
  const std::string errors = verdict == "ERROR" ? R"(["bitcoin source 1 could not be reached"])" : "[]";
  WriteFile(reports + "/" + id + "/report.json",
            "{\"format\":\"segverify-report/1\",\"id\":\"" + id + "\",\"verdict\":\"" + verdict + "\","
            "\"message\":\"Example Exchange attestation " + id + "\","
            "\"chains\":{\"bitcoin\":{\"height\":870000,\"block_hash\":\"" + std::string(64, 'a') +
            "\",\"sources\":[\"bitcoin-core\"]}},"
            "\"pools\":[{\"name\":\"spot\",\"holds\":true,\"accounts\":10,\"root\":{\"hash\":\"" + tree.root_hash +
            "\",\"sums\":" + tree.sums_json + ",\"height\":" + std::to_string(tree.height) + "},"
            "\"assets\":[{\"symbol\":\"BTC\",\"decimals\":8,\"liabilities\":\"21.50000001\",\"reserves\":\"22\",\"covered\":true},"
            "{\"symbol\":\"ETH\",\"decimals\":18,\"liabilities\":\"4.25\",\"reserves\":\"4.25\",\"covered\":true}],"
            "\"addresses\":[]}],\"firm\":{\"addresses\":[]},"
            "\"findings\":" + findings + ",\"errors\":" + errors +
            ",\"inputs\":{\"config_sha256\":\"" + std::string(64, '0') + "\",\"liabilities_sha256\":{}},"
            "\"tool\":{\"name\":\"segverify\",\"version\":\"test\"}}");
}

class RunningServer {
 public:
  explicit RunningServer(const std::string& report_dir,
                         std::chrono::milliseconds rescan = std::chrono::milliseconds(50)) {
    server::ServerOptions options;
    options.report_dir = report_dir;
    options.port = 0;
    options.rescan_interval = rescan;
    auto created = server::StatusServer::Create(options);
    if (!created) throw std::runtime_error(created.error().message);
    server_ = std::move(*created);
    thread_ = std::thread([this] { (void)server_->Run(); });
    // Wait until it answers, so Stop() never races the start of Run().
    for (int i = 0; i < 200; ++i) {
      if (Client()->Get("/api/status")) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    server_->Stop();
    thread_.join();
    throw std::runtime_error("server did not start");
  }
  ~RunningServer() {
    server_->Stop();
    if (thread_.joinable()) thread_.join();
  }
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;

  int port() const { return server_->port(); }
  std::unique_ptr<httplib::Client> Client() const {
    auto client = std::make_unique<httplib::Client>("127.0.0.1", port());
    client->set_connection_timeout(5);
    client->set_read_timeout(10);
    return client;
  }

 private:
  std::unique_ptr<server::StatusServer> server_;
  std::thread thread_;
};

}  // namespace segverify::testing
