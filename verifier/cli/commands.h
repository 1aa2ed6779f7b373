// The segverify command line: one file per command group, each adding its subcommands to the root
// app. A command's callback stores its exit code in `exit_code` (see exit_codes.h); it reports
// errors on stderr itself, one line each.
#pragma once

#include <CLI/CLI.hpp>

namespace segverify::cli {

void AddTreeCommands(CLI::App& root, int& exit_code);      // tree build
void AddProofCommands(CLI::App& root, int& exit_code);     // proof export / proof verify
void AddAddressCommands(CLI::App& root, int& exit_code);   // address inspect
void AddSigCommands(CLI::App& root, int& exit_code);       // sig verify
void AddBalancesCommands(CLI::App& root, int& exit_code);  // balances
void AddServeCommands(CLI::App& root, int& exit_code);     // serve
void AddPublishCommands(CLI::App& root, int& exit_code);   // publish
void AddRecheckCommands(CLI::App& root, int& exit_code);   // recheck

void AddAttestCommands(CLI::App& root, int& exit_code);  // attest

}  // namespace segverify::cli
