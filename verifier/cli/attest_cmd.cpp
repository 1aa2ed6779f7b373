// `segverify attest CONFIG.json --out DIR [--replay DIR/evidence]`: the monthly attestation.
// Exit 0 PASS, 1 FAIL, 2 ERROR (a check could not be done) or bad input.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <mutex>

#include "common/hex.h"
#include "verifier/attest/attestation.h"
#include "verifier/report/report_json.h"
#include "verifier/cli/commands.h"
#include "verifier/cli/exit_codes.h"

namespace segverify::cli {
namespace {

struct AttestArgs {
  std::string config;
  std::string out;
  std::string replay;
  std::string nonce_key_file;
  bool quiet = false;
  bool json = false;
};

// The key comes from a file or the environment, never from the command line (where `ps` shows it).
Result<std::optional<std::array<std::uint8_t, 32>>> LoadNonceKey(const std::string& file) {
  std::string text;
  std::string origin;
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) return Error{file + ": cannot read the nonce key file"};
    std::getline(in, text);
    origin = file;
  } else if (const char* env = std::getenv("SEGVERIFY_NONCE_KEY"); env != nullptr && *env != '\0') {
    text = env;
    origin = "SEGVERIFY_NONCE_KEY";
  } else {
    return std::optional<std::array<std::uint8_t, 32>>{};
  }
  while (!text.empty() && (text.back() == '\r' || text.back() == ' ')) text.pop_back();
  std::array<std::uint8_t, 32> key;
  if (!FromHexExact(text, key)) return Error{origin + ": expected 64 hex characters (32 bytes)"};
  return std::optional<std::array<std::uint8_t, 32>>(key);
}

int RunAttest(const AttestArgs& args) {
  auto key = LoadNonceKey(args.nonce_key_file);
  if (!key) return ReportError(key.error().message);
  attest::AttestOptions options;
  options.config_path = args.config;
  options.out_dir = args.out;
  if (!args.replay.empty()) options.replay_dir = args.replay;
  options.nonce_key = *key;
  options.tool_version = SEGVERIFY_VERSION;
  auto mutex = std::make_shared<std::mutex>();
  if (!args.quiet) {
    options.progress = [mutex](const std::string& line) {
      std::lock_guard<std::mutex> lock(*mutex);
      std::cerr << line << '\n';
    };
  }
  auto result = attest::RunAttestation(options);
  if (!result) return ReportError(result.error().message);
  const report::Report& done = *result;
  if (args.json) {
    std::cout << report::ReportToJson(done);
  } else {
    std::cout << "attestation " << done.id << ": " << report::ToString(done.verdict) << '\n';
    for (const auto& f : done.findings) {
      std::cout << "  " << report::ToString(f.severity) << " " << f.check << ": " << f.subject << ": " << f.detail << '\n';
    }
    for (const auto& e : done.errors) std::cout << "  could not check: " << e << '\n';
    std::cout << "report: " << args.out << "/report.json, " << args.out << "/report.html\n";
  }
  for (const auto& e : done.errors) std::cerr << "segverify: error: " << e << '\n';
  switch (done.verdict) {
    case report::Verdict::kPass: return kExitHolds;
    case report::Verdict::kFail: return kExitDoesNotHold;
    case report::Verdict::kError: return kExitCannotCheck;
  }
  return kExitCannotCheck;
}

}  // namespace

void AddAttestCommands(CLI::App& root, int& exit_code) {
  auto args = std::make_shared<AttestArgs>();
  CLI::App* cmd = root.add_subcommand(
      "attest", "Run an attestation: coverage and segregation of every pool (exit 0 PASS, 1 FAIL, 2 ERROR)");
  cmd->add_option("config", args->config, "Attestation config (segverify-attestation/1)")->required();
  cmd->add_option("--out", args->out, "Output directory: report.json, report.html, evidence/, pools/<name>/")->required();
  cmd->add_option("--replay", args->replay, "Answer every node request from this recorded evidence directory (offline)");
  cmd->add_option("--nonce-key-file", args->nonce_key_file,
                  "File holding the 64-hex-char nonce key (else SEGVERIFY_NONCE_KEY, else random nonces)");
  cmd->add_flag("--quiet", args->quiet, "No progress on stderr");
  cmd->add_flag("--json", args->json, "Print report.json instead of a summary");
  cmd->callback([args, &exit_code] { exit_code = RunAttest(*args); });
}

}  // namespace segverify::cli
