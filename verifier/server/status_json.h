// status.json (= GET /api/status, format "segverify-status/1", docs/FORMAT.md §14): the one model
// of the file, with its one writer and its one reader. It is report.json's fields for the public
// view of the report the site shows (report::PublicReport, verifier/report/public_view.h), or,
// when no report can be served, a document with verdict ERROR that says why (never a PASS).
// roots.json (= GET /api/roots) is modelled in verifier/report/roots_json.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "verifier/report/report.h"

namespace segverify::server {

inline constexpr std::string_view kStatusFormat = "segverify-status/1";

struct StatusDocument {
  // The report shown. The writer writes its public view; the reader gives the public view it
  // read, checked as report.json is (report_json.h; a verdict its contents contradict is refused).
  std::optional<report::Report> report;
  std::string error;  // only without a report: why none can be served
};

// {"format":"segverify-status/1", report.json's fields...} for a report;
// {"format":"segverify-status/1","id":null,"verdict":"ERROR","error":…,"chains":{},"pools":[],"findings":[]}
// without one.
std::string StatusToJson(const StatusDocument& status);

// A status.json as StatusToJson writes it; every field checked. `origin` names the text in errors.
[[nodiscard]] Result<StatusDocument> ParseStatusJson(std::string_view json, std::string_view origin);

}  // namespace segverify::server
