// Who controls a contract vault, in words for people (report.html, the status page):
// "Safe 1.4.1, 2 of 3 owners, 1 firm owner, no modules".
#pragma once

#include <string>

#include "verifier/report/report.h"

namespace segverify::report {

// From the VaultReport fields as read at the pinned block (DESIGN.md "Contract vaults"). A vault
// of kind "unknown" reads "unrecognized contract: who controls it cannot be read".
std::string VaultPolicyInWords(const VaultReport& vault);

}  // namespace segverify::report
