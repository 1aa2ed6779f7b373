// `segverify tree build`: liabilities CSV -> tree directory (root.json + proof export files).
#include <iostream>
#include <optional>

#include "common/hex.h"
#include "common/printable.h"
#include "common/progress.h"
#include "common/staging_dir.h"
#include "merkle/amount.h"
#include "merkle/nonce_key.h"
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
  std::string nonce_key_file;
  bool no_shuffle = false;
  bool force = false;
  bool json = false;
  bool quiet = false;
  unsigned threads = 0;
};

// The nonce key: --nonce-key-file, else SEGVERIFY_NONCE_KEY, else --nonce-key (tests), else none.
Result<std::optional<merkle::NonceKey>> NonceKeyFor(const TreeBuildArgs& args) {
  if (!args.nonce_key.empty()) {
    if (!args.nonce_key_file.empty()) return Error{"give at most one of --nonce-key and --nonce-key-file"};
    std::cerr << "segverify: warning: --nonce-key puts the key in the process list, where any user of this machine "
                 "can read it; use --nonce-key-file or SEGVERIFY_NONCE_KEY\n";
    auto key = merkle::ParseNonceKey(args.nonce_key, "--nonce-key");
    if (!key) return key.error();
    return std::optional<merkle::NonceKey>(*key);
  }
  return merkle::LoadNonceKey(args.nonce_key_file);
}

void PrintSummary(const merkle::TreeBuildResult& built, const TreeBuildArgs& args) {
  const merkle::PublishedRoot& root = built.root;
  std::cout << "root " << ToHex(root.hash) << '\n'
            << "pool " << Printable(args.pool) << ", " << built.accounts
            << (built.accounts == 1 ? " account" : " accounts") << ", height " << root.height << '\n';
  for (std::size_t i = 0; i < root.assets.size(); ++i) {
    std::cout << "sum " << Printable(root.assets[i].symbol) << " "
              << merkle::FormatAmount(root.sums[i], root.assets[i].decimals) << '\n';
  }
  std::cout << "written to " << Printable(args.out) << "/root.json\n";
}

int RunTreeBuild(const TreeBuildArgs& args) {
  auto assets = merkle::ParseAssetList(args.assets);
  if (!assets) return ReportError(assets.error().message);
  auto key = NonceKeyFor(args);
  if (!key) return ReportError(key.error().message);
  merkle::TreeBuildOptions options;
  options.liabilities_path = args.liabilities;
  options.assets = std::move(*assets);
  options.out_dir = args.out;
  options.pool = args.pool;
  options.nonce_key = *key;
  options.shuffle = !args.no_shuffle;
  options.threads = args.threads;
  options.existing = args.force ? merkle::ExistingTree::kReplace : merkle::ExistingTree::kRefuse;
  InstallInterruptCleanup();  // SIGINT/SIGTERM remove the staging directory
  auto printer = ProgressPrinter::ForStderr(args.quiet);
  if (printer) options.progress = printer->Callback();
  auto built = merkle::BuildTree(options);
  if (printer) printer->Finish();
  if (!built) return ReportError(built.error().message);
  if (args.json) {
    std::cout << merkle::PublishedRootToJson(built->root) << '\n';
  } else {
    PrintSummary(*built, args);
  }
  return kExitHolds;  // a failed write to stdout is reported by main() (the tree is written either way)
}

}  // namespace

void AddTreeCommands(CLI::App& root, int& exit_code) {
  CLI::App* tree = root.add_subcommand("tree", "Merkle-sum trees of client liabilities");
  tree->require_subcommand(1);
  auto args = std::make_shared<TreeBuildArgs>();
  CLI::App* build = tree->add_subcommand("build", "Build a pool's tree from a liabilities CSV");
  build->footer(
      "Example:\n  SEGVERIFY_NONCE_KEY=$(cat key.hex) segverify tree build --liabilities spot.csv \\\n"
      "      --assets BTC:8,ETH:18 --pool spot --out trees/spot");
  build->add_option("--liabilities", args->liabilities, "Liabilities CSV (account_id,<SYMBOL>,...)")->required();
  build->add_option("--assets", args->assets, "Assets in column order, e.g. BTC:8,ETH:18")->required();
  build->add_option("--out", args->out, "Output directory (root.json and the proof export files)")->required();
  build->add_option("--pool", args->pool, "Pool name written into root.json and proofs")->capture_default_str();
  build->add_option("--nonce-key-file", args->nonce_key_file,
                    "File holding the 64-hex-char nonce key: nonce = HMAC-SHA256(key, account_id). Else "
                    "SEGVERIFY_NONCE_KEY; else a random key, never stored");
  build->add_option("--nonce-key", args->nonce_key,
                    "The key itself (for tests: the process list shows it to every user)");
  build->add_flag("--no-shuffle", args->no_shuffle, "Place accounts in input order (default: keyed shuffle)");
  build->add_flag("--force", args->force, "Replace the tree already in --out");
  build->add_option("--threads", args->threads, "Threads (default: one per core)");
  build->add_flag("--json", args->json, "Print root.json instead of a summary");
  build->add_flag("--quiet", args->quiet, "No progress on stderr");
  build->callback([args, &exit_code] { exit_code = RunTreeBuild(*args); });
}

}  // namespace segverify::cli
