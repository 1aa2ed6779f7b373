#include "merkle/asset.h"

#include <charconv>
#include <set>

namespace segverify::merkle {

bool IsValidSymbol(std::string_view symbol) {
  if (symbol.empty() || symbol.size() > 32) return false;
  for (char c : symbol) {
    const bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Result<AssetSpec> MakeAsset(std::string_view symbol, long long decimals) {
  if (!IsValidSymbol(symbol)) {
    return Error{"invalid asset symbol \"" + std::string(symbol) + "\" (1-32 characters of A-Z a-z 0-9 . _ -)"};
  }
  if (decimals < 0 || decimals > kMaxDecimals) {
    return Error{"asset " + std::string(symbol) + ": decimals must be 0.." + std::to_string(kMaxDecimals)};
  }
  return AssetSpec{std::string(symbol), static_cast<int>(decimals)};
}

Result<std::vector<AssetSpec>> ParseAssetList(std::string_view text) {
  std::vector<AssetSpec> assets;
  std::set<std::string, std::less<>> seen;
  while (true) {
    const std::size_t comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    const std::size_t colon = item.find(':');
    if (colon == std::string_view::npos) {
      return Error{"--assets: \"" + std::string(item) + "\" must be SYMBOL:DECIMALS (e.g. BTC:8)"};
    }
    const std::string_view digits = item.substr(colon + 1);
    long long decimals = -1;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), decimals);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) {
      return Error{"--assets: \"" + std::string(item) + "\": decimals must be an integer"};
    }
    auto asset = MakeAsset(item.substr(0, colon), decimals);
    if (!asset) return Error{"--assets: " + asset.error().message};
    if (!seen.insert(asset->symbol).second) return Error{"--assets: duplicate asset " + asset->symbol};
    assets.push_back(std::move(*asset));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return assets;
}

std::string AssetListToString(const std::vector<AssetSpec>& assets) {
  std::string out;
  for (const auto& a : assets) {
    if (!out.empty()) out += ',';
    out += a.symbol + ":" + std::to_string(a.decimals);
  }
  return out;
}

}  // namespace segverify::merkle
