// The status page's static files (web/*.html, *.js, *.css), embedded in the binary at build time.
//
// Why embedded: the server then serves a fixed set of names and never opens a file named by a
// request, so no path (encoded or not) can reach outside the report directory.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace segverify::web {

struct Asset {
  std::string_view content;
  std::string_view content_type;  // e.g. "text/javascript; charset=utf-8"
};

// The asset named `name` ("index.html", "app.js"; no leading slash, no directories), or nullopt.
std::optional<Asset> FindWebAsset(std::string_view name);

// Raw table written by embed_assets.cmake (implementation detail of FindWebAsset).
struct EmbeddedFile {
  const char* name;
  const unsigned char* bytes;
  std::size_t size;
};
extern const EmbeddedFile kEmbeddedFiles[];
extern const std::size_t kEmbeddedFileCount;

}  // namespace segverify::web
