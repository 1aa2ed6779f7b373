#include "merkle/json_fields.h"

#include <set>

#include "common/hex.h"
#include "merkle/amount.h"

namespace segverify::merkle {

Result<std::vector<AssetSpec>> ReadAssets(const JsonObjectReader& reader, std::string_view key) {
  auto array = reader.Array(key);
  if (!array) return array.error();
  if ((*array)->Empty()) return reader.FieldError(key, "must list at least one asset");
  std::vector<AssetSpec> assets;
  std::set<std::string> seen;
  const std::string path = JsonField(reader.path(), key);
  for (rapidjson::SizeType i = 0; i < (*array)->Size(); ++i) {
    JsonObjectReader item((**array)[i], reader.origin(), JsonIndex(path, i));
    if (Status s = item.CheckOnlyKeys({"symbol", "decimals"}); !s) return s.error();
    auto symbol = item.String("symbol");
    if (!symbol) return symbol.error();
    auto decimals = item.Uint64("decimals");
    if (!decimals) return decimals.error();
    auto asset = MakeAsset(*symbol, *decimals > 1000 ? 1000 : static_cast<long long>(*decimals));
    if (!asset) return item.ObjectError(asset.error().message);
    if (!seen.insert(asset->symbol).second) return item.FieldError("symbol", "duplicate asset " + asset->symbol);
    assets.push_back(std::move(*asset));
  }
  return assets;
}

Result<Hash256> ReadHash(const JsonObjectReader& reader, std::string_view key) {
  auto text = reader.String(key);
  if (!text) return text.error();
  Hash256 hash;
  if (!FromHexExact(*text, hash)) return reader.FieldError(key, "expected 64 hex characters");
  return hash;
}

Result<std::vector<u128>> ReadAmounts(const JsonObjectReader& reader, std::string_view key,
                                      const std::vector<AssetSpec>& assets) {
  auto array = reader.Array(key);
  if (!array) return array.error();
  if ((*array)->Size() != assets.size()) {
    return reader.FieldError(key, "expected " + std::to_string(assets.size()) + " amounts (one per asset), found " +
                                      std::to_string((*array)->Size()));
  }
  std::vector<u128> amounts;
  const std::string path = JsonField(reader.path(), key);
  for (rapidjson::SizeType i = 0; i < (*array)->Size(); ++i) {
    const JsonValue& v = (**array)[i];
    const std::string where = reader.origin() + ": " + JsonIndex(path, i);
    if (!v.IsString()) return Error{where + ": expected an amount string"};
    auto amount = ParseAmount(std::string_view(v.GetString(), v.GetStringLength()), assets[i].decimals, where);
    if (!amount) return amount.error();
    amounts.push_back(*amount);
  }
  return amounts;
}

Result<unsigned> ReadHeight(const JsonObjectReader& reader, std::string_view key) {
  auto height = reader.Uint64(key);
  if (!height) return height.error();
  if (*height < 1 || *height > kMaxTreeHeight) {
    return reader.FieldError(key, "height must be 1.." + std::to_string(kMaxTreeHeight));
  }
  return static_cast<unsigned>(*height);
}

void WriteAssets(JsonWriter& w, const std::vector<AssetSpec>& assets) {
  w.StartArray();
  for (const auto& a : assets) {
    w.StartObject();
    w.Key("symbol");
    WriteJsonString(w, a.symbol);
    w.Key("decimals");
    w.Int(a.decimals);
    w.EndObject();
  }
  w.EndArray();
}

namespace {

// Hex digits and decimal amounts never need JSON escaping: write them as raw string tokens and
// skip the writer's per-character escape scan (it dominated exporting millions of proofs).
void WriteUnescapedString(JsonWriter& w, std::string_view s) {
  thread_local std::string quoted;
  quoted.assign(1, '"');
  quoted.append(s);
  quoted.push_back('"');
  w.RawValue(quoted.data(), quoted.size(), rapidjson::kStringType);
}

}  // namespace

void WriteHash(JsonWriter& w, const Hash256& hash) { WriteUnescapedString(w, ToHex(hash)); }

void WriteAmounts(JsonWriter& w, const std::vector<u128>& amounts, const std::vector<AssetSpec>& assets) {
  w.StartArray();
  for (std::size_t i = 0; i < amounts.size(); ++i)
    WriteUnescapedString(w, FormatAmount(amounts[i], assets[i].decimals));
  w.EndArray();
}

}  // namespace segverify::merkle
