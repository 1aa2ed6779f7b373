// A finding: one thing an attestation found wrong (or worth showing), as report.json lists it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace segverify::report {

enum class Severity { kError, kInfo };  // an error finding makes the verdict FAIL; info does not

std::string_view ToString(Severity severity);  // "error", "info"
[[nodiscard]] Result<Severity> ParseSeverity(std::string_view text);

// Which check found it. The names (ToString) are report.json's `findings[].check`
// (docs/FORMAT.md "report.json"); the table in finding.cpp is their one spelling.
enum class Check {
  kOverlap,          // an address both in a pool and among the firm's
  kDoubleCount,      // an address counted twice (two pools, or twice in one)
  kSharedKey,        // a firm key in a pool address's keys (error; info below a multisig's threshold)
  kFirmControl,      // firm keys alone control a pool address
  kCoverage,         // a pool's reserves below its liabilities for an asset
  kOwnership,        // an ownership proof missing or not verifying
  kScriptMismatch,   // a configured script that does not hash to its address
  kSourcesDisagree,  // the sources' answers differ (block, balances)
  kBlockHash,        // the sources' block at the pinned height is not the pinned block (re-check)
  kVaultUnverified,  // a pool contract that is not a recognized vault, or whose control cannot be read
  kVaultModule,      // a vault with a module enabled
  kVaultGuard,       // a vault with a guard set (info)
  kTokenDecimals,    // a token's decimals() differ from the configuration's
};

std::string_view ToString(Check check);  // "overlap", "double-count", ...
[[nodiscard]] std::optional<Check> ParseCheck(std::string_view text);

struct Finding {
  Check check = Check::kOverlap;
  std::string subject;  // the address, key or pool concerned
  std::string detail;   // for people
  Severity severity = Severity::kError;

  bool operator==(const Finding&) const = default;
};

}  // namespace segverify::report
