// Reads a liabilities CSV (DESIGN.md, "Liabilities CSV") one account at a time.
//
// Header: account_id,<SYMBOL>,... and the symbols must equal the expected assets, in order. Each
// row: a non-empty account id (valid UTF-8, at most kMaxAccountIdBytes) and one amount per asset
// (empty cell = 0). Column totals are kept with overflow checks. Duplicate account ids cannot be
// detected while streaming without keeping every id in memory; the tree builder detects them when
// it sorts its account index and reports both lines.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/u128.h"
#include "common/utf8.h"
#include "merkle/asset.h"
#include "merkle/csv_reader.h"

namespace segverify::merkle {

inline constexpr std::size_t kMaxAccountIdBytes = 1024;

struct LiabilityRow {
  std::string account_id;
  std::vector<u128> amounts;  // base units, one per asset
  std::uint64_t line = 0;
};

using segverify::IsValidUtf8;  // common/utf8.h

class LiabilitiesReader {
 public:
  // Opens the file and checks the header against `assets`.
  [[nodiscard]] static Result<LiabilitiesReader> Open(const std::string& path, std::vector<AssetSpec> assets);

  // Next account; false at end of file. Errors name path:line:column.
  [[nodiscard]] Result<bool> Next(LiabilityRow& row);

  const std::vector<u128>& totals() const { return totals_; }
  std::uint64_t rows() const { return rows_; }
  const std::vector<AssetSpec>& assets() const { return assets_; }

 private:
  explicit LiabilitiesReader(CsvReader csv) : csv_(std::move(csv)) {}

  CsvReader csv_;
  std::vector<AssetSpec> assets_;
  std::vector<CsvField> fields_;
  std::vector<u128> totals_;
  std::uint64_t rows_ = 0;
};

}  // namespace segverify::merkle
