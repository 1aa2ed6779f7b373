// report.html: the attestation report for people, one self-contained page (no scripts, no
// external resources), rendered from the same Report value as report.json.
#pragma once

#include <string>

#include "verifier/report/report.h"

namespace segverify::report {

std::string ReportToHtml(const Report& report);

}  // namespace segverify::report
