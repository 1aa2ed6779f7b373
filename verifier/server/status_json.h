// The JSON bodies of GET /api/status ("segverify-status/1": the report's fields, re-serialized
// from what report::ParseReport validated) and GET /api/roots (published roots, newest first).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "verifier/server/history_store.h"
#include "verifier/report/report.h"

namespace segverify::server {

inline constexpr std::string_view kStatusFormat = "segverify-status/1";

std::string StatusToJson(const report::Report& report);

// The status when no report can be served: verdict ERROR and `error` naming why (never PASS).
std::string ErrorStatusToJson(std::string_view error);

// [{"id","pool","hash","sums","height","verdict","first_seen"[,"assets"]}, ...] in `roots` order.
std::string RootsToJson(const std::vector<RootRecord>& roots);

}  // namespace segverify::server
