#include "web/assets.h"

#include <span>

namespace segverify::web {
namespace {

std::string_view ContentTypeFor(std::string_view name) {
  if (name.ends_with(".html")) return "text/html; charset=utf-8";
  if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace

std::optional<Asset> FindWebAsset(std::string_view name) {
  for (const EmbeddedFile& file : std::span(kEmbeddedFiles, kEmbeddedFileCount)) {
    if (name == file.name) {
      return Asset{std::string_view(reinterpret_cast<const char*>(file.bytes), file.size), ContentTypeFor(name)};
    }
  }
  return std::nullopt;
}

}  // namespace segverify::web
