// `segverify proof export` and `segverify proof verify`.
#include <fcntl.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>

#include "common/file_io.h"
#include "common/hex.h"
#include "common/parallel.h"
#include "common/printable.h"
#include "common/progress.h"
#include "common/regular_file.h"
#include "common/staging_dir.h"
#include "merkle/amount.h"
#include "merkle/inclusion_proof.h"
#include "merkle/proof_export.h"
#include "merkle/tree_store.h"
#include "verifier/cli/commands.h"
#include "verifier/cli/exit_codes.h"
#include "verifier/cli/proof_lines.h"
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
  unsigned threads = 0;  // 0: one per core
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

// The file to verify, or stdin for "-"; closes only what it opened.
struct InputCloser {
  void operator()(std::FILE* file) const {
    if (file != stdin) std::fclose(file);
  }
};
using InputFile = std::unique_ptr<std::FILE, InputCloser>;

// Opens without blocking: a FIFO or device is refused at once (it is not a file of proofs), by the
// one check every input goes through (common/regular_file.h).
Result<InputFile> OpenProofInput(const std::string& path) {
  if (path == "-") return InputFile(stdin);
  auto fd = OpenRegularFile(path);
  if (!fd) return fd.error();
  std::FILE* file = ::fdopen(*fd, "rb");
  if (file == nullptr) {
    ::close(*fd);
    return Error{path + ": cannot open: " + std::strerror(errno)};
  }
  return InputFile(file);
}

// Reads up to `limit` bytes; `at_end` says whether the input ended within them.
Result<std::string> ReadHead(std::FILE* in, std::size_t limit, const std::string& origin, bool& at_end) {
  std::string head(limit, '\0');
  std::size_t size = 0;
  at_end = false;
  while (size < limit) {
    const std::size_t n = std::fread(head.data() + size, 1, limit - size, in);
    if (n == 0) {
      if (std::ferror(in) != 0) return Error{origin + ": read error"};
      at_end = true;
      break;
    }
    size += n;
  }
  head.resize(size);
  return head;
}

std::string DescribeBalances(const merkle::InclusionProof& proof) {
  std::string out;
  for (std::size_t i = 0; i < proof.assets.size(); ++i) {
    if (!out.empty()) out += ", ";
    out += Printable(proof.assets[i].symbol) + " " + merkle::FormatAmount(proof.balances[i], proof.assets[i].decimals);
  }
  return out;
}

std::string_view OutcomeWords(LineOutcome outcome) {
  return outcome == LineOutcome::kInvalid ? "invalid" : "could not check";
}

// A file of proof lines: the counts, then the first lines that failed (kShownLineProblems).
int RunVerifyLines(std::string head, std::FILE* in, const std::string& origin, const TrustedRoots& trusted,
                   const VerifyArgs& args) {
  auto summary =
      VerifyProofLines(std::move(head), in, origin, trusted, args.threads == 0 ? DefaultThreads() : args.threads);
  if (!summary) return ReportError(summary.error().message);
  const std::uint64_t not_shown = summary->problems() - summary->shown.size();
  if (args.json) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.StartObject();
    w.Key("proofs");
    w.Uint64(summary->proofs);
    w.Key("valid");
    w.Uint64(summary->valid);
    w.Key("invalid");
    w.Uint64(summary->invalid);
    w.Key("could_not_check");
    w.Uint64(summary->could_not_check);
    w.Key("lines");
    w.StartArray();
    for (const LineProblem& p : summary->shown) {
      w.StartObject();
      w.Key("line");
      w.Uint64(p.line);
      w.Key("verdict");
      w.String(std::string(merkle::ProofVerdictName(p.verdict)));
      w.Key("reason");
      w.String(p.reason);
      w.EndObject();
    }
    w.EndArray();
    w.Key("lines_not_shown");
    w.Uint64(not_shown);
    w.EndObject();
    std::cout << buffer.GetString() << '\n';
  } else {
    std::cout << origin << ": " << summary->proofs << (summary->proofs == 1 ? " proof" : " proofs")
              << " checked against " << trusted.description() << ": " << summary->valid << " valid, "
              << summary->invalid << " invalid, " << summary->could_not_check << " could not be checked\n";
    for (const LineProblem& p : summary->shown) {
      std::cout << "line " << p.line << ": " << OutcomeWords(p.outcome) << ": " << Printable(p.reason) << '\n';
    }
    if (not_shown > 0) std::cout << "... and " << not_shown << " more " << (not_shown == 1 ? "line" : "lines") << '\n';
  }
  // A proof that does not hold is a definite finding, even if other lines could not be checked.
  if (summary->invalid > 0) return kExitDoesNotHold;
  if (summary->could_not_check > 0) return kExitCannotCheck;
  if (summary->proofs == 0) return ReportError(origin + ": no proof in the file");
  return kExitHolds;
}

int RunVerify(const VerifyArgs& args) {
  auto trusted = LoadTrustedRoots(args.roots, clients::HttpOptions{});
  if (!trusted) return ReportError(trusted.error().message);
  auto input = OpenProofInput(args.proof);
  if (!input) return ReportError(input.error().message);
  const std::string origin = args.proof == "-" ? "stdin" : args.proof;
  bool at_end = false;
  // One proof is at most 1 MiB: this much shows whether the file is one proof or one per line.
  auto head = ReadHead(input->get(), merkle::kMaxProofBytes + 1, origin, at_end);
  if (!head) return ReportError(head.error().message);
  if (LooksLikeProofLines(*head)) return RunVerifyLines(std::move(*head), input->get(), origin, *trusted, args);
  if (!at_end) return ReportError(origin + ": proof larger than 1 MiB");
  auto proof = merkle::ParseInclusionProof(*head, origin);
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
    // The balances the proof commits to, so a script need not read them out of the text line.
    w.Key("balances");
    w.StartArray();
    for (std::size_t i = 0; i < proof->assets.size(); ++i) {
      w.StartObject();
      w.Key("symbol");
      w.String(proof->assets[i].symbol);
      w.Key("amount");
      w.String(merkle::FormatAmount(proof->balances[i], proof->assets[i].decimals));
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    std::cout << buffer.GetString() << '\n';
  } else if (valid) {
    std::cout << "valid: account " << Printable(proof->account_id) << " (" << DescribeBalances(*proof)
              << ") is included in root " << ToHex(proof->root.hash) << " of pool " << Printable(proof->pool) << '\n';
  } else {
    std::cout << "invalid: " << Printable(check.reason) << '\n';
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
  verify->footer(
      "A file of one proof per line (`proof export --all --out`) is checked line by line on every core: the counts,\n"
      "then each invalid or unreadable line (the first 20). Exit 1 if any proof is invalid, else 2 if any line\n"
      "could not be checked.\n"
      "Examples:\n  segverify proof verify alice.json --root root.json\n"
      "  segverify proof verify all.jsonl --site https://status.example.com");
  verify->add_option("proof", verify_args->proof, "Proof JSON file (one proof, or one per line), or - for stdin")
      ->required();
  verify->add_option("--root", verify_args->roots.root,
                     "The published root.json, or a site's roots.json, to check against");
  verify->add_option("--root-hash", verify_args->roots.root_hash, "The published root hash (64 hex) to check against");
  verify->add_option("--site", verify_args->roots.site,
                     "A published status site (https:// URL or directory): check against its roots.json");
  verify->add_flag("--json", verify_args->json, "Machine-readable result");
  verify->add_option("--threads", verify_args->threads, "Threads for a file of proof lines (default: one per core)");
  verify->callback([verify_args, &exit_code] { exit_code = RunVerify(*verify_args); });
}

}  // namespace segverify::cli
