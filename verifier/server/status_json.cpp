#include "verifier/server/status_json.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/json.h"
#include "merkle/json_fields.h"
#include "verifier/report/public_view.h"
#include "verifier/report/published_files.h"
#include "verifier/report/report_json.h"

namespace segverify::server {
namespace {

using merkle::JsonWriter;

void StringField(JsonWriter& w, std::string_view key, std::string_view value) {
  WriteJsonKey(w, key);
  WriteJsonString(w, value);
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

// The document without a report: exactly the fields ErrorStatusToJson writes, each as it writes it.
Result<StatusDocument> ReadErrorStatus(const JsonObjectReader& reader) {
  if (Status s = reader.CheckOnlyKeys({"format", "id", "verdict", "error", "chains", "pools", "findings"}); !s)
    return s.error();
  auto verdict = reader.String("verdict");
  if (!verdict) return verdict.error();
  if (*verdict != report::ToString(report::Verdict::kError))
    return reader.FieldError("verdict", "expected ERROR when no report is served");
  auto error = reader.String("error");
  if (!error) return error.error();
  auto chains = reader.Object("chains");
  if (!chains) return chains.error();
  if ((*chains)->MemberCount() != 0) return reader.FieldError("chains", "expected {} when no report is served");
  for (const char* key : {"pools", "findings"}) {
    auto list = reader.Array(key);
    if (!list) return list.error();
    if (!(*list)->Empty()) return reader.FieldError(key, "expected [] when no report is served");
  }
  return StatusDocument{std::nullopt, std::move(*error)};
}

}  // namespace

std::string StatusToJson(const StatusDocument& status) {
  if (!status.report) return ErrorStatusToJson(status.error);
  return report::ReportToJson(report::PublicReport(*status.report), {.format = kStatusFormat, .pretty = false});
}

Result<StatusDocument> ParseStatusJson(std::string_view json, std::string_view origin) {
  auto doc = ParseJson(json, origin, JsonLimits{report::kMaxPublishedFileBytes, 32});
  if (!doc) return doc.error();
  if (!(*doc)->IsObject()) return Error{std::string(origin) + ": expected an object"};
  JsonObjectReader reader(**doc, std::string(origin), "");
  if (Status s = reader.CheckFormat(kStatusFormat); !s) return s.error();
  auto id = reader.Member("id");
  if (!id) return id.error();
  if ((*id)->IsNull()) return ReadErrorStatus(reader);
  auto shown = report::ParseReport(json, origin, report::ReportReading::kVerdictBacked, kStatusFormat);
  if (!shown) return shown.error();
  return StatusDocument{std::move(*shown), ""};
}

}  // namespace segverify::server
