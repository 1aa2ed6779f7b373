// segverify entry point: parses the command line and maps every failure to an exit code.
// Usage errors and uncaught exceptions are exit 2 ("could not check"), never 0; so is output to
// stdout that did not arrive (checked_stdout.h).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <csignal>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "verifier/cli/checked_stdout.h"
#include "verifier/cli/commands.h"
#include "verifier/cli/examples.h"
#include "verifier/cli/exit_codes.h"
#include "verifier/cli/usage_hints.h"

namespace {

using namespace segverify::cli;

int RunCommandLine(int argc, char** argv) {
  CLI::App app{"segverify: proves that an exchange keeps its clients' coins segregated from its own"};
  app.name("segverify");
  app.set_version_flag("--version", "segverify " SEGVERIFY_VERSION " (revision " SEGVERIFY_REVISION ")");
  app.require_subcommand(1);
  app.footer(
      "Exit codes: 0 holds (PASS, valid), 1 checked and does not hold (FAIL, invalid), 2 could not check.\n"
      "Example:\n"
      "  segverify proof verify my-proof.json --root-hash 0x<published root hash>\n"
      "Run `segverify help COMMAND` (or `segverify COMMAND --help`) for a command's options and an example.");
  int exit_code = kExitCannotCheck;

  // Command groups register here, one line each.
  AddAttestCommands(app, exit_code);
  AddServeCommands(app, exit_code);
  AddPublishCommands(app, exit_code);
  AddRecheckCommands(app, exit_code);
  AddSigCommands(app, exit_code);
  AddBalancesCommands(app, exit_code);
  AddTreeCommands(app, exit_code);
  AddProofCommands(app, exit_code);
  AddAddressCommands(app, exit_code);
  AddExamples(app);

  std::vector<std::string> args(argv + 1, argv + argc);
  if (auto help = HelpArguments(args)) args = std::move(*help);  // `segverify help [CMD ...]`
  const std::vector<std::string> given = args;
  std::reverse(args.begin(), args.end());  // CLI11 takes the arguments last first
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // CLI11 has its own exit codes; the contract has one for usage errors: 2.
    // The hint quotes what was typed (a command or option name): untrusted text, escaped.
    const auto hint = ExplainUsage(app, given);
    std::cerr << "segverify: usage error: "
              << segverify::Printable(hint ? *hint : std::string(e.what()) + " (see --help)") << "\n";
    return kExitCannotCheck;
  } catch (const std::exception& e) {
    return ReportError(e.what());
  }
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  // A file that reaches the size limit (ulimit -f) is a write that fails with EFBIG, reported
  // like a full disk, rather than a process killed half-way.
  std::signal(SIGXFSZ, SIG_IGN);
  // Likewise a stdout whose reader has gone (`segverify ... | head -c0`) is a write that fails
  // with EPIPE, exit 2 with one line, not a process killed without a word after it wrote its
  // outputs.
  std::signal(SIGPIPE, SIG_IGN);
  CheckedStdout checked(STDOUT_FILENO);
  std::streambuf* const original = std::cout.rdbuf(&checked);
  int exit_code = RunCommandLine(argc, argv);
  std::cout.flush();
  std::cout.rdbuf(original);
  if (const std::string failure = checked.Finish(); !failure.empty()) {
    exit_code = ReportError("cannot write to standard output: " + failure);
  }
  return exit_code;
}
