// Test harness for the status server and publish (header-only: tests/<area>/ builds only
// *_test.cpp files). Real trees and proofs are made with the segverify CLI (tree build / proof
// export), report directories are composed around their roots (as `attest --out DIR` lays them
// out: DIR/report.json), and RunningServer runs the server in-process on a free loopback port,
// always stopped and joined by its destructor (also when a test fails).
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "common/json.h"
#include "tests/server/http_client.h"
#include "tests/support/test_support.h"
#include "verifier/attest/public_attestation.h"
#include "verifier/report/report_json.h"
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
  auto built = RunSegverify({"tree", "build", "--liabilities", csv, "--assets", "BTC:8,ETH:18", "--out", out, "--pool",
                             "spot", "--no-shuffle", "--nonce-key", key, "--quiet"});
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

// The operator's node URLs and config paths as attest writes them into report.json; no public
// file may show them.
inline constexpr const char* kNodeUrl = "http://127.0.0.1:35527";
inline constexpr const char* kBitcoinNodeUrl = "http://10.1.2.3:8332";
// A Safe 1.4.1, 2 of 3, no firm owner (a PASS needs its pool contracts to be recognized vaults).
inline constexpr const char* kSafeVault =
    R"({"kind":"safe","version":"1.4.1","singleton":"0x41675C099F32341bf84BFc5382aF534df5C7461a",)"
    R"("owners":["0x1111111111111111111111111111111111111111","0x2222222222222222222222222222222222222222",)"
    R"("0x3333333333333333333333333333333333333333"],"threshold":2,"modules":[],"firm_owners":[],"contract_owners":[],)"
    R"("guard":null,"fallback_handler":null})";

// A public attestation (docs/FORMAT.md §11, written by hand) of attestation `id`: one pool "spot"
// with a root and one bitcoin address.
inline std::string PublicAttestationJson(const std::string& id) {
  return R"({"format":"segverify-public-attestation/1","id":")" + id +
         R"(","message":"Example Exchange attestation )" + id + R"(",
 "assets":[{"symbol":"BTC","decimals":8,"chain":"bitcoin"}],
 "chains":{"bitcoin":{"height":870000}},
 "pools":[{"name":"spot","root":{"hash":")" +
         std::string(64, 'a') + R"(","sums":["21.50000001"],"height":2},
           "addresses":[{"chain":"bitcoin","address":"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"}]}],
 "firm":{"addresses":[],"keys":[]}}
)";
}

// The text of <dir>/report.json: one pool "spot" with `tree`'s root and two addresses with
// balances. PASS: both assets covered. FAIL: an error finding (overlap). ERROR: the Ethereum node
// could not be reached, so ETH reserves are unknown (covered null) and an ownership proof could
// not be checked — the error lines name the node URL and config paths, as attest writes them.
// `block_time`: the bitcoin block's time ("" = not recorded).
inline std::string ReportJson(const std::string& id, const std::string& verdict, const TreeFixture& tree,
                              const std::string& block_time = "") {
  const bool error = verdict == "ERROR";
  std::string json = R"({"format":"segverify-report/1","id":"$ID","verdict":"$VERDICT",
    "message":"Example Exchange attestation $ID",
    "chains":{"bitcoin":{"height":870000,"block_hash":"$BTC_HASH","block_time":$TIME,"sources":["$BTC_URL","$BTC_URL"]},
              "ethereum":{"block":21000000,"block_hash":$ETH_HASH,"block_time":null,"sources":["$ETH_URL"]}},
    "pools":[{"name":"spot","holds":$HOLDS,"accounts":4,"root":{"hash":"$ROOT","sums":$SUMS,"height":$HEIGHT},
      "assets":[{"symbol":"BTC","decimals":8,"liabilities":"21.50000001","reserves":"22","covered":true},
                {"symbol":"ETH","decimals":18,"liabilities":"4.25","reserves":$ETH_RESERVES,"covered":$ETH_COVERED}],
      "addresses":[{"chain":"bitcoin","address":"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq","type":"p2wpkh",
                    "proof":"bip322","ownership":"valid","balances":{"BTC":"22"}},
                   {"chain":"ethereum","address":"0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512","type":"contract",
                    "proof":"erc1271","ownership":"$OWNERSHIP","balances":{"ETH":$ETH_RESERVES},"vault":$VAULT}]}],
    "firm":{"addresses":[]},"findings":$FINDINGS,"errors":$ERRORS,"problems":$PROBLEMS,
    "inputs":{"config_sha256":"$ZEROS","liabilities_sha256":{}},"tool":{"name":"segverify","version":"test"}})";
  const std::string findings =
      verdict == "FAIL"
          ? R"([{"check":"overlap","subject":"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq","detail":"address is in pool spot and in firm","severity":"error"}])"
          : R"([{"check":"shared-key","subject":"02ab","detail":"1 of the keys of this 2-of-3 pool spot multisig are firm keys","severity":"info"}])";
  const std::string errors =
      error ? std::string(R"(["ethereum: )") + kNodeUrl +
                  R"json(: cannot reach the node (Connection) (eth_chainId)","pools[0].addresses[1].proof: cannot check (cannot-check): ERC-1271 needs an Ethereum node (eth_call) to ask the contract"])json"
            : "[]";
  // The same problems as values (report.json `problems`): the public words come from these.
  const std::string problems =
      error ? std::string(R"([{"kind":"unreachable","chain":"ethereum","source":0,"subject":"","asset":"","detail":")") +
                  kNodeUrl +
                  R"json(: cannot reach the node (Connection) (eth_chainId)"},{"kind":"ownership-unchecked","chain":"ethereum","source":null,"subject":"0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512","asset":"","detail":"ERC-1271 needs an Ethereum node (eth_call) to ask the contract"}])json"
            : "[]";
  const std::pair<std::string, std::string> fields[] = {
      {"$ID", id},
      {"$VERDICT", verdict},
      {"$BTC_HASH", std::string(64, 'a')},
      {"$TIME", block_time.empty() ? "null" : "\"" + block_time + "\""},
      {"$BTC_URL", kBitcoinNodeUrl},
      {"$ETH_URL", kNodeUrl},
      {"$ETH_HASH", error ? "null" : "\"0x" + std::string(64, 'b') + "\""},
      {"$HOLDS", error ? "false" : "true"},
      {"$ROOT", tree.root_hash},
      {"$SUMS", tree.sums_json},
      {"$HEIGHT", std::to_string(tree.height)},
      {"$ETH_RESERVES", error ? "null" : "\"4.25\""},
      {"$ETH_COVERED", error ? "null" : "true"},
      {"$OWNERSHIP", error ? "cannot-check" : "valid"},
      {"$VAULT", kSafeVault},
      {"$FINDINGS", findings},
      {"$ERRORS", errors},
      {"$PROBLEMS", problems},
      {"$ZEROS", std::string(64, '0')},
  };
  for (const auto& [token, value] : fields) {
    for (std::size_t at = json.find(token); at != std::string::npos; at = json.find(token, at + value.size())) {
      json.replace(at, token.size(), value);
    }
  }
  return json;
}

// Writes <dir>/report.json (replacing it in one rename, as attest does).
inline void WriteReport(const std::string& dir, const std::string& id, const std::string& verdict,
                        const TreeFixture& tree, const std::string& block_time = "") {
  std::filesystem::create_directories(dir);
  WriteFile(dir + "/report.json.tmp", ReportJson(id, verdict, tree, block_time));
  std::filesystem::rename(dir + "/report.json.tmp", dir + "/report.json");
}

// A suite whose tests read reports of one tree (ReportJson of a "spot" tree built once per suite).
class ReportsOfOneTree : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    tree_ = new TreeFixture(BuildTree(dir_->path(), "spot", "11"));
  }
  static void TearDownTestSuite() {
    delete tree_;
    delete dir_;
  }
  static std::string ReportText(const std::string& verdict) {
    return ReportJson("2026-11", verdict, *tree_, "2026-11-01T00:00:00Z");
  }
  static report::Report ReportOf(const std::string& verdict) {
    auto parsed = report::ParseReport(ReportText(verdict), "report.json");
    EXPECT_TRUE(parsed.ok()) << parsed.error().message;
    return parsed.ok() ? *parsed : report::Report{};
  }
  static inline TempDir* dir_ = nullptr;
  static inline TreeFixture* tree_ = nullptr;
};

class RunningServer {
 public:
  explicit RunningServer(const std::string& report_dir,
                         const std::function<void(server::ServerOptions&)>& adjust = nullptr) {
    server::ServerOptions options;
    options.report_dir = report_dir;
    options.port = 0;
    options.rescan_interval = std::chrono::milliseconds(50);
    options.read_attestation = attest::PublicAttestationId;  // as serve_cmd.cpp
    if (adjust) adjust(options);
    auto created = server::StatusServer::Create(options);
    if (!created) throw std::runtime_error(created.error().message);
    server_ = std::move(*created);
    thread_ = std::thread([this] { (void)server_->Run(); });
    // Wait until it answers, so the tests never race the start of Run().
    for (int i = 0; i < 200; ++i) {
      if (HttpGet(port(), "/api/status").status == 200) return;
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
  HttpAnswer Get(const std::string& path, const std::vector<std::pair<std::string, std::string>>& headers = {}) const {
    return HttpGet(port(), path, headers);
  }
  HttpAnswer Post(const std::string& path, const std::string& body) const {
    return HttpRequest(port(), "POST", path, body, {{"Content-Type", "application/json"}});
  }

 private:
  std::unique_ptr<server::StatusServer> server_;
  std::thread thread_;
};

// Parses a JSON answer (ADD_FAILURE and an empty document when it is not JSON).
inline std::unique_ptr<JsonDocument> Json(const std::string& body) {
  auto doc = ParseJson(body, "response");
  if (!doc) ADD_FAILURE() << doc.error().message << " in " << body;
  return doc ? std::move(*doc) : std::make_unique<JsonDocument>();
}

// A roots.json's list `key` ("roots": the current ones, or "superseded") as its own document.
inline std::unique_ptr<JsonDocument> RootsList(const std::string& body, const char* key = "roots") {
  auto doc = Json(body);
  auto list = std::make_unique<JsonDocument>();
  if (!doc->IsObject() || !doc->HasMember(key) || !(*doc)[key].IsArray()) {
    ADD_FAILURE() << "no list \"" << key << "\" in " << body;
    list->SetArray();
    return list;
  }
  list->CopyFrom((*doc)[key], list->GetAllocator());
  return list;
}

}  // namespace segverify::testing
