// `segverify tree build`: liabilities CSV -> tree directory (root.json + proof export files).
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <optional>

#include "common/hex.h"
#include "merkle/amount.h"
#include "merkle/published_root.h"
#include "merkle/tree_builder.h"
#include "verifier/cli/commands.h"
#include "verifier/cli/exit_codes.h"

namespace segverify::cli {
namespace {

struct TreeBuildArgs {
  std::string liabilities;
  std::string assets;
  std::string out;
  std::string pool = "default";
  std::string nonce_key;
  bool no_shuffle = false;
  bool json = false;
  bool quiet = false;
  unsigned threads = 0;
};

int RunTreeBuild(const TreeBuildArgs& args) {
  auto assets = merkle::ParseAssetList(args.assets);
  if (!assets) return ReportError(assets.error().message);
  merkle::TreeBuildOptions options;
  options.liabilities_path = args.liabilities;
  options.assets = std::move(*assets);
  options.out_dir = args.out;
  options.pool = args.pool;
  options.shuffle = !args.no_shuffle;
  options.threads = args.threads;

  std::string key_text = args.nonce_key;
  if (key_text.empty()) {
    if (const char* env = std::getenv("SEGVERIFY_NONCE_KEY"); env != nullptr) key_text = env;
  }
  if (!key_text.empty()) {
    std::array<std::uint8_t, 32> key;
    // Never echo the key: it would let anyone recompute every client's nonce.
    if (!FromHexExact(key_text, key)) return ReportError("--nonce-key: expected 64 hex characters (32 bytes)");
    options.nonce_key = key;
  }
  const auto start = std::chrono::steady_clock::now();
  if (!args.quiet) {
    options.progress = [start](std::string_view stage, std::uint64_t done, std::uint64_t total) {
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::cerr << "tree build: " << stage << " " << done;
      if (total != 0) std::cerr << "/" << total;
      std::cerr << " (" << static_cast<long long>(seconds * 1000) << " ms)\n";
    };
  }
  auto built = merkle::BuildTree(options);
  if (!built) return ReportError(built.error().message);
  const merkle::PublishedRoot& root = built->root;
  if (args.json) {
    std::cout << merkle::PublishedRootToJson(root) << '\n';
  } else {
    std::cout << "root " << ToHex(root.hash) << '\n'
              << "pool " << args.pool << ", " << built->accounts << " accounts, height " << root.height << '\n';
    for (std::size_t i = 0; i < root.assets.size(); ++i) {
      std::cout << "sum " << root.assets[i].symbol << " " << merkle::FormatAmount(root.sums[i], root.assets[i].decimals)
                << '\n';
    }
    std::cout << "written to " << args.out << "/root.json\n";
  }
  return kExitHolds;
}

}  // namespace

void AddTreeCommands(CLI::App& root, int& exit_code) {
  CLI::App* tree = root.add_subcommand("tree", "Merkle-sum trees of client liabilities");
  tree->require_subcommand(1);
  auto args = std::make_shared<TreeBuildArgs>();
  CLI::App* build = tree->add_subcommand("build", "Build a pool's tree from a liabilities CSV");
  build->add_option("--liabilities", args->liabilities, "Liabilities CSV (account_id,<SYMBOL>,...)")->required();
  build->add_option("--assets", args->assets, "Assets in column order, e.g. BTC:8,ETH:18")->required();
  build->add_option("--out", args->out, "Output directory (root.json and the proof export files)")->required();
  build->add_option("--pool", args->pool, "Pool name written into proofs")->capture_default_str();
  build->add_option("--nonce-key", args->nonce_key,
                    "64 hex chars; nonce = HMAC-SHA256(key, account_id). Default: a random key, never stored. "
                    "Also read from SEGVERIFY_NONCE_KEY.");
  build->add_flag("--no-shuffle", args->no_shuffle, "Place accounts in input order (default: keyed shuffle)");
  build->add_option("--threads", args->threads, "Hashing threads (default: one per core)");
  build->add_flag("--json", args->json, "Print root.json instead of a summary");
  build->add_flag("--quiet", args->quiet, "No progress on stderr");
  build->callback([args, &exit_code] { exit_code = RunTreeBuild(*args); });
}

}  // namespace segverify::cli
