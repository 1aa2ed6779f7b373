#include "merkle/nonce_key.h"

#include <cstdlib>

#include "common/file_io.h"
#include "common/hex.h"

namespace segverify::merkle {

Result<NonceKey> ParseNonceKey(std::string_view text, std::string_view origin) {
  const std::size_t line_end = text.find('\n');
  if (line_end != std::string_view::npos) text = text.substr(0, line_end);
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  NonceKey key;
  if (!FromHexExact(text, key)) return Error{std::string(origin) + ": expected 64 hex characters (32 bytes)"};
  return key;
}

Result<std::optional<NonceKey>> LoadNonceKey(const std::string& file) {
  if (!file.empty()) {
    auto text = ReadFileLimited(file, 4096);
    if (!text) return text.error();
    auto key = ParseNonceKey(*text, file);
    if (!key) return key.error();
    return std::optional<NonceKey>(*key);
  }
  const char* env = std::getenv(kNonceKeyVariable);
  if (env == nullptr || *env == '\0') return std::optional<NonceKey>();
  auto key = ParseNonceKey(env, kNonceKeyVariable);
  if (!key) return key.error();
  return std::optional<NonceKey>(*key);
}

}  // namespace segverify::merkle
