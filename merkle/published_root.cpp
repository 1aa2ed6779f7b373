#include "merkle/published_root.h"

#include "common/file_io.h"
#include "merkle/json_fields.h"

namespace segverify::merkle {

std::string PublishedRootToJson(const PublishedRoot& root) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("format");
  WriteJsonString(w, kRootFormat);
  if (!root.pool.empty()) {
    w.Key("pool");
    WriteJsonString(w, root.pool);
  }
  w.Key("assets");
  WriteAssets(w, root.assets);
  w.Key("height");
  w.Uint(root.height);
  w.Key("hash");
  WriteHash(w, root.hash);
  w.Key("sums");
  WriteAmounts(w, root.sums, root.assets);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

Result<PublishedRoot> ReadRootFields(const JsonObjectReader& reader, std::vector<AssetSpec> assets) {
  PublishedRoot root;
  root.assets = std::move(assets);
  auto hash = ReadHash(reader, "hash");
  if (!hash) return hash.error();
  root.hash = *hash;
  auto sums = ReadAmounts(reader, "sums", root.assets);
  if (!sums) return sums.error();
  root.sums = std::move(*sums);
  auto height = ReadHeight(reader, "height");
  if (!height) return height.error();
  root.height = *height;
  return root;
}

Result<PublishedRoot> ParsePublishedRoot(std::string_view json, std::string_view origin) {
  auto doc = ParseJson(json, origin, JsonLimits{1u << 20, 16});
  if (!doc) return doc.error();
  JsonObjectReader reader(**doc, std::string(origin), "");
  if (Status s = reader.CheckFormat(kRootFormat); !s) return s.error();
  if (Status s = reader.CheckOnlyKeys({"format", "pool", "assets", "height", "hash", "sums"}); !s) return s.error();
  auto assets = ReadAssets(reader, "assets");
  if (!assets) return assets.error();
  auto root = ReadRootFields(reader, std::move(*assets));
  if (!root) return root.error();
  // "pool" is optional in segverify-root/1 (roots written before it existed have none).
  if (reader.Has("pool")) {
    auto pool = reader.String("pool");
    if (!pool) return pool.error();
    if (pool->empty()) return reader.FieldError("pool", "must not be empty");
    root->pool = std::move(*pool);
  }
  return root;
}

Result<PublishedRoot> ReadPublishedRootFile(const std::string& path) {
  auto text = ReadFileLimited(path, 1u << 20);
  if (!text) return text.error();
  return ParsePublishedRoot(*text, path);
}

}  // namespace segverify::merkle
