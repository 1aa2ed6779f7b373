// What every reader of a published run accepts: the files `attest` writes and `publish` / `serve`
// / `recheck` read back (docs/DESIGN.md §Public faces; docs/FORMAT.md §11).
#pragma once

#include <cstddef>
#include <string_view>

namespace segverify::report {

// attestation.json: the public half of the attestation config (written by attest, served by
// publish/serve, read by recheck). Named here so the server needs no link to attest.
inline constexpr std::string_view kPublicAttestationFormat = "segverify-public-attestation/1";

// The largest report.json, attestation.json, roots.json or attestation config any reader takes.
// report.json and attestation.json list every address: an exchange with 100,000 addresses writes
// ~22 MB of each (bench/README-attest.md), so the bound sits well above that and still keeps a
// hostile file from exhausting memory.
inline constexpr std::size_t kMaxPublishedFileBytes = 64u << 20;

}  // namespace segverify::report
