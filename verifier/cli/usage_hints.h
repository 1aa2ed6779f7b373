// Usage errors that say what was meant (docs/DESIGN.md "Command line"): an unknown command or
// option is named with the nearest known one ("unknown command 'atest'; did you mean 'attest'?"),
// a command group given alone lists its commands, and `segverify help [CMD ...]` is `CMD ... --help`.
// CLI11 parses; these only explain a command line it refused, so a valid one is never affected.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace segverify::cli {

// The known word nearest to `word` by edit distance (insertions, deletions, substitutions and
// swaps of neighbours), when close enough to be a typo: at most 1 edit for words up to 4
// characters, 2 up to 8, 3 beyond. nullopt when none is.
std::optional<std::string> NearestWord(std::string_view word, const std::vector<std::string>& known);

// One line explaining why `args` (argv without the program name) did not parse, naming the unknown
// command or option with the nearest known one, or listing a group's commands; nullopt when it is
// none of those (CLI11's own message then stands).
std::optional<std::string> ExplainUsage(CLI::App& app, const std::vector<std::string>& args);

// `help`, `help CMD ...`: the arguments that show that help (`CMD ... --help`); nullopt otherwise.
std::optional<std::vector<std::string>> HelpArguments(const std::vector<std::string>& args);

}  // namespace segverify::cli
