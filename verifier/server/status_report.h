// Reader for report.json (format "segverify-report/1", written by `segverify attest`), as the
// status server serves it (DESIGN.md "report.json" and "Precise rules → report.json").
//
// Contract: ParseStatusReport accepts a report only if every field the server shows is present
// and well-formed, and refuses a report whose verdict contradicts its own contents (PASS with an
// uncovered asset, a covered asset whose reserves are below its liabilities, an error finding, or
// a null block hash / root / reserves — attest writes null for what it could not establish, which
// is accepted only in a FAIL or ERROR report): a served PASS is always backed by the report. Unknown extra fields are
// tolerated (attest may add more), but never shown.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/sha256.h"
#include "merkle/asset.h"

namespace segverify::server {

inline constexpr std::string_view kReportFormat = "segverify-report/1";

// PASS, FAIL, or ERROR (the attestation could not be completed, or the report cannot be served).
enum class ReportVerdict { kPass, kFail, kError };
std::string_view ReportVerdictName(ReportVerdict verdict);

struct ReportChain {
  std::string name;             // "bitcoin", "ethereum"
  std::string block_key;        // "block" or "height", as the report wrote it
  std::uint64_t block = 0;
  std::optional<std::string> block_hash;  // as written (hex, with or without 0x); null = not agreed
  std::vector<std::string> sources;  // each source as compact JSON (a string or an object)
};

struct ReportRoot {
  Hash256 hash{};
  std::vector<std::string> sums;        // decimal strings in whole units, as written
  unsigned height = 0;
  std::vector<merkle::AssetSpec> assets;  // empty when the report does not carry them
};

struct ReportAsset {
  std::string symbol;
  std::optional<int> decimals;  // when the report gives them (then amounts are checked against them)
  std::string liabilities;  // decimal strings in whole units
  std::optional<std::string> reserves;  // null = could not be established
  bool covered = false;
};

struct ReportPool {
  std::string name;
  std::optional<ReportRoot> root;  // null when the tree could not be built
  std::vector<ReportAsset> assets;
};

struct ReportFinding {
  std::string check;
  std::string subject;
  std::string detail;
  std::string severity;  // "error" fails the attestation; others are shown only
};

struct StatusReport {
  std::string id;
  ReportVerdict verdict = ReportVerdict::kError;
  std::vector<ReportChain> chains;
  std::vector<ReportPool> pools;
  std::vector<ReportFinding> findings;
  std::vector<std::string> errors;  // why checks could not be done (verdict ERROR), when given
  std::string inputs_json;  // the "inputs" object as compact JSON ("{}" when absent)
};

// Parses and validates report.json text; `origin` names the file in errors.
[[nodiscard]] Result<StatusReport> ParseStatusReport(std::string_view json, std::string_view origin);

// True for a decimal amount text "^[0-9]+(\.[0-9]+)?$" (whole units, any number of decimals).
bool IsAmountText(std::string_view text);

// Compares two amount texts numerically (-1, 0, 1). Precondition: both IsAmountText.
int CompareAmountText(std::string_view a, std::string_view b);

}  // namespace segverify::server
