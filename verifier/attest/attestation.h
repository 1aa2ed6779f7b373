// `segverify attest`: the monthly attestation, end to end (DESIGN.md; issue "Monthly attestation").
//
// Outputs are all or nothing (DESIGN.md): everything is written into a staging directory beside
// OUT (common/output_dir.h) that replaces OUT whole once the report is written. An invalid input
// (config, liabilities, replay recording), an output that cannot be written (disk full), a crash
// or a kill leave OUT exactly as it was. Every input file is checked before the first request
// to a node: the config when it is loaded, each liabilities file's header, then the trees.
//
// Steps: (1) build each pool's tree into OUT/pools/<name>/; (2) canonicalize every address and
// check P2WSH/P2SH scripts against it; (3) read balances at the pinned blocks from every source,
// with quorum; (4) verify every ownership proof (pool and firm) over the config's message,
// ERC-1271 at the pinned block; (5) segregation and coverage checks; (6) the verdict:
// ERROR if any check could not be done, FAIL if any error finding or any pool does not hold,
// PASS otherwise. The report is written even for FAIL and ERROR.
//
// Reproducibility: every node response is recorded in OUT/evidence/; with `replay_dir`, nothing
// goes to the network and answers come from that recording. Nonces come from the nonce key
// (per pool: HMAC-SHA256(key, "segverify/pool/" + name)); without a key they are random, and a
// replay then reuses the trees built by the recorded run (found beside its evidence directory)
// when the liabilities files are unchanged, so it still reproduces report.json byte for byte.
#pragma once

#include <array>
#include <functional>
#include <optional>
#include <string>

#include "clients/http_transport.h"
#include "common/progress.h"
#include "common/result.h"
#include "verifier/report/report.h"

namespace segverify::attest {

struct AttestOptions {
  std::string config_path;
  std::string out_dir;
  std::optional<std::string> replay_dir;
  std::optional<std::array<std::uint8_t, 32>> nonce_key;
  std::string tool_version;
  clients::HttpOptions http;
  std::function<void(const std::string&)> progress;  // one line per call; never given secrets
  ProgressCallback work;                              // work done in long steps (trees, balances, proofs)
};

// Errors when no report is written and OUT is left as it was: unreadable or invalid config or
// liabilities, unusable output directory, unreadable replay recording, a failed write. Every
// other problem (a node down, sources that disagree) is in the report, with verdict ERROR.
[[nodiscard]] Result<report::Report> RunAttestation(const AttestOptions& options);

}  // namespace segverify::attest
