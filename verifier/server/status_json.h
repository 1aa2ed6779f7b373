// The JSON files of the status site: status.json (= GET /api/status, "segverify-status/1": the
// public view of the report, re-serialized from what report::ParseReport validated) and
// roots.json (= GET /api/roots: published roots, newest first). ParseRootsJson reads a roots.json
// back (publish keeps the history of the site it replaces).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "verifier/report/report.h"
#include "verifier/server/history_store.h"

namespace segverify::server {

inline constexpr std::string_view kStatusFormat = "segverify-status/1";

// The public view (report::PublicReport) in the status format.
std::string StatusToJson(const report::Report& report);

// The status when no report can be served: verdict ERROR and `error` naming why (never PASS).
std::string ErrorStatusToJson(std::string_view error);

// [{"id","pool","hash","sums","height","assets","verdict","attested_at"}, ...] in `roots` order.
std::string RootsToJson(const std::vector<RootRecord>& roots);

// A roots.json as RootsToJson writes it; every field checked (hashes, amounts against the
// assets' decimals, verdicts, dates). `origin` names the text in errors.
[[nodiscard]] Result<std::vector<RootRecord>> ParseRootsJson(std::string_view json, std::string_view origin);

}  // namespace segverify::server
