#include "verifier/cli/source_option.h"

#include <cstdlib>

namespace segverify::cli {

Result<clients::SourceConfig> ParseSourceOption(std::string_view text, std::size_t n) {
  const std::size_t eq = text.find('=');
  if (eq == std::string_view::npos) return Error{"--source: expected TYPE=URL"};
  auto type = clients::ParseSourceType(text.substr(0, eq));
  if (!type) return Error{"--source: " + type.error().message};
  clients::SourceConfig config;
  config.type = *type;
  config.url = std::string(text.substr(eq + 1));
  auto url = clients::ParseSourceUrl(config.url);
  if (!url) return Error{"--source " + std::to_string(n) + ": " + url.error().message};
  // Bitcoin Core needs credentials: from the URL's userinfo, else from the environment.
  if (*type == clients::SourceType::kBitcoinCore && !url->has_userinfo) {
    if (const char* auth = std::getenv("SEGVERIFY_RPC_AUTH"); auth && *auth) config.auth = auth;
  }
  return config;
}

}  // namespace segverify::cli
