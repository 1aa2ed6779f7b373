#include "verifier/server/status_report.h"

#include <algorithm>
#include <set>

#include "common/hex.h"
#include "common/json.h"
#include "merkle/amount.h"
#include "merkle/json_fields.h"

namespace segverify::server {
namespace {

constexpr std::size_t kMaxTextLength = 4096;  // any one string shown on the page
constexpr std::size_t kMaxIdLength = 128;

Result<std::string> ReadText(const JsonObjectReader& reader, std::string_view key, std::size_t max_length,
                             bool allow_empty = false) {
  auto text = reader.String(key);
  if (!text) return text.error();
  if (!allow_empty && text->empty()) return reader.FieldError(key, "must not be empty");
  if (text->size() > max_length) return reader.FieldError(key, "longer than " + std::to_string(max_length) + " bytes");
  for (char c : *text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return reader.FieldError(key, "contains a control character");
  }
  return text;
}

// An amount text; with `decimals` known, also checked as merkle/amount.h parses amounts.
Result<std::string> ReadAmountText(const JsonObjectReader& reader, std::string_view key,
                                   std::optional<int> decimals = std::nullopt) {
  auto text = reader.String(key);
  if (!text) return text.error();
  if (!IsAmountText(*text)) return reader.FieldError(key, "expected a decimal amount string, found \"" + *text + "\"");
  if (decimals) {
    if (auto amount = merkle::ParseAmount(*text, *decimals, JsonField(reader.path(), key)); !amount) {
      return Error{reader.origin() + ": " + amount.error().message};
    }
  }
  return text;
}

bool IsBlockHash(std::string_view text) {
  if (text.starts_with("0x")) text.remove_prefix(2);
  Hash256 bytes;
  return FromHexExact(text, bytes);
}

// "http://user:pass@host/" -> "http://***@host/": a report should not carry node credentials, and
// if one does, the public status must not repeat them.
std::string RedactUserinfo(std::string_view url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const std::size_t host = scheme + 3;
  const std::size_t at = url.find('@', host);
  if (at == std::string_view::npos || url.substr(host, at - host).find('/') != std::string_view::npos) {
    return std::string(url);
  }
  return std::string(url.substr(0, host)) + "***" + std::string(url.substr(at));
}

// A source as shown (compact JSON): a string (userinfo redacted), or an object reduced to its
// "type" and "url" strings (anything else, such as "auth", is dropped).
Result<std::string> SourceForDisplay(const JsonValue& source) {
  auto string_json = [](std::string_view text) {
    JsonValue value(text.data(), static_cast<rapidjson::SizeType>(text.size()));
    return JsonToString(value);
  };
  if (source.IsString()) return string_json(RedactUserinfo(std::string_view(source.GetString(), source.GetStringLength())));
  if (!source.IsObject()) return Error{"expected strings or objects"};
  std::string out = "{";
  for (const char* key : {"type", "url"}) {
    const auto member = source.FindMember(key);
    if (member == source.MemberEnd() || !member->value.IsString()) continue;
    if (out.size() > 1) out += ',';
    const std::string_view text(member->value.GetString(), member->value.GetStringLength());
    out += string_json(key) + ":" + string_json(std::string_view(key) == "url" ? RedactUserinfo(text) : std::string(text));
  }
  return out + "}";
}

Result<ReportVerdict> ReadVerdict(const JsonObjectReader& reader) {
  auto text = reader.String("verdict");
  if (!text) return text.error();
  if (*text == "PASS") return ReportVerdict::kPass;
  if (*text == "FAIL") return ReportVerdict::kFail;
  if (*text == "ERROR") return ReportVerdict::kError;
  return reader.FieldError("verdict", "expected PASS, FAIL or ERROR, found \"" + *text + "\"");
}

Result<std::vector<ReportChain>> ReadChains(const JsonObjectReader& reader) {
  auto object = reader.Object("chains");
  if (!object) return object.error();
  std::vector<ReportChain> chains;
  for (const auto& member : (*object)->GetObject()) {
    ReportChain chain;
    chain.name.assign(member.name.GetString(), member.name.GetStringLength());
    JsonObjectReader item(member.value, reader.origin(), JsonField("chains", chain.name));
    if (Status s = item.CheckIsObject(); !s) return s.error();
    chain.block_key = item.Has("block") ? "block" : "height";
    auto block = item.Uint64(chain.block_key);
    if (!block) return block.error();
    chain.block = *block;
    auto hash_value = item.Member("block_hash");
    if (!hash_value) return hash_value.error();
    if (!(*hash_value)->IsNull()) {
      auto hash = item.String("block_hash");
      if (!hash) return hash.error();
      if (!IsBlockHash(*hash)) return item.FieldError("block_hash", "expected 64 hex characters");
      chain.block_hash = *hash;
    }
    auto sources = item.Array("sources");
    if (!sources) return sources.error();
    for (const JsonValue& source : (*sources)->GetArray()) {
      auto shown = SourceForDisplay(source);
      if (!shown) return item.FieldError("sources", shown.error().message);
      chain.sources.push_back(std::move(*shown));
    }
    chains.push_back(std::move(chain));
  }
  return chains;
}

Result<std::optional<ReportRoot>> ReadRoot(const JsonObjectReader& pool) {
  auto value = pool.Member("root");
  if (!value) return value.error();
  if ((*value)->IsNull()) return std::optional<ReportRoot>();
  auto object = pool.Object("root");
  if (!object) return object.error();
  JsonObjectReader reader(**object, pool.origin(), JsonField(pool.path(), "root"));
  ReportRoot root;
  auto hash = merkle::ReadHash(reader, "hash");
  if (!hash) return hash.error();
  root.hash = *hash;
  auto height = merkle::ReadHeight(reader, "height");
  if (!height) return height.error();
  root.height = *height;
  if (reader.Has("assets")) {
    auto assets = merkle::ReadAssets(reader, "assets");
    if (!assets) return assets.error();
    root.assets = std::move(*assets);
    // With decimals known, the sums are checked exactly as root.json's are.
    auto sums = merkle::ReadAmounts(reader, "sums", root.assets);
    if (!sums) return sums.error();
  }
  auto sums = reader.Array("sums");
  if (!sums) return sums.error();
  for (rapidjson::SizeType i = 0; i < (*sums)->Size(); ++i) {
    const JsonValue& v = (**sums)[i];
    std::string text = v.IsString() ? std::string(v.GetString(), v.GetStringLength()) : std::string();
    if (!IsAmountText(text)) return reader.FieldError(JsonIndex("sums", i), "expected a decimal amount string");
    root.sums.push_back(std::move(text));
  }
  if (root.sums.empty()) return reader.FieldError("sums", "must list at least one amount");
  return std::optional<ReportRoot>(std::move(root));
}

Result<ReportPool> ReadPool(const JsonValue& value, const std::string& origin, const std::string& path) {
  JsonObjectReader reader(value, origin, path);
  if (Status s = reader.CheckIsObject(); !s) return s.error();
  ReportPool pool;
  auto name = ReadText(reader, "name", kMaxIdLength);
  if (!name) return name.error();
  pool.name = std::move(*name);
  auto root = ReadRoot(reader);
  if (!root) return root.error();
  pool.root = std::move(*root);
  auto assets = reader.Array("assets");
  if (!assets) return assets.error();
  std::set<std::string> seen;
  for (rapidjson::SizeType i = 0; i < (*assets)->Size(); ++i) {
    JsonObjectReader item((**assets)[i], origin, JsonIndex(JsonField(path, "assets"), i));
    if (Status s = item.CheckIsObject(); !s) return s.error();
    ReportAsset asset;
    auto symbol = item.String("symbol");
    if (!symbol) return symbol.error();
    if (!merkle::IsValidSymbol(*symbol)) return item.FieldError("symbol", "invalid asset symbol");
    if (!seen.insert(*symbol).second) return item.FieldError("symbol", "duplicate asset " + *symbol);
    asset.symbol = std::move(*symbol);
    if (item.Has("decimals")) {
      auto decimals = item.Uint64("decimals");
      if (!decimals) return decimals.error();
      if (*decimals > static_cast<std::uint64_t>(merkle::kMaxDecimals)) return item.FieldError("decimals", "must be 0..38");
      asset.decimals = static_cast<int>(*decimals);
    }
    auto liabilities = ReadAmountText(item, "liabilities", asset.decimals);
    if (!liabilities) return liabilities.error();
    asset.liabilities = std::move(*liabilities);
    auto reserves_value = item.Member("reserves");
    if (!reserves_value) return reserves_value.error();
    if (!(*reserves_value)->IsNull()) {
      auto reserves = ReadAmountText(item, "reserves", asset.decimals);
      if (!reserves) return reserves.error();
      asset.reserves = std::move(*reserves);
    }
    auto covered = item.Bool("covered");
    if (!covered) return covered.error();
    asset.covered = *covered;
    if (asset.covered && (!asset.reserves || CompareAmountText(*asset.reserves, asset.liabilities) < 0)) {
      return item.FieldError("covered", "says true but reserves are unknown or below liabilities");
    }
    pool.assets.push_back(std::move(asset));
  }
  if (pool.assets.empty()) return reader.FieldError("assets", "must list at least one asset");
  return pool;
}

Result<std::vector<ReportFinding>> ReadFindings(const JsonObjectReader& reader) {
  auto array = reader.Array("findings");
  if (!array) return array.error();
  std::vector<ReportFinding> findings;
  for (rapidjson::SizeType i = 0; i < (*array)->Size(); ++i) {
    JsonObjectReader item((**array)[i], reader.origin(), JsonIndex("findings", i));
    if (Status s = item.CheckIsObject(); !s) return s.error();
    ReportFinding finding;
    auto check = ReadText(item, "check", kMaxIdLength);
    if (!check) return check.error();
    auto subject = ReadText(item, "subject", kMaxTextLength, true);
    if (!subject) return subject.error();
    auto detail = ReadText(item, "detail", kMaxTextLength, true);
    if (!detail) return detail.error();
    auto severity = ReadText(item, "severity", kMaxIdLength);
    if (!severity) return severity.error();
    findings.push_back({std::move(*check), std::move(*subject), std::move(*detail), std::move(*severity)});
  }
  return findings;
}

// A PASS must be backed by the report's own contents (fail closed on a contradicting report).
Status CheckPassIsBacked(const StatusReport& report, const JsonObjectReader& reader) {
  if (report.verdict != ReportVerdict::kPass) return Status::Ok();
  for (const ReportPool& pool : report.pools) {
    for (const ReportAsset& asset : pool.assets) {
      if (!asset.covered) {
        return reader.FieldError("verdict", "PASS contradicts pool " + pool.name + " asset " + asset.symbol + " not covered");
      }
    }
  }
  for (const ReportChain& chain : report.chains) {
    if (!chain.block_hash) return reader.FieldError("verdict", "PASS with no agreed block hash for " + chain.name);
  }
  for (const ReportPool& pool : report.pools) {
    if (!pool.root) return reader.FieldError("verdict", "PASS with no root for pool " + pool.name);
  }
  for (const ReportFinding& finding : report.findings) {
    if (finding.severity == "error") {
      return reader.FieldError("verdict", "PASS contradicts the error finding " + finding.check);
    }
  }
  if (report.pools.empty()) return reader.FieldError("verdict", "PASS with no pools");
  return Status::Ok();
}

}  // namespace

std::string_view ReportVerdictName(ReportVerdict verdict) {
  switch (verdict) {
    case ReportVerdict::kPass: return "PASS";
    case ReportVerdict::kFail: return "FAIL";
    case ReportVerdict::kError: return "ERROR";
  }
  return "ERROR";
}

bool IsAmountText(std::string_view text) {
  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  auto digits = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  return digits(whole) && (dot == std::string_view::npos || digits(fraction));
}

int CompareAmountText(std::string_view a, std::string_view b) {
  auto split = [](std::string_view s) {
    const std::size_t dot = s.find('.');
    std::string_view whole = s.substr(0, dot);
    std::string_view fraction = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
    while (whole.size() > 1 && whole.front() == '0') whole.remove_prefix(1);
    while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
    return std::pair{whole, fraction};
  };
  const auto [wa, fa] = split(a);
  const auto [wb, fb] = split(b);
  if (wa.size() != wb.size()) return wa.size() < wb.size() ? -1 : 1;
  if (const int c = wa.compare(wb); c != 0) return c < 0 ? -1 : 1;
  const int c = fa.compare(fb);  // no trailing zeros: lexicographic order is numeric order
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

Result<StatusReport> ParseStatusReport(std::string_view json, std::string_view origin) {
  auto doc = ParseJson(json, origin, JsonLimits{16u << 20, 32});
  if (!doc) return doc.error();
  JsonObjectReader reader(**doc, std::string(origin), "");
  if (Status s = reader.CheckIsObject(); !s) return s.error();
  auto format = reader.String("format");
  if (!format) return format.error();
  if (*format != kReportFormat) {
    return reader.FieldError("format", "unsupported format \"" + *format + "\" (expected " + std::string(kReportFormat) + ")");
  }
  StatusReport report;
  auto id = ReadText(reader, "id", kMaxIdLength);
  if (!id) return id.error();
  report.id = std::move(*id);
  auto verdict = ReadVerdict(reader);
  if (!verdict) return verdict.error();
  report.verdict = *verdict;
  auto chains = ReadChains(reader);
  if (!chains) return chains.error();
  report.chains = std::move(*chains);
  auto pools = reader.Array("pools");
  if (!pools) return pools.error();
  std::set<std::string> pool_names;
  for (rapidjson::SizeType i = 0; i < (*pools)->Size(); ++i) {
    auto pool = ReadPool((**pools)[i], reader.origin(), JsonIndex("pools", i));
    if (!pool) return pool.error();
    if (!pool_names.insert(pool->name).second) return reader.FieldError(JsonIndex("pools", i), "duplicate pool " + pool->name);
    report.pools.push_back(std::move(*pool));
  }
  auto findings = ReadFindings(reader);
  if (!findings) return findings.error();
  report.findings = std::move(*findings);
  if (reader.Has("errors")) {
    auto errors = reader.Array("errors");
    if (!errors) return errors.error();
    for (rapidjson::SizeType i = 0; i < (*errors)->Size(); ++i) {
      const JsonValue& e = (**errors)[i];
      if (!e.IsString()) return reader.FieldError(JsonIndex("errors", i), "expected a string");
      report.errors.emplace_back(e.GetString(), e.GetStringLength());
    }
  }
  report.inputs_json = "{}";
  if (reader.Has("inputs")) {
    auto inputs = reader.Object("inputs");
    if (!inputs) return inputs.error();
    report.inputs_json = JsonToString(**inputs);
  }
  if (Status s = CheckPassIsBacked(report, reader); !s) return s.error();
  return report;
}

}  // namespace segverify::server
