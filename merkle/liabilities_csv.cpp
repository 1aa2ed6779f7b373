#include "merkle/liabilities_csv.h"

#include "merkle/amount.h"

namespace segverify::merkle {

Result<LiabilitiesReader> LiabilitiesReader::Open(const std::string& path, std::vector<AssetSpec> assets) {
  auto csv = CsvReader::Open(path);
  if (!csv) return csv.error();
  LiabilitiesReader reader(std::move(*csv));
  reader.assets_ = std::move(assets);
  reader.totals_.assign(reader.assets_.size(), 0);

  auto has_header = reader.csv_.Next(reader.fields_);
  if (!has_header) return has_header.error();
  if (!*has_header) return Error{path + ": empty file (expected a header account_id,<SYMBOL>,...)"};

  std::string expected = "account_id";
  for (const auto& a : reader.assets_) expected += "," + a.symbol;
  const auto& header = reader.fields_;
  if (header.empty() || header[0].text != "account_id") {
    return Error{reader.csv_.Where(1, 1) + ": header must start with account_id (expected " + expected + ")"};
  }
  for (std::size_t i = 1; i < header.size(); ++i) {
    const bool known = i - 1 < reader.assets_.size() && header[i].text == reader.assets_[i - 1].symbol;
    if (!known) {
      bool elsewhere = false;
      for (const auto& a : reader.assets_) elsewhere = elsewhere || a.symbol == header[i].text;
      return Error{reader.csv_.Where(header[i].line, header[i].column) + ": " +
                   (elsewhere ? "asset column out of order" : "unknown asset") + " \"" + header[i].text +
                   "\" (header must be " + expected + " to match --assets)"};
    }
  }
  if (header.size() != reader.assets_.size() + 1) {
    return Error{reader.csv_.Where(1, 1) + ": header has " + std::to_string(header.size() - 1) +
                 " asset column(s), --assets has " + std::to_string(reader.assets_.size()) + " (expected " +
                 expected + ")"};
  }
  return reader;
}

Result<bool> LiabilitiesReader::Next(LiabilityRow& row) {
  auto more = csv_.Next(fields_);
  if (!more) return more.error();
  if (!*more) return false;
  const CsvField& id = fields_[0];
  if (fields_.size() == 1 && id.text.empty()) {
    return Error{csv_.Where(id.line, id.column) + ": blank line"};
  }
  if (fields_.size() != assets_.size() + 1) {
    return Error{csv_.Where(id.line, id.column) + ": wrong column count: " + std::to_string(fields_.size()) +
                 " fields, expected " + std::to_string(assets_.size() + 1)};
  }
  if (id.text.empty()) return Error{csv_.Where(id.line, id.column) + ": empty account id"};
  if (id.text.size() > kMaxAccountIdBytes) {
    return Error{csv_.Where(id.line, id.column) + ": account id longer than " + std::to_string(kMaxAccountIdBytes) +
                 " bytes"};
  }
  if (!IsValidUtf8(id.text)) return Error{csv_.Where(id.line, id.column) + ": account id is not valid UTF-8"};

  row.account_id = id.text;
  row.line = id.line;
  row.amounts.resize(assets_.size());
  for (std::size_t i = 0; i < assets_.size(); ++i) {
    const CsvField& cell = fields_[i + 1];
    const AssetSpec& asset = assets_[i];
    if (cell.text.empty()) {
      row.amounts[i] = 0;
      continue;
    }
    const AmountParse parsed = ParseAmountText(cell.text, asset.decimals);
    if (!parsed.ok) {
      return Error{csv_.Where(cell.line, cell.column) + ": " + asset.symbol + ": " +
                   AmountErrorText(parsed.error, asset.decimals) + " \"" + cell.text + "\""};
    }
    auto total = CheckedAdd(totals_[i], parsed.value);
    if (!total) {
      return Error{csv_.Where(cell.line, cell.column) + ": " + asset.symbol +
                   ": column total exceeds 2^128-1 base units"};
    }
    totals_[i] = *total;
    row.amounts[i] = parsed.value;
  }
  ++rows_;
  return true;
}

}  // namespace segverify::merkle
