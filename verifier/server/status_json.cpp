#include "verifier/server/status_json.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/hex.h"
#include "merkle/json_fields.h"

namespace segverify::server {
namespace {

using merkle::JsonWriter;
using merkle::WriteString;

void StringField(JsonWriter& w, const char* key, std::string_view value) {
  w.Key(key);
  WriteString(w, value);
}

void OptionalString(JsonWriter& w, const std::optional<std::string>& value) {
  if (value) WriteString(w, *value);
  else w.Null();
}

void WriteStringArray(JsonWriter& w, const std::vector<std::string>& items) {
  w.StartArray();
  for (const std::string& item : items) WriteString(w, item);
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

// Writes already-serialized compact JSON (validated by the report reader) as a value.
void WriteRaw(JsonWriter& w, const std::string& json) {
  w.RawValue(json.data(), json.size(), json.starts_with('{') ? rapidjson::kObjectType : rapidjson::kStringType);
}

void WriteChains(JsonWriter& w, const std::vector<ReportChain>& chains) {
  w.StartObject();
  for (const ReportChain& chain : chains) {
    w.Key(chain.name.data(), static_cast<rapidjson::SizeType>(chain.name.size()));
    w.StartObject();
    w.Key(chain.block_key.data(), static_cast<rapidjson::SizeType>(chain.block_key.size()));
    w.Uint64(chain.block);
    w.Key("block_hash");
    OptionalString(w, chain.block_hash);
    w.Key("sources");
    w.StartArray();
    for (const std::string& source : chain.sources) WriteRaw(w, source);
    w.EndArray();
    w.EndObject();
  }
  w.EndObject();
}

void WritePools(JsonWriter& w, const std::vector<ReportPool>& pools) {
  w.StartArray();
  for (const ReportPool& pool : pools) {
    w.StartObject();
    StringField(w, "name", pool.name);
    w.Key("root");
    if (pool.root) {
      w.StartObject();
      RootFields(w, ToHex(pool.root->hash), pool.root->sums, pool.root->height, pool.root->assets);
      w.EndObject();
    } else {
      w.Null();
    }
    w.Key("assets");
    w.StartArray();
    for (const ReportAsset& asset : pool.assets) {
      w.StartObject();
      StringField(w, "symbol", asset.symbol);
      StringField(w, "liabilities", asset.liabilities);
      if (asset.decimals) {
        w.Key("decimals");
        w.Int(*asset.decimals);
      }
      w.Key("reserves");
      OptionalString(w, asset.reserves);
      w.Key("covered");
      w.Bool(asset.covered);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
}

void WriteFindings(JsonWriter& w, const std::vector<ReportFinding>& findings) {
  w.StartArray();
  for (const ReportFinding& f : findings) {
    w.StartObject();
    StringField(w, "check", f.check);
    StringField(w, "subject", f.subject);
    StringField(w, "detail", f.detail);
    StringField(w, "severity", f.severity);
    w.EndObject();
  }
  w.EndArray();
}

std::string Finish(const rapidjson::StringBuffer& buffer) { return std::string(buffer.GetString(), buffer.GetSize()); }

}  // namespace

std::string StatusToJson(const StatusReport& report) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  StringField(w, "format", kStatusFormat);
  StringField(w, "id", report.id);
  StringField(w, "verdict", ReportVerdictName(report.verdict));
  w.Key("chains");
  WriteChains(w, report.chains);
  w.Key("pools");
  WritePools(w, report.pools);
  w.Key("findings");
  WriteFindings(w, report.findings);
  w.Key("errors");
  WriteStringArray(w, report.errors);
  w.Key("inputs");
  WriteRaw(w, report.inputs_json);
  w.EndObject();
  return Finish(buffer);
}

std::string ErrorStatusToJson(std::string_view error) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  StringField(w, "format", kStatusFormat);
  w.Key("id");
  w.Null();
  StringField(w, "verdict", ReportVerdictName(ReportVerdict::kError));
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
