// A finding: one thing an attestation found wrong (or worth showing), as report.json lists it.
#pragma once

#include <string>

namespace segverify::attest {

enum class Severity { kError, kInfo };  // an error finding makes the verdict FAIL; info does not

struct Finding {
  std::string check;    // "overlap", "double-count", "shared-key", "firm-control", "coverage",
                        // "ownership", "script-mismatch", "sources-disagree"
  std::string subject;  // the address, key or pool concerned
  std::string detail;   // for people
  Severity severity = Severity::kError;
};

inline const char* SeverityName(Severity s) { return s == Severity::kError ? "error" : "info"; }

}  // namespace segverify::attest
