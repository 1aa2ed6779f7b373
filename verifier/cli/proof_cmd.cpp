// `segverify proof export` and `segverify proof verify`.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <optional>

#include "common/file_io.h"
#include "common/hex.h"
#include "common/progress.h"
#include "common/staging_dir.h"
#include "merkle/amount.h"
#include "merkle/inclusion_proof.h"
#include "merkle/proof_export.h"
#include "merkle/tree_store.h"
#include "verifier/cli/commands.h"
#include "verifier/cli/exit_codes.h"
#include "verifier/cli/trusted_roots.h"

namespace segverify::cli {
namespace {

struct ExportArgs {
  std::string tree;
  std::string account;
  bool all = false;
  std::string out;
  std::string out_dir;
  bool force = false;
  bool quiet = false;
  unsigned threads = 0;
};

struct VerifyArgs {
  std::string proof;
  RootOptions roots;
  bool json = false;
};

// A failed write to stdout ends the export early; main() reports it, once, as it does for every
// command (checked_stdout.h), so the commands below do not print their own line for it.
Status WriteToStdout(std::string_view text) {
  std::cout.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!std::cout) return Error{"standard output failed"};
  return Status::Ok();
}

int RunExportOne(const merkle::TreeStore& store, const ExportArgs& args) {
  const auto position = store.FindAccount(args.account);
  if (!position) return ReportError(args.tree + ": account \"" + args.account + "\" is not in this tree");
  auto proof = store.ExportProof(*position);
  if (!proof) return ReportError(proof.error().message);
  const std::string json = merkle::InclusionProofToJson(*proof) + "\n";
  if (args.out.empty()) {
    std::cout << json;  // checked by main() at exit
    return kExitHolds;
  }
  if (Status written = WriteFileAtomic(args.out, json); !written) return ReportError(written.message());
  return kExitHolds;
}

int RunExportAll(const merkle::TreeStore& store, const ExportArgs& args) {
  InstallInterruptCleanup();  // SIGINT/SIGTERM remove the staged output
  auto printer = ProgressPrinter::ForStderr(args.quiet);
  merkle::ProofExportOptions options;
  options.threads = args.threads;
  options.replace = args.force;
  if (printer) options.progress = printer->Callback();
  const auto start = std::chrono::steady_clock::now();
  Status exported;
  if (!args.out_dir.empty()) {
    exported = merkle::ExportProofsToDirectory(store, args.out_dir, options);
  } else if (!args.out.empty()) {
    exported = merkle::ExportProofsToFile(store, args.out, options);
  } else {
    exported = merkle::ExportProofsToStream(store, WriteToStdout, options);
    if (!std::cout) {
      if (printer) printer->Finish();
      return kExitCannotCheck;  // main() says why
    }
  }
  if (printer) printer->Finish();
  if (!exported.ok()) return ReportError(exported.message());
  if (printer) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::uint64_t n = store.accounts();
    char line[160];
    std::snprintf(line, sizeof line, "proof export: %llu %s in %.2f s (%.0f/s)", static_cast<unsigned long long>(n),
                  n == 1 ? "proof" : "proofs", seconds, static_cast<double>(n) / std::max(seconds, 1e-9));
    printer->Note(line);
  }
  return kExitHolds;
}

int RunExport(const ExportArgs& args) {
  if (args.all == !args.account.empty()) return ReportError("give exactly one of --account ID or --all");
  if (!args.out.empty() && !args.out_dir.empty()) return ReportError("give at most one of --out and --out-dir");
  if (!args.out_dir.empty() && !args.all) return ReportError("--out-dir needs --all (one file per account)");
  auto store = merkle::TreeStore::Open(args.tree);
  if (!store) return ReportError(store.error().message);
  return args.all ? RunExportAll(*store, args) : RunExportOne(*store, args);
}

// Reads a proof from a file, or from stdin for "-".
Result<merkle::InclusionProof> LoadProof(const std::string& path) {
  if (path != "-") return merkle::ReadInclusionProofFile(path);
  std::string text;
  char buffer[65536];
  while (std::cin.read(buffer, sizeof buffer) || std::cin.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(std::cin.gcount()));
    if (text.size() > merkle::kMaxProofBytes) return Error{"stdin: proof larger than 1 MiB"};
  }
  return merkle::ParseInclusionProof(text, "stdin");
}

std::string DescribeBalances(const merkle::InclusionProof& proof) {
  std::string out;
  for (std::size_t i = 0; i < proof.assets.size(); ++i) {
    if (!out.empty()) out += ", ";
    out += proof.assets[i].symbol + " " + merkle::FormatAmount(proof.balances[i], proof.assets[i].decimals);
  }
  return out;
}

int RunVerify(const VerifyArgs& args) {
  auto trusted = LoadTrustedRoots(args.roots, clients::HttpOptions{});
  if (!trusted) return ReportError(trusted.error().message);
  auto proof = LoadProof(args.proof);
  if (!proof) return ReportError(proof.error().message);
  const merkle::ProofCheck check = trusted->Check(*proof);
  const bool valid = check.verdict == merkle::ProofVerdict::kValid;
  if (args.json) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.StartObject();
    w.Key("valid");
    w.Bool(valid);
    w.Key("verdict");
    w.String(std::string(merkle::ProofVerdictName(check.verdict)));
    if (!valid) {
      w.Key("reason");
      w.String(check.reason);
    }
    w.Key("account_id");
    w.String(proof->account_id);
    w.Key("pool");
    w.String(proof->pool);
    w.Key("root");
    w.String(ToHex(proof->root.hash));
    w.Key("anchored");  // always: a published root is required (kept for readers of earlier output)
    w.Bool(true);
    w.EndObject();
    std::cout << buffer.GetString() << '\n';
  } else if (valid) {
    std::cout << "valid: account " << proof->account_id << " (" << DescribeBalances(*proof) << ") is included in root "
              << ToHex(proof->root.hash) << " of pool " << proof->pool << '\n';
  } else {
    std::cout << "invalid: " << check.reason << '\n';
  }
  if (check.verdict == merkle::ProofVerdict::kMalformed) return kExitCannotCheck;
  return valid ? kExitHolds : kExitDoesNotHold;
}

}  // namespace

void AddProofCommands(CLI::App& root, int& exit_code) {
  CLI::App* proof = root.add_subcommand("proof", "Inclusion proofs: export and verify");
  proof->require_subcommand(1);

  auto export_args = std::make_shared<ExportArgs>();
  CLI::App* exp = proof->add_subcommand("export", "Export one account's proof, or every proof");
  exp->footer(
      "Examples:\n  segverify proof export --tree trees/spot --account alice --out alice.json\n"
      "  segverify proof export --tree trees/spot --all --out-dir site/proofs   (site/proofs/ab/abcd...json)");
  exp->add_option("--tree", export_args->tree, "Tree directory written by `tree build`")->required();
  exp->add_option("--account", export_args->account, "Account id");
  exp->add_flag("--all", export_args->all, "Every account's proof: JSON lines (--out or stdout) or files (--out-dir)");
  exp->add_option("--out", export_args->out, "Output file (default: stdout)");
  exp->add_option("--out-dir", export_args->out_dir,
                  "With --all: one file per account, DIR/ab/<hex SHA-256 of the account id>.json");
  exp->add_flag("--force", export_args->force, "With --out-dir: replace an earlier export in DIR");
  exp->add_option("--threads", export_args->threads, "Threads (default: one per core)");
  exp->add_flag("--quiet", export_args->quiet, "No progress on stderr");
  exp->callback([export_args, &exit_code] { exit_code = RunExport(*export_args); });

  auto verify_args = std::make_shared<VerifyArgs>();
  CLI::App* verify =
      proof->add_subcommand("verify", "Check an inclusion proof (exit 0 valid, 1 invalid, 2 cannot check)");
  verify->add_option("proof", verify_args->proof, "Proof JSON file, or - for stdin")->required();
  verify->add_option("--root", verify_args->roots.root,
                     "The published root.json, or a site's roots.json, to check against");
  verify->add_option("--root-hash", verify_args->roots.root_hash, "The published root hash (64 hex) to check against");
  verify->add_option("--site", verify_args->roots.site,
                     "A published status site (https:// URL or directory): check against its roots.json");
  verify->add_flag("--json", verify_args->json, "Machine-readable result");
  verify->callback([verify_args, &exit_code] { exit_code = RunVerify(*verify_args); });
}

}  // namespace segverify::cli
