// A finding: one thing an attestation found wrong (or worth showing), as report.json lists it.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace segverify::report {

enum class Severity { kError, kInfo };  // an error finding makes the verdict FAIL; info does not

std::string_view ToString(Severity severity);  // "error", "info"
[[nodiscard]] Result<Severity> ParseSeverity(std::string_view text);

struct Finding {
  std::string check;    // "overlap", "double-count", "shared-key", "firm-control", "coverage",
                        // "ownership", "script-mismatch", "sources-disagree"
  std::string subject;  // the address, key or pool concerned
  std::string detail;   // for people
  Severity severity = Severity::kError;

  bool operator==(const Finding&) const = default;
};

}  // namespace segverify::report
