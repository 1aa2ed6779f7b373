#include "verifier/report/roots_json.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/hex.h"
#include "common/json.h"
#include "merkle/amount.h"
#include "merkle/json_fields.h"
#include "verifier/report/public_view.h"
#include "verifier/report/published_files.h"

namespace segverify::report {
namespace {

using merkle::JsonWriter;

constexpr std::size_t kMaxRoots = 100000;
constexpr std::size_t kMaxName = 128;

void StringField(JsonWriter& w, std::string_view key, std::string_view value) {
  WriteJsonKey(w, key);
  WriteJsonString(w, value);
}

// An id or a pool name: 1 to 128 bytes, no control character (they are shown on the status page).
Result<std::string> ReadName(const JsonObjectReader& reader, std::string_view key) {
  auto text = reader.String(key);
  if (!text) return text.error();
  if (text->empty() || text->size() > kMaxName) return reader.FieldError(key, "expected 1 to 128 bytes");
  for (char c : *text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return reader.FieldError(key, "contains a control character");
  }
  return text;
}

Result<std::string> ReadUtcTime(const JsonObjectReader& reader, std::string_view key) {
  auto when = reader.String(key);
  if (!when) return when.error();
  if (!ParseUtcTime(*when)) return reader.FieldError(key, "expected a UTC time (ISO 8601)");
  return when;
}

// The fields every entry has, then `superseded_at` for an entry of the superseded list.
Status ReadRootFields(const JsonObjectReader& reader, ListedRoot& root) {
  auto id = ReadName(reader, "id");
  if (!id) return id.error();
  root.report_id = std::move(*id);
  auto pool = ReadName(reader, "pool");
  if (!pool) return pool.error();
  root.pool = std::move(*pool);
  auto hash = merkle::ReadHash(reader, "hash");
  if (!hash) return hash.error();
  root.hash = ToHex(*hash);
  auto assets = merkle::ReadAssets(reader, "assets");
  if (!assets) return assets.error();
  root.assets = std::move(*assets);
  auto sums = merkle::ReadAmounts(reader, "sums", root.assets);
  if (!sums) return sums.error();
  for (std::size_t i = 0; i < sums->size(); ++i)
    root.sums.push_back(merkle::FormatAmount((*sums)[i], root.assets[i].decimals));
  auto height = merkle::ReadHeight(reader, "height");
  if (!height) return height.error();
  root.height = *height;
  auto verdict_text = reader.String("verdict");
  if (!verdict_text) return verdict_text.error();
  auto verdict = ParseVerdict(*verdict_text);
  if (!verdict) return reader.FieldError("verdict", "expected PASS, FAIL or ERROR");
  root.verdict = *verdict;
  if (reader.Has("attested_at")) {
    auto value = reader.Member("attested_at");
    if (!value) return value.error();
    if (!(*value)->IsNull()) {
      auto when = ReadUtcTime(reader, "attested_at");
      if (!when) return when.error();
      root.attested_at = std::move(*when);
    }
  }
  return Status::Ok();
}

Result<ListedRoot> ReadRoot(const JsonObjectReader& reader, bool superseded) {
  if (Status s = reader.CheckIsObject(); !s) return s.error();
  ListedRoot root;
  if (Status s = ReadRootFields(reader, root); !s) return s.error();
  if (superseded) {
    auto when = ReadUtcTime(reader, "superseded_at");
    if (!when) return when.error();
    root.superseded_at = std::move(*when);
  }
  return root;
}

Result<std::vector<ListedRoot>> ReadRoots(const JsonValue& array, const std::string& origin, const std::string& path,
                                          bool superseded) {
  if (!array.IsArray()) return Error{origin + ": " + (path.empty() ? "" : path + ": ") + "expected an array of roots"};
  if (array.Size() > kMaxRoots) return Error{origin + ": more than 100000 roots"};
  std::vector<ListedRoot> roots;
  for (rapidjson::SizeType i = 0; i < array.Size(); ++i) {
    auto root = ReadRoot(JsonObjectReader(array[i], origin, JsonIndex(path, i)), superseded);
    if (!root) return root.error();
    roots.push_back(std::move(*root));
  }
  return roots;
}

void WriteRoots(JsonWriter& w, const std::vector<ListedRoot>& roots) {
  w.StartArray();
  for (const ListedRoot& root : roots) {
    w.StartObject();
    StringField(w, "id", root.report_id);
    StringField(w, "pool", root.pool);
    StringField(w, "hash", root.hash);
    w.Key("sums");
    w.StartArray();
    for (const std::string& sum : root.sums) WriteJsonString(w, sum);
    w.EndArray();
    w.Key("height");
    w.Uint(root.height);
    w.Key("assets");
    merkle::WriteAssets(w, root.assets);
    StringField(w, "verdict", ToString(root.verdict));
    w.Key("attested_at");
    if (root.attested_at)
      WriteJsonString(w, *root.attested_at);
    else
      w.Null();
    if (root.superseded_at) StringField(w, "superseded_at", *root.superseded_at);
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace

std::vector<ListedRoot> RootsOf(const Report& report) {
  std::vector<ListedRoot> roots;
  const std::optional<std::string> attested_at = AttestationTime(report);
  for (const PoolReport& pool : report.pools) {
    if (!pool.root) continue;  // nothing was published for this pool
    const merkle::PublishedRoot& root = *pool.root;
    ListedRoot listed;
    listed.report_id = report.id;
    listed.pool = pool.name;
    listed.hash = ToHex(root.hash);
    for (std::size_t i = 0; i < root.sums.size(); ++i) {
      listed.sums.push_back(merkle::FormatAmount(root.sums[i], root.assets[i].decimals));
    }
    listed.height = root.height;
    listed.assets = root.assets;
    listed.verdict = report.verdict;
    listed.attested_at = attested_at;
    roots.push_back(std::move(listed));
  }
  return roots;
}

std::string RootsToJson(const PublishedRoots& roots) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  StringField(w, "format", kRootsFormat);
  w.Key("roots");
  WriteRoots(w, roots.current);
  w.Key("superseded");
  WriteRoots(w, roots.superseded);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

Result<PublishedRoots> ParsePublishedRoots(std::string_view json, std::string_view origin) {
  auto doc = ParseJson(json, origin, JsonLimits{kMaxPublishedFileBytes, 8});
  if (!doc) return doc.error();
  const std::string name(origin);
  PublishedRoots roots;
  if ((*doc)->IsArray()) {  // a site written before runs could be superseded
    auto current = ReadRoots(**doc, name, "", false);
    if (!current) return current.error();
    roots.current = std::move(*current);
    return roots;
  }
  if (!(*doc)->IsObject()) return Error{name + ": expected an object"};
  JsonObjectReader reader(**doc, name, "");
  if (Status s = reader.CheckOnlyKeys({"format", "roots", "superseded"}); !s) return s.error();
  if (Status s = reader.CheckFormat(kRootsFormat); !s) return s.error();
  auto current_value = reader.Member("roots");
  if (!current_value) return current_value.error();
  auto current = ReadRoots(**current_value, name, "roots", false);
  if (!current) return current.error();
  roots.current = std::move(*current);
  auto superseded_value = reader.Member("superseded");
  if (!superseded_value) return superseded_value.error();
  auto superseded = ReadRoots(**superseded_value, name, "superseded", true);
  if (!superseded) return superseded.error();
  roots.superseded = std::move(*superseded);
  if (roots.current.size() + roots.superseded.size() > kMaxRoots) return Error{name + ": more than 100000 roots"};
  return roots;
}

Result<merkle::PublishedRoot> ToPublishedRoot(const ListedRoot& listed, std::string_view origin) {
  const std::string where(origin);
  merkle::PublishedRoot root;
  if (!FromHexExact(listed.hash, root.hash)) return Error{where + ": a root hash is not 64 hex"};
  root.assets = listed.assets;
  root.height = listed.height;
  root.pool = listed.pool;
  if (listed.sums.size() != listed.assets.size()) {
    return Error{where + ": root " + listed.hash + " has " + std::to_string(listed.sums.size()) + " sums for " +
                 std::to_string(listed.assets.size()) + " assets"};
  }
  for (std::size_t i = 0; i < listed.sums.size(); ++i) {
    auto sum = merkle::ParseAmount(listed.sums[i], listed.assets[i].decimals, where + ": sums");
    if (!sum) return sum.error();
    root.sums.push_back(*sum);
  }
  return root;
}

}  // namespace segverify::report
