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
#include "verifier/server/root_runs.h"

namespace segverify::server {

inline constexpr std::string_view kStatusFormat = "segverify-status/1";

// The public view (report::PublicReport) in the status format.
std::string StatusToJson(const report::Report& report);

// The status when no report can be served: verdict ERROR and `error` naming why (never PASS).
std::string ErrorStatusToJson(std::string_view error);

inline constexpr std::string_view kRootsFormat = "segverify-roots/2";

// {"format":"segverify-roots/2","roots":[ROOT...],"superseded":[ROOT + "superseded_at"...]}, ROOT =
// {"id","pool","hash","sums","height","assets","verdict","attested_at"}, in `roots` order
// (docs/FORMAT.md "roots.json").
std::string RootsToJson(const PublishedRoots& roots);

// A roots.json as RootsToJson writes it, or the plain array of roots that sites wrote before
// runs could be superseded; every field checked (hashes, amounts against the assets' decimals,
// verdicts, dates). `origin` names the text in errors.
[[nodiscard]] Result<PublishedRoots> ParsePublishedRoots(std::string_view json, std::string_view origin);

// The current roots only (a superseded root proves nothing): ParsePublishedRoots(...).current.
[[nodiscard]] Result<std::vector<RootRecord>> ParseRootsJson(std::string_view json, std::string_view origin);

}  // namespace segverify::server
