// status.json (= GET /api/status, "segverify-status/1"): the public view of the report,
// re-serialized from what report::ParseReport validated. roots.json (= GET /api/roots) is modelled
// in verifier/report/roots_json.h.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "verifier/report/report.h"

namespace segverify::server {

inline constexpr std::string_view kStatusFormat = "segverify-status/1";

// The public view (report::PublicReport) in the status format.
std::string StatusToJson(const report::Report& report);

// The status when no report can be served: verdict ERROR and `error` naming why (never PASS).
std::string ErrorStatusToJson(std::string_view error);

}  // namespace segverify::server
