// `segverify attest CONFIG.json --out DIR [--replay DIR/evidence]`: the monthly attestation.
// Exit 0 PASS, 1 FAIL, 2 ERROR (a check could not be done) or bad input.
#include <chrono>
#include <iostream>
#include <optional>
#include <string_view>

#include "common/hex.h"
#include "common/output_dir.h"
#include "common/plural.h"
#include "common/printable.h"
#include "common/progress.h"
#include "merkle/nonce_key.h"
#include "verifier/attest/attestation.h"
#include "verifier/cli/commands.h"
#include "verifier/cli/exit_codes.h"
#include "verifier/report/report_json.h"

namespace segverify::cli {
namespace {

struct AttestArgs {
  std::string config;
  std::string out;
  std::string replay;
  std::string nonce_key_file;
  bool quiet = false;
  bool json = false;
  std::string deadline = "4h";
};

// "4h", "30m", "90s", "2h30m": whole hours, minutes and seconds, in that order; at least 1 s.
std::optional<std::chrono::seconds> ParseRunDeadline(std::string_view text) {
  std::chrono::seconds total{0};
  std::string_view units = "hms";
  if (text.empty()) return std::nullopt;
  while (!text.empty()) {
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    if (digits == 0 || digits > 6 || digits == text.size()) return std::nullopt;
    const long value = std::stol(std::string(text.substr(0, digits)));
    const std::size_t unit = units.find(text[digits]);
    if (unit == std::string_view::npos) return std::nullopt;
    total += std::chrono::seconds(value * (unit == 0 ? 3600 : unit == 1 ? 60 : 1));
    units.remove_prefix(unit + 1);
    text.remove_prefix(digits + 1);
  }
  if (total.count() < 1) return std::nullopt;
  return total;
}

// Prints the verdict and findings on stdout. Errors (checks that could not be done) go to stderr
// only, once each (docs/DESIGN.md §Command line: errors on stderr, one line each); the summary
// counts them.
void PrintSummary(const report::Report& done, const std::string& out_dir) {
  std::cout << "attestation " << Printable(done.id) << ": " << report::ToString(done.verdict) << '\n';
  for (const auto& f : done.findings) {
    std::cout << "  " << report::ToString(f.severity) << " " << report::ToString(f.check) << ": "
              << Printable(f.subject) << ": " << Printable(f.detail) << '\n';
  }
  if (!done.problems.empty()) {
    std::cout << "  " << Count(done.problems.size(), "check", "checks")
              << " could not be done (on stderr and in report.json)\n";
  }
  std::cout << "report: " << Printable(out_dir) << "/report.json, " << Printable(out_dir) << "/report.html\n";
  std::cout << "public attestation (for `segverify publish` and anyone's `segverify recheck`): " << Printable(out_dir)
            << "/attestation.json\n";
}

int RunAttest(const AttestArgs& args) {
  // Before anything is written: Ctrl-C or SIGTERM then removes what the run made.
  InstallInterruptCleanup();
  // The key comes from a file or the environment, never from the command line (where `ps` shows it).
  auto key = merkle::LoadNonceKey(args.nonce_key_file);
  if (!key) return ReportError((args.nonce_key_file.empty() ? "" : "--nonce-key-file: ") + key.error().message);
  const auto deadline = ParseRunDeadline(args.deadline);
  if (!deadline) return ReportError("--deadline: expected a duration such as 4h, 30m, 90s or 1h30m");
  attest::AttestOptions options;
  // Every node request of the run ends by then; what was not done is in the report (ERROR).
  options.http.run_deadline = std::chrono::steady_clock::now() + *deadline;
  options.http.run_deadline_text = "--deadline " + args.deadline;
  options.config_path = args.config;
  options.out_dir = args.out;
  if (!args.replay.empty()) options.replay_dir = args.replay;
  options.nonce_key = *key;
  options.tool_version = SEGVERIFY_VERSION;
  std::unique_ptr<ProgressPrinter> printer = ProgressPrinter::ForStderr(args.quiet);
  if (printer) {
    options.progress = [p = printer.get()](const std::string& line) { p->Note(line); };
    options.work = printer->Callback();
  }
  auto result = attest::RunAttestation(options);
  if (printer) printer->Finish();
  if (!result) return ReportError(result.error().message);
  const report::Report& done = *result;
  if (args.json) {
    std::cout << report::ReportToJson(done);
  } else {
    PrintSummary(done, args.out);
  }
  for (const Problem& p : done.problems) ReportError(p.line);
  switch (done.verdict) {
    case report::Verdict::kPass:
      return kExitHolds;
    case report::Verdict::kFail:
      return kExitDoesNotHold;
    case report::Verdict::kError:
      return kExitCannotCheck;
  }
  return kExitCannotCheck;
}

}  // namespace

void AddAttestCommands(CLI::App& root, int& exit_code) {
  auto args = std::make_shared<AttestArgs>();
  CLI::App* cmd = root.add_subcommand(
      "attest", "Run an attestation: coverage and segregation of every pool (exit 0 PASS, 1 FAIL, 2 ERROR)");
  cmd->add_option("config", args->config, "Attestation config (segverify-attestation/1)")->required();
  cmd->add_option("--out", args->out,
                  "Output directory: report.json, report.html, attestation.json (public), evidence/, pools/<name>/")
      ->required();
  cmd->add_option("--replay", args->replay,
                  "Answer every node request from this recorded evidence directory (offline)");
  cmd->add_option("--nonce-key-file", args->nonce_key_file,
                  "File holding the 64-hex-char nonce key (else SEGVERIFY_NONCE_KEY, else random nonces)");
  cmd->add_option("--deadline", args->deadline,
                  "Longest time the run may take (default 4h); node reads not done by then make it ERROR");
  cmd->add_flag("--quiet", args->quiet, "No progress on stderr");
  cmd->add_flag("--json", args->json, "Print report.json instead of a summary");
  cmd->callback([args, &exit_code] { exit_code = RunAttest(*args); });
}

}  // namespace segverify::cli
