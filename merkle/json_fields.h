// Readers and writers for the JSON fields that root.json and proofs share (assets, hashes,
// amount arrays), so both documents validate them the same way.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/sha256.h"
#include "common/u128.h"
#include "merkle/asset.h"

namespace segverify::merkle {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// The tree height limit for proofs and roots: 2^48 leaves is far beyond any exchange, and keeps
// leaf_index exact in every JSON reader (including JavaScript numbers, below 2^53).
inline constexpr unsigned kMaxTreeHeight = 48;

[[nodiscard]] Result<std::vector<AssetSpec>> ReadAssets(const JsonObjectReader& reader, std::string_view key);
[[nodiscard]] Result<Hash256> ReadHash(const JsonObjectReader& reader, std::string_view key);
// Reads an array of amount strings, one per asset, with each asset's decimals.
[[nodiscard]] Result<std::vector<u128>> ReadAmounts(const JsonObjectReader& reader, std::string_view key,
                                                    const std::vector<AssetSpec>& assets);
[[nodiscard]] Result<unsigned> ReadHeight(const JsonObjectReader& reader, std::string_view key);

void WriteAssets(JsonWriter& w, const std::vector<AssetSpec>& assets);
void WriteHash(JsonWriter& w, const Hash256& hash);
void WriteAmounts(JsonWriter& w, const std::vector<u128>& amounts, const std::vector<AssetSpec>& assets);

}  // namespace segverify::merkle
