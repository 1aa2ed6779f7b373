// Reads a liabilities CSV (docs/FORMAT.md §2).
//
// Header: account_id,<SYMBOL>,... and the symbols must equal the expected assets, in order. Each
// row: a non-empty account id (valid UTF-8, at most kMaxAccountIdBytes) and one amount per asset
// (empty cell = 0). Column totals are kept with overflow checks. Duplicate account ids cannot be
// detected while streaming without keeping every id in memory; the tree builder detects them when
// it sorts its account index and reports both lines.
//
// Two readers share the checks below: LiabilitiesReader streams a file one row at a time, and
// the tree builder parses slices of the file on several threads (liabilities_scan.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
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

// Checks the header record against `assets`; `origin` names the file.
[[nodiscard]] Status CheckLiabilitiesHeader(const CsvRecord& header, const std::vector<AssetSpec>& assets,
                                            std::string_view origin);

// Checks one data record and converts it into `row` (whose storage is reused). Totals are the
// caller's. Errors name origin:line:column.
[[nodiscard]] Status ReadLiabilityRow(const CsvRecord& record, const std::vector<AssetSpec>& assets,
                                      std::string_view origin, LiabilityRow& row);

// Adds a row's amounts to `totals`; on overflow, the error names the cell where the column total
// first passed 2^128-1 (`record` is the row's record).
[[nodiscard]] Status AddToTotals(const CsvRecord& record, const LiabilityRow& row, const std::vector<AssetSpec>& assets,
                                 std::string_view origin, std::vector<u128>& totals);

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
  CsvRecord record_;
  std::vector<u128> totals_;
  std::uint64_t rows_ = 0;
};

}  // namespace segverify::merkle
