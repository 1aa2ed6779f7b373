// Asset specifications: a symbol and the number of decimals of its smallest unit.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace segverify::merkle {

// Invariants (enforced by ParseAssetList / MakeAsset): symbol is 1-32 chars of [A-Za-z0-9._-];
// decimals in 0..kMaxDecimals (10^38 < 2^128, so one whole unit always fits).
struct AssetSpec {
  std::string symbol;
  int decimals = 0;
  bool operator==(const AssetSpec&) const = default;
};

inline constexpr int kMaxDecimals = 38;

bool IsValidSymbol(std::string_view symbol);
[[nodiscard]] Result<AssetSpec> MakeAsset(std::string_view symbol, long long decimals);

// Parses "BTC:8,ETH:18" (the --assets option). Symbols must be unique.
[[nodiscard]] Result<std::vector<AssetSpec>> ParseAssetList(std::string_view text);

// "BTC:8,ETH:18"
std::string AssetListToString(const std::vector<AssetSpec>& assets);

}  // namespace segverify::merkle
