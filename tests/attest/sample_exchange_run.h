// End-to-end harness for `segverify attest` on the sample exchange (fixtures/sample-exchange/).
//
// SampleExchange starts tests/scenario/sample_exchange.mjs for one scenario (anvil + the Bitcoin
// test server, funded and pinned) and waits for its "READY <config>" line; its destructor stops
// the launcher, which stops and waits for its nodes. RunAttest runs the real binary on the config
// and parses report.json. Helpers throw std::runtime_error on harness failures (the test fails
// with that message); they never decide a verdict.
#pragma once

#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/json.h"
#include "tests/support/anvil.h"
#include "tests/support/test_support.h"

namespace segverify::testing {

inline std::string BuildDir() {
  return std::filesystem::path(SEGVERIFY_BINARY).parent_path().parent_path().string();
}

class SampleExchange {
 public:
  SampleExchange(const std::string& scenario, const std::string& dir) : scenario_(scenario) {
    auto start = std::chrono::steady_clock::now();
    launcher_ = std::make_unique<ChildProcess>(
        "node",
        std::vector<std::string>{SourcePath("tests/scenario/sample_exchange.mjs"), "--out", dir + "/servers",
                                 "--scenario", scenario, "--contracts-cache",
                                 BuildDir() + "/sample-exchange-contracts.json"},
        true);
    std::string line = launcher_->FirstLine(90000);
    if (line.rfind("READY ", 0) != 0) throw std::runtime_error("launcher said \"" + line + "\", not READY");
    config_path_ = line.substr(6);
    startup_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  ~SampleExchange() { Stop(); }
  SampleExchange(const SampleExchange&) = delete;
  SampleExchange& operator=(const SampleExchange&) = delete;

  const std::string& config_path() const { return config_path_; }
  double startup_seconds() const { return startup_seconds_; }
  const std::string& scenario() const { return scenario_; }
  void Stop() {
    if (launcher_) launcher_->Stop();
  }

 private:
  std::string scenario_;
  std::unique_ptr<ChildProcess> launcher_;
  std::string config_path_;
  double startup_seconds_ = 0;
};

struct AttestRun {
  CommandResult result;
  std::string report_text;  // report.json as written
  std::unique_ptr<JsonDocument> report;
  double seconds = 0;
};

inline AttestRun RunAttest(const std::vector<std::string>& args) {
  AttestRun run;
  auto start = std::chrono::steady_clock::now();
  std::vector<std::string> full{"attest"};
  full.insert(full.end(), args.begin(), args.end());
  run.result = RunSegverify(full);
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::string out_dir;
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "--out") out_dir = args[i + 1];
  }
  if (!out_dir.empty() && FileExists(out_dir + "/report.json")) {
    run.report_text = ReadFile(out_dir + "/report.json");
    auto doc = ParseJson(run.report_text, "report.json");
    if (!doc) throw std::runtime_error(doc.error().message);
    run.report = std::move(doc.value());
  }
  return run;
}

// Starts `scenario`, attests it into DIR/out, stops the servers, and prints the timings.
inline AttestRun RunScenario(const std::string& scenario, const TempDir& dir) {
  SampleExchange exchange(scenario, dir.path());
  AttestRun run = RunAttest({exchange.config_path(), "--out", dir.File("out"), "--quiet"});
  exchange.Stop();
  std::cout << "[timing] scenario " << scenario << ": servers ready in " << exchange.startup_seconds()
            << " s, attest " << run.seconds << " s\n";
  return run;
}

struct ReportFinding {
  std::string check, subject, detail, severity;
};

inline std::vector<ReportFinding> Findings(const JsonDocument& report, const std::string& check = "") {
  std::vector<ReportFinding> found;
  if (!report.HasMember("findings") || !report["findings"].IsArray()) return found;
  for (const auto& f : report["findings"].GetArray()) {
    auto text = [&f](const char* key) {
      return f.HasMember(key) && f[key].IsString() ? std::string(f[key].GetString()) : std::string();
    };
    ReportFinding rf{text("check"), text("subject"), text("detail"), text("severity")};
    if (check.empty() || rf.check == check) found.push_back(rf);
  }
  return found;
}

inline std::string Verdict(const JsonDocument& report) {
  return report.HasMember("verdict") && report["verdict"].IsString() ? report["verdict"].GetString() : "";
}

// The pool's per-asset entry ("reserves", "liabilities", "covered"), or nullptr.
inline const JsonValue* PoolAsset(const JsonDocument& report, const std::string& pool, const std::string& symbol) {
  if (!report.HasMember("pools") || !report["pools"].IsArray()) return nullptr;
  for (const auto& p : report["pools"].GetArray()) {
    if (!p.HasMember("name") || p["name"] != pool.c_str() || !p.HasMember("assets")) continue;
    for (const auto& a : p["assets"].GetArray()) {
      if (a.HasMember("symbol") && a["symbol"] == symbol.c_str()) return &a;
    }
  }
  return nullptr;
}

// One field of the sample's wallets.json: addresses.<name>.entry.address, or public_keys.<name>.
inline std::string SampleAddress(const std::string& name) {
  auto doc = ParseJsonFile(SourcePath("fixtures/sample-exchange/wallets.json"));
  if (!doc) throw std::runtime_error(doc.error().message);
  const auto& addresses = (**doc)["addresses"];
  if (!addresses.HasMember(name.c_str())) throw std::runtime_error("wallets.json has no address " + name);
  return addresses[name.c_str()]["entry"]["address"].GetString();
}

inline std::string SamplePublicKey(const std::string& name) {
  auto doc = ParseJsonFile(SourcePath("fixtures/sample-exchange/wallets.json"));
  if (!doc) throw std::runtime_error(doc.error().message);
  return (**doc)["public_keys"][name.c_str()].GetString();
}

}  // namespace segverify::testing
