// report.html: the attestation report for people, one self-contained page (no scripts, no
// external resources), rendered from the same Report value as report.json. It is public (it is
// published beside the status page), so it shows the public view (public_view.h): sources named
// by index, no node URL, config path or file path, ERROR never read as a shortfall.
#pragma once

#include <string>

#include "verifier/report/report.h"

namespace segverify::report {

std::string ReportToHtml(const Report& report);

}  // namespace segverify::report
