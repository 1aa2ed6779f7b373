// `segverify COMMAND --help` ends with an example of the command as a user would type it.
// The examples live in one table (examples.cpp) rather than beside each command's options, so
// every command gets one and they read alike; tests/cli/cli_rules_test.cpp checks that every
// command's --help shows one.
#pragma once

#include <CLI/CLI.hpp>

namespace segverify::cli {

// Sets the footer of every registered command named in the table (call after registering all).
void AddExamples(CLI::App& root);

}  // namespace segverify::cli
