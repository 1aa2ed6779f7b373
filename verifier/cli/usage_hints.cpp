#include "verifier/cli/usage_hints.h"

#include <algorithm>

namespace segverify::cli {
namespace {

// Optimal string alignment distance (Damerau-Levenshtein without repeated edits of a substring).
std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1, 0));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

std::vector<CLI::App*> Commands(CLI::App& app) {
  return app.get_subcommands([](CLI::App* sub) { return !sub->get_name().empty() && !sub->get_group().empty(); });
}

std::vector<std::string> CommandNames(CLI::App& app) {
  std::vector<std::string> names;
  for (CLI::App* sub : Commands(app)) names.push_back(sub->get_name());
  return names;
}

std::string Joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

// "--name" for every long option of `app` and its parents (options of a parent are not taken
// after a subcommand, but naming one is still the nearest meaning).
std::vector<std::string> OptionNames(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* option : app.get_options()) {
    for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
  }
  return names;
}

std::string CommandPath(const CLI::App& app) {
  std::string path;
  for (const CLI::App* at = &app; at != nullptr && at->get_parent() != nullptr; at = at->get_parent()) {
    path = at->get_name() + (path.empty() ? "" : " " + path);
  }
  return path;
}

}  // namespace

std::optional<std::string> NearestWord(std::string_view word, const std::vector<std::string>& known) {
  const std::size_t allowed = word.size() <= 4 ? 1 : word.size() <= 8 ? 2 : 3;
  std::optional<std::string> best;
  std::size_t best_distance = allowed + 1;
  for (const std::string& candidate : known) {
    const std::size_t distance = EditDistance(word, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::optional<std::string> ExplainUsage(CLI::App& app, const std::vector<std::string>& args) {
  CLI::App* level = &app;
  bool command_given = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") break;
    if (arg.starts_with("--")) {
      const std::string name = arg.substr(0, arg.find('='));
      if (name == "--help" || name == "--version") return std::nullopt;
      if (level->get_option_no_throw(name) != nullptr) continue;
      const std::string where = level == &app ? "" : " for '" + CommandPath(*level) + "'";
      const auto nearest = NearestWord(name, OptionNames(*level));
      return "unknown option '" + name + "'" + where +
             (nearest ? "; did you mean '" + *nearest + "'?" : " (see segverify " + CommandPath(*level) + " --help)");
    }
    if (arg.starts_with("-")) continue;
    const std::vector<std::string> commands = CommandNames(*level);
    if (commands.empty()) continue;  // a positional argument of a command
    const std::vector<CLI::App*> subs = Commands(*level);
    const auto named = std::find_if(subs.begin(), subs.end(), [&](CLI::App* sub) { return sub->check_name(arg); });
    if (named != subs.end()) {
      CLI::App* sub = *named;
      level = sub;
      command_given = false;
      if (!CommandNames(*level).empty()) continue;
      command_given = true;
      continue;
    }
    const std::string where = level == &app ? "" : " of '" + CommandPath(*level) + "'";
    const auto nearest = NearestWord(arg, commands);
    return "unknown command '" + arg + "'" + where +
           (nearest ? "; did you mean '" + *nearest + "'?" : " (commands: " + Joined(commands) + ")");
  }
  const std::vector<std::string> commands = CommandNames(*level);
  if (!command_given && !commands.empty()) {
    const std::string path = CommandPath(*level);
    return (path.empty() ? "a command is required" : "'" + path + "' needs a command") + ": " + Joined(commands) +
           " (see segverify " + (path.empty() ? "" : path + " ") + "COMMAND --help)";
  }
  return std::nullopt;
}

std::optional<std::vector<std::string>> HelpArguments(const std::vector<std::string>& args) {
  if (args.empty() || args.front() != "help") return std::nullopt;
  std::vector<std::string> out(args.begin() + 1, args.end());
  out.push_back("--help");
  return out;
}

}  // namespace segverify::cli
