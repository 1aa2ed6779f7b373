// `segverify proof export` and `segverify proof verify`.
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <optional>
#include <thread>
#include <vector>

#include <unistd.h>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/file_io.h"
#include "common/hex.h"
#include "merkle/amount.h"
#include "merkle/inclusion_proof.h"
#include "merkle/tree_store.h"
#include "verifier/cli/commands.h"
#include "verifier/cli/exit_codes.h"

namespace segverify::cli {
namespace {

struct ExportArgs {
  std::string tree;
  std::string account;
  bool all = false;
  std::string out;
  bool quiet = false;
};

struct VerifyArgs {
  std::string proof;
  std::string root;
  std::string root_hash;
  bool json = false;
};

// Writes all of `data` at `offset`; false on an error (errno set).
bool PwriteAll(int fd, const std::string& data, std::uint64_t offset) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::pwrite(fd, data.data() + done, data.size() - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

int RunExport(const ExportArgs& args) {
  if (args.all == !args.account.empty()) return ReportError("give exactly one of --account ID or --all");
  auto store = merkle::TreeStore::Open(args.tree);
  if (!store) return ReportError(store.error().message);

  if (!args.all) {
    const auto position = store->FindAccount(args.account);
    if (!position) return ReportError(args.tree + ": account \"" + args.account + "\" is not in this tree");
    auto proof = store->ExportProof(*position);
    if (!proof) return ReportError(proof.error().message);
    const std::string json = merkle::InclusionProofToJson(*proof) + "\n";
    if (args.out.empty()) {
      std::cout << json;
      return kExitHolds;
    }
    if (Status s = WriteFileAtomic(args.out, json); !s) return ReportError(s.message());
    return kExitHolds;
  }

  const auto start = std::chrono::steady_clock::now();
  std::optional<AtomicFile> file;
  if (!args.out.empty()) {
    auto created = AtomicFile::Create(args.out);
    if (!created) return ReportError(created.error().message);
    file.emplace(std::move(*created));
  }
  // Proofs are formatted in blocks on every core (TreeStore is read-only, so safe to share) and
  // written in leaf order.
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  // With --out, only pwrite touches the file (never the FILE* buffer), so the offsets are ours.
  const int fd = file ? ::fileno(file->stream()) : -1;
  std::uint64_t written = 0;
  constexpr std::uint64_t kBlock = 8192;
  std::vector<std::string> chunks(threads);
  std::vector<std::string> errors(threads);
  for (std::uint64_t first = 0; first < store->accounts(); first += kBlock) {
    const std::uint64_t count = std::min(kBlock, store->accounts() - first);
    const std::uint64_t per = (count + threads - 1) / threads;
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        chunks[t].clear();
        const std::uint64_t begin = first + std::min(count, per * t), end = first + std::min(count, per * (t + 1));
        for (std::uint64_t p = begin; p < end; ++p) {
          auto proof = store->ExportProof(p);
          if (!proof) {
            errors[t] = proof.error().message;
            return;
          }
          chunks[t] += merkle::InclusionProofToJson(*proof);
          chunks[t] += '\n';
        }
      });
    }
    for (auto& w : workers) w.join();
    for (unsigned t = 0; t < threads; ++t) {
      if (!errors[t].empty()) return ReportError(errors[t]);
    }
    if (file) {
      // Each thread copies its own chunk into the file at its offset: the kernel's copy of the
      // output into the page cache is half the work, so it is spread over the cores too.
      std::vector<std::uint64_t> offsets(threads);
      for (unsigned t = 0; t < threads; ++t) {
        offsets[t] = written;
        written += chunks[t].size();
      }
      std::vector<std::thread> writers;
      for (unsigned t = 0; t < threads; ++t) {
        writers.emplace_back([&, t] {
          if (!PwriteAll(fd, chunks[t], offsets[t])) errors[t] = args.out + ": write failed: " + std::strerror(errno);
        });
      }
      for (auto& w : writers) w.join();
      for (unsigned t = 0; t < threads; ++t) {
        if (!errors[t].empty()) return ReportError(errors[t]);
      }
    } else {
      for (unsigned t = 0; t < threads; ++t) std::cout << chunks[t];
    }
    const std::uint64_t done = first + count;
    if (!args.quiet && done % 1048576 == 0) std::cerr << "proof export: " << done << "/" << store->accounts() << '\n';
  }
  if (file) {
    if (Status s = file->Commit(); !s) return ReportError(s.message());
  }
  if (!args.quiet) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cerr << "proof export: " << store->accounts() << " proofs in " << seconds << " s ("
              << static_cast<long long>(static_cast<double>(store->accounts()) / std::max(seconds, 1e-9)) << "/s)\n";
  }
  return kExitHolds;
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
  if (!args.root.empty() && !args.root_hash.empty()) return ReportError("give at most one of --root and --root-hash");
  merkle::ExpectedRoot expected;
  if (!args.root.empty()) {
    // A tree directory holds its root.json: name it rather than "is a directory".
    std::error_code ec;
    if (std::filesystem::is_directory(args.root, ec) && std::filesystem::exists(args.root + "/root.json", ec)) {
      return ReportError("--root: " + args.root + " is a tree directory; give its root file, " + args.root +
                         "/root.json");
    }
    auto root = merkle::ReadPublishedRootFile(args.root);
    if (!root) return ReportError("--root: " + root.error().message);
    expected.root = std::move(*root);
  }
  if (!args.root_hash.empty()) {
    Hash256 hash;
    // Explorers and reports write hashes with "0x", root.json without: both are the same hash.
    std::string_view hex = args.root_hash;
    if (hex.size() == 66 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) hex.remove_prefix(2);
    if (!FromHexExact(hex, hash)) return ReportError("--root-hash: expected 64 hex characters, with or without 0x");
    expected.hash = hash;
  }
  auto proof = LoadProof(args.proof);
  if (!proof) return ReportError(proof.error().message);
  const merkle::ProofCheck check = merkle::VerifyInclusionProof(*proof, expected);
  const bool valid = check.verdict == merkle::ProofVerdict::kValid;
  const bool anchored = expected.root || expected.hash;
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
    w.Key("anchored");
    w.Bool(anchored);
    w.EndObject();
    std::cout << buffer.GetString() << '\n';
  } else if (valid) {
    std::cout << "valid: account " << proof->account_id << " (" << DescribeBalances(*proof) << ") is included in root "
              << ToHex(proof->root.hash) << " of pool " << proof->pool << '\n';
    if (!anchored) {
      std::cout << "note: checked against the root inside the proof only; compare that hash with the published root "
                   "(--root root.json or --root-hash HEX)\n";
    }
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
  CLI::App* exp = proof->add_subcommand("export", "Export one account's proof, or every proof as JSON lines");
  exp->add_option("--tree", export_args->tree, "Tree directory written by `tree build`")->required();
  exp->add_option("--account", export_args->account, "Account id");
  exp->add_flag("--all", export_args->all, "Every account's proof, one JSON per line");
  exp->add_option("--out", export_args->out, "Output file (default: stdout)");
  exp->add_flag("--quiet", export_args->quiet, "No progress on stderr");
  exp->callback([export_args, &exit_code] { exit_code = RunExport(*export_args); });

  auto verify_args = std::make_shared<VerifyArgs>();
  CLI::App* verify = proof->add_subcommand("verify", "Check an inclusion proof (exit 0 valid, 1 invalid, 2 cannot check)");
  verify->add_option("proof", verify_args->proof, "Proof JSON file, or - for stdin")->required();
  verify->add_option("--root", verify_args->root, "The published root.json to check against");
  verify->add_option("--root-hash", verify_args->root_hash, "The published root hash (64 hex) to check against");
  verify->add_flag("--json", verify_args->json, "Machine-readable result");
  verify->callback([verify_args, &exit_code] { exit_code = RunVerify(*verify_args); });
}

}  // namespace segverify::cli
