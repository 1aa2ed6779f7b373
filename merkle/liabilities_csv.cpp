#include "merkle/liabilities_csv.h"

#include "merkle/amount.h"

namespace segverify::merkle {
namespace {

// "origin:line:column" of field `i` of `record`.
std::string Where(std::string_view origin, const CsvRecord& record, std::size_t i) {
  const std::size_t offset = i < record.kept() ? record.offset(i) : 0;
  return std::string(origin) + ":" + std::to_string(record.LineAt(offset)) + ":" +
         std::to_string(record.ColumnAt(offset));
}

std::string ExpectedHeader(const std::vector<AssetSpec>& assets) {
  std::string expected = "account_id";
  for (const auto& a : assets) expected += "," + a.symbol;
  return expected;
}

}  // namespace

Status CheckLiabilitiesHeader(const CsvRecord& header, const std::vector<AssetSpec>& assets, std::string_view origin) {
  const std::string expected = ExpectedHeader(assets);
  const std::string start = std::string(origin) + ":" + std::to_string(header.line) + ":1";
  if (header.kept() == 0 || header.field(0) != "account_id") {
    return Error{start + ": header must start with account_id (expected " + expected + ")"};
  }
  for (std::size_t i = 1; i < header.kept(); ++i) {
    const std::string_view text = header.field(i);
    if (i - 1 < assets.size() && text == assets[i - 1].symbol) continue;
    bool elsewhere = false;
    for (const auto& a : assets) elsewhere = elsewhere || a.symbol == text;
    return Error{Where(origin, header, i) + ": " + (elsewhere ? "asset column out of order" : "unknown asset") + " " +
                 QuoteForError(text) + " (header must be " + expected + " to match --assets)"};
  }
  if (header.count != assets.size() + 1) {
    return Error{start + ": header has " + std::to_string(header.count - 1) + " asset column(s), --assets has " +
                 std::to_string(assets.size()) + " (expected " + expected + ")"};
  }
  return Status::Ok();
}

Status ReadLiabilityRow(const CsvRecord& record, const std::vector<AssetSpec>& assets, std::string_view origin,
                        LiabilityRow& row) {
  const std::string_view id = record.kept() == 0 ? std::string_view() : record.field(0);
  if (record.count == 1 && id.empty()) return Error{Where(origin, record, 0) + ": blank line"};
  if (record.count != assets.size() + 1) {
    return Error{Where(origin, record, 0) + ": wrong column count: " + std::to_string(record.count) +
                 " fields, expected " + std::to_string(assets.size() + 1)};
  }
  if (id.empty()) return Error{Where(origin, record, 0) + ": empty account id"};
  if (id.size() > kMaxAccountIdBytes) {
    return Error{Where(origin, record, 0) + ": account id longer than " + std::to_string(kMaxAccountIdBytes) +
                 " bytes"};
  }
  if (!IsValidUtf8(id)) return Error{Where(origin, record, 0) + ": account id is not valid UTF-8"};

  row.account_id.assign(id);
  row.line = record.line;
  row.amounts.resize(assets.size());
  for (std::size_t i = 0; i < assets.size(); ++i) {
    const std::string_view cell = record.field(i + 1);
    if (cell.empty()) {
      row.amounts[i] = 0;
      continue;
    }
    const AmountParse parsed = ParseAmountText(cell, assets[i].decimals);
    if (!parsed.ok) {
      return Error{Where(origin, record, i + 1) + ": " + assets[i].symbol + ": " +
                   AmountErrorText(parsed.error, assets[i].decimals) + " " + QuoteForError(cell)};
    }
    row.amounts[i] = parsed.value;
  }
  return Status::Ok();
}

Status AddToTotals(const CsvRecord& record, const LiabilityRow& row, const std::vector<AssetSpec>& assets,
                   std::string_view origin, std::vector<u128>& totals) {
  for (std::size_t i = 0; i < assets.size(); ++i) {
    auto total = CheckedAdd(totals[i], row.amounts[i]);
    if (!total)
      return Error{Where(origin, record, i + 1) + ": " + assets[i].symbol +
                   ": column total exceeds 2^128-1 base units"};
    totals[i] = *total;
  }
  return Status::Ok();
}

Result<LiabilitiesReader> LiabilitiesReader::Open(const std::string& path, std::vector<AssetSpec> assets) {
  auto csv = CsvReader::Open(path, assets.size() + 2);
  if (!csv) return csv.error();
  LiabilitiesReader reader(std::move(*csv));
  reader.assets_ = std::move(assets);
  reader.totals_.assign(reader.assets_.size(), 0);
  auto has_header = reader.csv_.Next(reader.record_);
  if (!has_header) return has_header.error();
  if (!*has_header) return Error{path + ": empty file (expected a header " + ExpectedHeader(reader.assets_) + ")"};
  if (Status s = CheckLiabilitiesHeader(reader.record_, reader.assets_, path); !s) return s.error();
  return reader;
}

Result<bool> LiabilitiesReader::Next(LiabilityRow& row) {
  auto more = csv_.Next(record_);
  if (!more) return more.error();
  if (!*more) return false;
  if (Status s = ReadLiabilityRow(record_, assets_, csv_.path(), row); !s) return s.error();
  if (Status s = AddToTotals(record_, row, assets_, csv_.path(), totals_); !s) return s.error();
  ++rows_;
  return true;
}

}  // namespace segverify::merkle
