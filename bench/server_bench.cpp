// Status server throughput on loopback: GET /status.json and GET /badge.svg, requests per second.
// An in-process server (the same StatusServer `segverify serve` runs, on libmicrohttpd) serves a
// generated report; each benchmark thread is one keep-alive libcurl client.
// Run: build/bench/server_bench --benchmark_min_time=2   (items_per_second = requests/s)
#include <benchmark/benchmark.h>
#include <curl/curl.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "verifier/server/status_server.h"

namespace {

using segverify::server::StatusServer;

std::size_t Discard(char*, std::size_t size, std::size_t count, void*) { return size * count; }

// One keep-alive connection (libcurl reuses it across requests on the same handle).
class Client {
 public:
  explicit Client(int port) : handle_(curl_easy_init()), base_("http://127.0.0.1:" + std::to_string(port)) {
    if (handle_ == nullptr) throw std::runtime_error("curl_easy_init");
    curl_easy_setopt(handle_, CURLOPT_WRITEFUNCTION, &Discard);
    curl_easy_setopt(handle_, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(handle_, CURLOPT_TIMEOUT_MS, 5000L);
  }
  ~Client() { curl_easy_cleanup(handle_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  long Get(const std::string& path) {
    const std::string url = base_ + path;
    curl_easy_setopt(handle_, CURLOPT_URL, url.c_str());
    if (curl_easy_perform(handle_) != CURLE_OK) return 0;
    long status = 0;
    curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &status);
    return status;
  }

 private:
  CURL* handle_;
  std::string base_;
};

// One server for the whole run, over a temporary report directory removed at exit.
class BenchServer {
 public:
  BenchServer() {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    char pattern[] = "/tmp/segverify-server-bench-XXXXXX";
    if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp");
    dir_ = pattern;
    std::ofstream(dir_ + "/report.json")
        << R"({"format":"segverify-report/1","id":"2026-11","verdict":"PASS","message":"Example Exchange 2026-11",)"
        << R"("chains":{"ethereum":{"block":21000000,"block_hash":"0x)" << std::string(64, 'a')
        << R"(","block_time":"2026-11-01T00:00:00Z","sources":["http://127.0.0.1:8545"]}},"pools":[{"name":"spot","holds":true,)"
        << R"("accounts":100,"root":{"hash":")" << std::string(64, 'b')
        << R"(","sums":["50","1.5"],"height":20},"assets":[{"symbol":"ETH","decimals":18,"liabilities":"50","reserves":"55","covered":true},)"
        << R"({"symbol":"USDT","decimals":6,"liabilities":"1.5","reserves":"1.5","covered":true}],"addresses":[]}],)"
        << R"("firm":{"addresses":[]},"findings":[],"errors":[],"inputs":{"config_sha256":"","liabilities_sha256":{}},)"
        << R"("tool":{"name":"segverify","version":"bench"}})";
    segverify::server::ServerOptions options;
    options.report_dir = dir_;
    options.port = 0;
    options.history_path = dir_ + "/history.sqlite";
    auto created = StatusServer::Create(options);
    if (!created) throw std::runtime_error(created.error().message);
    server_ = std::move(*created);
    thread_ = std::thread([this] { (void)server_->Run(); });
    Client probe(server_->port());
    for (int i = 0; i < 200 && probe.Get("/status.json") != 200; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
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
  Client client(Server().port());
  std::int64_t failures = 0;
  for (auto _ : state) {
    if (client.Get(path) != 200) ++failures;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["failures"] = static_cast<double>(failures);
}

void BM_StatusJson(benchmark::State& state) { GetLoop(state, "/status.json"); }
void BM_Badge(benchmark::State& state) { GetLoop(state, "/badge.svg"); }

BENCHMARK(BM_StatusJson)->Threads(1)->Threads(4)->Threads(8)->UseRealTime();
BENCHMARK(BM_Badge)->Threads(1)->Threads(4)->Threads(8)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
