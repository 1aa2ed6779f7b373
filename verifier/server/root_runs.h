// One attestation id is one current run (docs/FORMAT.md "roots.json"): re-running an attestation
// under the same id (the normal fix after an ERROR) replaces that id's roots, and the replaced
// run's roots stay listed apart, with the time they were replaced, so that a proof of the replaced
// run is recognised and refused ("replaced on DATE") rather than shown valid or merely unknown.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "verifier/report/report.h"
#include "verifier/report/roots_json.h"

namespace segverify::server {

// Splits `records` into current and superseded roots. Records that already carry superseded_at
// stay superseded. For `shown`'s id (the report being published or served) its own roots are the
// current run and every other root of that id is superseded, at the time shown's roots were
// first seen or, when that was not recorded (first_seen 0), at `now_unix`. For any other id the
// run seen last (largest first_seen) is current and earlier runs are superseded at the time it
// was seen; records without a first_seen cannot be told apart and all stay current. `shown`'s
// roots are added when missing.
report::PublishedRoots SeparateRuns(std::vector<report::ListedRoot> records, const report::Report* shown,
                                    std::int64_t now_unix);

// The superseded record of `hash` (64 lower-case hex), or null.
const report::ListedRoot* FindSuperseded(const report::PublishedRoots& roots, std::string_view hash);

// What a proof of a replaced run is told: "this proof belongs to a run of 2026-11 that was
// replaced on 7 December 2026, 21:00 UTC; ask for your proof of the current run".
std::string SupersededSentence(const report::ListedRoot& record);

}  // namespace segverify::server
