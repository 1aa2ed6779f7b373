#include "verifier/server/status_json.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/json.h"
#include "merkle/json_fields.h"
#include "verifier/report/public_view.h"
#include "verifier/report/report_json.h"

namespace segverify::server {
namespace {

using merkle::JsonWriter;

void StringField(JsonWriter& w, const char* key, std::string_view value) {
  w.Key(key);
  WriteJsonString(w, value);
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
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace segverify::server
