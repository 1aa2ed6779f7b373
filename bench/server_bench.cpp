// Status server throughput on loopback: GET /api/status and GET /badge.svg, requests per second
// (target >= 5,000/s on 2 cores). An in-process server (the same StatusServer `segverify serve`
// runs, 16 workers) serves a generated report; each benchmark thread is one keep-alive client.
// Run: build/bench/server_bench --benchmark_min_time=2   (items_per_second = requests/s)
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include <benchmark/benchmark.h>
#include <httplib.h>

#include "verifier/server/status_server.h"

namespace {

using segverify::server::StatusServer;

// One server for the whole run, over a temporary report directory removed at exit.
class BenchServer {
 public:
  BenchServer() {
    char pattern[] = "/tmp/segverify-server-bench-XXXXXX";
    if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp");
    dir_ = pattern;
    std::filesystem::create_directories(dir_ + "/2026-11");
    std::ofstream(dir_ + "/2026-11/report.json")
        << R"({"format":"segverify-report/1","id":"2026-11","verdict":"PASS",)"
        << R"("chains":{"ethereum":{"block":21000000,"block_hash":"0x)" << std::string(64, 'a')
        << R"(","sources":["ethereum"]}},"pools":[{"name":"spot","root":{"hash":")" << std::string(64, 'b')
        << R"(","sums":["50","1.5"],"height":20},"assets":[{"symbol":"ETH","liabilities":"50","reserves":"55","covered":true},)"
        << R"({"symbol":"BTC","liabilities":"1.5","reserves":"1.5","covered":true}]}],"findings":[],"inputs":{}})";
    segverify::server::ServerOptions options;
    options.report_dir = dir_;
    options.port = 0;
    auto created = StatusServer::Create(options);
    if (!created) throw std::runtime_error(created.error().message);
    server_ = std::move(*created);
    thread_ = std::thread([this] { (void)server_->Run(); });
    httplib::Client probe("127.0.0.1", server_->port());
    for (int i = 0; i < 200 && !probe.Get("/api/status"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ~BenchServer() {
    server_->Stop();
    thread_.join();
    std::filesystem::remove_all(dir_);
  }
  int port() const { return server_->port(); }

 private:
  std::string dir_;
  std::unique_ptr<StatusServer> server_;
  std::thread thread_;
};

BenchServer& Server() {
  static BenchServer server;
  return server;
}

void GetLoop(benchmark::State& state, const char* path) {
  httplib::Client client("127.0.0.1", Server().port());
  client.set_keep_alive(true);
  std::int64_t failures = 0;
  for (auto _ : state) {
    auto res = client.Get(path);
    if (!res || res->status != 200) ++failures;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["failures"] = static_cast<double>(failures);
}

void BM_ApiStatus(benchmark::State& state) { GetLoop(state, "/api/status"); }
void BM_Badge(benchmark::State& state) { GetLoop(state, "/badge.svg"); }

BENCHMARK(BM_ApiStatus)->Threads(1)->Threads(4)->Threads(8)->UseRealTime();
BENCHMARK(BM_Badge)->Threads(1)->Threads(4)->Threads(8)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
