// A contract vault's policy in words, for people: report.html and the status page show the same
// sentence ("Safe 1.4.1, 2 of 3 owners, 1 firm owner, no modules").
#pragma once

#include <string>

#include "verifier/report/report.h"

namespace segverify::report {

// "Safe 1.4.1, 2 of 3 owners, 1 firm owner, no modules", with ", 1 contract owner" and ", a guard"
// when there are any; "not a recognized Safe: who controls it cannot be read" for kind "unknown".
// Plain text (escape it for HTML).
std::string VaultPolicyInWords(const VaultReport& vault);

}  // namespace segverify::report
