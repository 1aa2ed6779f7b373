// root.json (format "segverify-root/1"): what an exchange publishes for one pool's tree.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/result.h"
#include "common/sha256.h"
#include "common/u128.h"
#include "merkle/asset.h"

namespace segverify::merkle {

inline constexpr std::string_view kRootFormat = "segverify-root/1";

// `pool` is optional in root.json (docs/DESIGN.md §Command line): `tree build` writes it, readers
// accept its absence (empty here). A proof's embedded root carries no pool.
struct PublishedRoot {
  std::vector<AssetSpec> assets;
  unsigned height = 0;
  Hash256 hash{};
  std::vector<u128> sums;  // base units, one per asset
  std::string pool;        // optional "pool" of root.json; empty when the file does not name one
  bool operator==(const PublishedRoot&) const = default;
};

// Serializes as docs/FORMAT.md §4 shows (one line, no trailing newline).
std::string PublishedRootToJson(const PublishedRoot& root);

// Parses and validates root.json text; `origin` names the file in errors.
[[nodiscard]] Result<PublishedRoot> ParsePublishedRoot(std::string_view json, std::string_view origin);
[[nodiscard]] Result<PublishedRoot> ReadPublishedRootFile(const std::string& path);

// Reads a root object's fields (hash, sums, height) from an already parsed JSON object; used by
// the proof's embedded root and by reports.
[[nodiscard]] Result<PublishedRoot> ReadRootFields(const JsonObjectReader& reader, std::vector<AssetSpec> assets);

}  // namespace segverify::merkle
