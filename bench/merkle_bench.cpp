// Google Benchmark for the Merkle-sum tree: leaf and node hashing, and in-process proof verify
// (target < 50 us). The end-to-end build/export timings are bench/tree_build_bench.sh.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>

#include "merkle/inclusion_proof.h"
#include "merkle/tree_builder.h"
#include "merkle/tree_hash.h"
#include "merkle/tree_store.h"

namespace segverify::merkle {
namespace {

void BM_LeafHash4Assets(benchmark::State& state) {
  TreeHasher hasher;
  Hash256 nonce{};
  const std::vector<u128> amounts = {1, 2, 3, 4};
  for (auto _ : state) {
    nonce[0]++;
    benchmark::DoNotOptimize(hasher.Leaf(hasher.AccountCommitment(nonce, "account-123456"), amounts));
  }
}
BENCHMARK(BM_LeafHash4Assets);

void BM_NodeHash4Assets(benchmark::State& state) {
  TreeHasher hasher;
  Hash256 left{}, right{};
  const std::vector<u128> sums = {1, 2, 3, 4};
  for (auto _ : state) {
    left[0]++;
    benchmark::DoNotOptimize(hasher.Node(left, sums, right, sums));
  }
}
BENCHMARK(BM_NodeHash4Assets);

// Parse + verify of one proof (4 assets) from trees of 4096 and 2^20 accounts (heights 12 and 20).
void BM_ProofVerify(benchmark::State& state) {
  const std::string dir = std::filesystem::temp_directory_path() / "segverify-bench-proof";
  std::filesystem::create_directories(dir);
  {
    std::ofstream csv(dir + "/l.csv");
    csv << "account_id,BTC,ETH,USDT,USDC\n";
    for (int i = 0; i < state.range(0); ++i) csv << "user" << i << ",1.5,2,3,4\n";
  }
  TreeBuildOptions options;
  options.liabilities_path = dir + "/l.csv";
  options.assets = {{"BTC", 8}, {"ETH", 18}, {"USDT", 6}, {"USDC", 6}};
  options.out_dir = dir + "/tree";
  auto built = BuildTree(options);
  auto store = TreeStore::Open(dir + "/tree");
  if (!built.ok() || !store.ok()) {
    state.SkipWithError("tree build failed");
    return;
  }
  auto proof = store->ExportProof(0);
  const std::string json = InclusionProofToJson(*proof);
  for (auto _ : state) {
    auto parsed = ParseInclusionProof(json, "bench");
    benchmark::DoNotOptimize(VerifyInclusionProof(*parsed, {}).verdict);
  }
  state.counters["height"] = built->root.height;
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_ProofVerify)->Arg(4096)->Arg(1 << 20)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace segverify::merkle

BENCHMARK_MAIN();
