// report.json: writing a Report, and reading one back with every field checked.
//
// The reader is strict where the server relies on it: amounts must fit their asset's decimals,
// display texts are bounded and free of control characters, and a report whose verdict its own
// contents contradict (report.h VerdictContradiction) is refused, so a shown PASS is always
// backed by the report. `recheck` alone reads such a report as data (ReportReading::kAsData):
// a published verdict its own report does not back is what it must name, not a file it cannot
// read. Unknown extra fields are tolerated (a newer attest may add more) and
// dropped. ParseReport(ReportToJson(r)) == r for every report attest writes.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "verifier/report/report.h"

namespace segverify::report {

struct ReportJsonStyle {
  std::string_view format = kReportFormat;  // the status API writes the same fields as "segverify-status/1"
  bool pretty = true;                       // report.json is indented; API answers are compact
};

std::string ReportToJson(const Report& report, const ReportJsonStyle& style = {});

// Whether a report whose verdict its contents contradict is refused (kVerdictBacked: the server,
// the pages) or read as it stands (kAsData: the caller checks VerdictContradiction itself).
enum class ReportReading { kVerdictBacked, kAsData };

// `origin` names the text's source (a file path) in errors. `format`: the document's required
// "format" (the status site's status.json carries the same fields as "segverify-status/1").
[[nodiscard]] Result<Report> ParseReport(std::string_view json, std::string_view origin,
                                         ReportReading reading = ReportReading::kVerdictBacked,
                                         std::string_view format = kReportFormat);
[[nodiscard]] Result<Report> ReadReportFile(const std::string& path);

}  // namespace segverify::report
