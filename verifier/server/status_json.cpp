#include "verifier/server/status_json.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/hex.h"
#include "common/json.h"
#include "merkle/amount.h"
#include "merkle/json_fields.h"
#include "verifier/report/public_view.h"
#include "verifier/report/published_files.h"
#include "verifier/report/report_json.h"

namespace segverify::server {
namespace {

using merkle::JsonWriter;

constexpr std::size_t kMaxRootRecords = 100000;
constexpr std::size_t kMaxName = 128;

void StringField(JsonWriter& w, const char* key, std::string_view value) {
  w.Key(key);
  WriteJsonString(w, value);
}

std::string Finish(const rapidjson::StringBuffer& buffer) { return std::string(buffer.GetString(), buffer.GetSize()); }

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

Result<RootRecord> ReadRecord(const JsonObjectReader& reader, bool superseded) {
  if (Status s = reader.CheckIsObject(); !s) return s.error();
  RootRecord record;
  auto id = ReadName(reader, "id");
  if (!id) return id.error();
  record.report_id = std::move(*id);
  auto pool = ReadName(reader, "pool");
  if (!pool) return pool.error();
  record.pool = std::move(*pool);
  auto hash = merkle::ReadHash(reader, "hash");
  if (!hash) return hash.error();
  record.hash = ToHex(*hash);
  auto assets = merkle::ReadAssets(reader, "assets");
  if (!assets) return assets.error();
  record.assets = std::move(*assets);
  auto sums = merkle::ReadAmounts(reader, "sums", record.assets);
  if (!sums) return sums.error();
  for (std::size_t i = 0; i < sums->size(); ++i) {
    record.sums.push_back(merkle::FormatAmount((*sums)[i], record.assets[i].decimals));
  }
  auto height = merkle::ReadHeight(reader, "height");
  if (!height) return height.error();
  record.height = *height;
  auto verdict = reader.String("verdict");
  if (!verdict) return verdict.error();
  if (!report::ParseVerdict(*verdict)) return reader.FieldError("verdict", "expected PASS, FAIL or ERROR");
  record.verdict = std::move(*verdict);
  if (reader.Has("attested_at")) {
    auto value = reader.Member("attested_at");
    if (!value) return value.error();
    if (!(*value)->IsNull()) {
      auto when = reader.String("attested_at");
      if (!when) return when.error();
      if (!report::ParseUtcTime(*when)) return reader.FieldError("attested_at", "expected a UTC time (ISO 8601)");
      record.attested_at = std::move(*when);
    }
  }
  if (superseded) {
    auto when = reader.String("superseded_at");
    if (!when) return when.error();
    if (!report::ParseUtcTime(*when)) return reader.FieldError("superseded_at", "expected a UTC time (ISO 8601)");
    record.superseded_at = std::move(*when);
  }
  return record;
}

}  // namespace

std::string StatusToJson(const report::Report& shown) {
  return report::ReportToJson(report::PublicReport(shown), {.format = kStatusFormat, .pretty = false});
}

std::string ErrorStatusToJson(std::string_view error) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  StringField(w, "format", kStatusFormat);
  w.Key("id");
  w.Null();
  StringField(w, "verdict", report::ToString(report::Verdict::kError));
  StringField(w, "error", error);
  w.Key("chains");
  w.StartObject();
  w.EndObject();
  w.Key("pools");
  w.StartArray();
  w.EndArray();
  w.Key("findings");
  w.StartArray();
  w.EndArray();
  w.EndObject();
  return Finish(buffer);
}

namespace {

void WriteRecords(JsonWriter& w, const std::vector<RootRecord>& roots) {
  w.StartArray();
  for (const RootRecord& root : roots) {
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
    StringField(w, "verdict", root.verdict);
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

Result<std::vector<RootRecord>> ReadRecords(const rapidjson::Value& array, const std::string& origin,
                                            const std::string& path, bool superseded) {
  if (!array.IsArray()) return Error{origin + ": " + (path.empty() ? "" : path + ": ") + "expected an array of roots"};
  if (array.Size() > kMaxRootRecords) return Error{origin + ": more than 100000 roots"};
  std::vector<RootRecord> records;
  for (rapidjson::SizeType i = 0; i < array.Size(); ++i) {
    auto record = ReadRecord(JsonObjectReader(array[i], origin, JsonIndex(path, i)), superseded);
    if (!record) return record.error();
    records.push_back(std::move(*record));
  }
  return records;
}

}  // namespace

std::string RootsToJson(const PublishedRoots& roots) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  StringField(w, "format", kRootsFormat);
  w.Key("roots");
  WriteRecords(w, roots.current);
  w.Key("superseded");
  WriteRecords(w, roots.superseded);
  w.EndObject();
  return Finish(buffer);
}

Result<PublishedRoots> ParsePublishedRoots(std::string_view json, std::string_view origin) {
  auto doc = ParseJson(json, origin, JsonLimits{report::kMaxPublishedFileBytes, 8});
  if (!doc) return doc.error();
  const std::string name(origin);
  PublishedRoots roots;
  if ((*doc)->IsArray()) {  // a site written before runs could be superseded
    auto current = ReadRecords(**doc, name, "", false);
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
  auto current = ReadRecords(**current_value, name, "roots", false);
  if (!current) return current.error();
  roots.current = std::move(*current);
  auto superseded_value = reader.Member("superseded");
  if (!superseded_value) return superseded_value.error();
  auto superseded = ReadRecords(**superseded_value, name, "superseded", true);
  if (!superseded) return superseded.error();
  roots.superseded = std::move(*superseded);
  if (roots.current.size() + roots.superseded.size() > kMaxRootRecords) return Error{name + ": more than 100000 roots"};
  return roots;
}

Result<std::vector<RootRecord>> ParseRootsJson(std::string_view json, std::string_view origin) {
  auto roots = ParsePublishedRoots(json, origin);
  if (!roots) return roots.error();
  return std::move(roots->current);
}

}  // namespace segverify::server
