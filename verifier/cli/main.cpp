// segverify entry point: parses the command line and maps every failure to an exit code.
// Usage errors and uncaught exceptions are exit 2 ("could not check"), never 0.
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "verifier/cli/commands.h"
#include "verifier/cli/exit_codes.h"

int main(int argc, char** argv) {
  using namespace segverify::cli;
  CLI::App app{"segverify: proves that an exchange keeps its clients' coins segregated from its own"};
  app.set_version_flag("--version", SEGVERIFY_VERSION);
  app.require_subcommand(1);
  int exit_code = kExitCannotCheck;

  // Command groups register here, one line each.
  AddAttestCommands(app, exit_code);
  AddServeCommands(app, exit_code);
  AddPublishCommands(app, exit_code);
  AddSigCommands(app, exit_code);
  AddBalancesCommands(app, exit_code);
  AddTreeCommands(app, exit_code);
  AddProofCommands(app, exit_code);
  AddAddressCommands(app, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // CLI11 has its own exit codes; the contract has one for usage errors: 2.
    std::cerr << "segverify: usage error: " << e.what() << " (see --help)\n";
    return kExitCannotCheck;
  } catch (const std::exception& e) {
    return ReportError(e.what());
  }
  return exit_code;
}
