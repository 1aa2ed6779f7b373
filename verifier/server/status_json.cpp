#include "verifier/server/status_json.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/hex.h"
#include "merkle/json_fields.h"
#include "verifier/report/report_json.h"

namespace segverify::server {
namespace {

using merkle::JsonWriter;

void StringField(JsonWriter& w, const char* key, std::string_view value) {
  w.Key(key);
  WriteJsonString(w, value);
}

void WriteStringArray(JsonWriter& w, const std::vector<std::string>& items) {
  w.StartArray();
  for (const std::string& item : items) WriteJsonString(w, item);
  w.EndArray();
}

// hash, sums, height and (when known) assets: a pool root in /api/status and in /api/roots.
void RootFields(JsonWriter& w, std::string_view hash_hex, const std::vector<std::string>& sums, unsigned height,
                const std::vector<merkle::AssetSpec>& assets) {
  StringField(w, "hash", hash_hex);
  w.Key("sums");
  WriteStringArray(w, sums);
  w.Key("height");
  w.Uint(height);
  if (!assets.empty()) {
    w.Key("assets");
    merkle::WriteAssets(w, assets);
  }
}

std::string Finish(const rapidjson::StringBuffer& buffer) { return std::string(buffer.GetString(), buffer.GetSize()); }

}  // namespace

std::string StatusToJson(const report::Report& shown) {
  return report::ReportToJson(shown, {.format = kStatusFormat, .pretty = false});
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

std::string RootsToJson(const std::vector<RootRecord>& roots) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartArray();
  for (const RootRecord& root : roots) {
    w.StartObject();
    StringField(w, "id", root.report_id);
    StringField(w, "pool", root.pool);
    RootFields(w, root.hash, root.sums, root.height, root.assets);
    StringField(w, "verdict", root.verdict);
    w.Key("first_seen");
    w.Int64(root.first_seen);
    w.EndObject();
  }
  w.EndArray();
  return Finish(buffer);
}

}  // namespace segverify::server
