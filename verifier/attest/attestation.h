// The attestation runner (docs/DESIGN.md; docs/FORMAT.md §7, §8 and §11).
//
// One core runs every reserves-side check of an attestation, and two fronts feed it:
//   - `attest` (RunAttestation, attestation_run.cpp): config → trees built from the liabilities
//     files, sources from the config, outputs staged and evidence recorded (or replayed);
//   - `recheck` (recheck.h): a published site → the published roots, sources from the command
//     line, blocks pinned by the published hashes.
// They differ only in where the liabilities sums and the sources come from; the checks are the
// core's (RunAttestationChecks, attestation.cpp).
//
// The core's steps: (1) canonicalize every address and check P2WSH/P2SH scripts against it;
// (2) read balances at the pinned blocks from every source, with quorum (and, when the plan pins a
// block hash, refuse a block of another hash: finding `block-hash`); (3) read contract code, vaults
// and token decimals at the pin; (4) verify every ownership proof (pool and firm) over the message,
// ERC-1271 at the pinned block; (5) vault, segregation and coverage checks against the roots' sums;
// (6) the verdict: ERROR if any check could not be done, FAIL if any error finding or any pool does
// not hold, PASS otherwise.
//
// `attest` outputs are all or nothing (docs/DESIGN.md §Outputs are all or nothing): everything is
// written into a staging directory
// beside OUT (common/output_dir.h) that replaces OUT whole once the report is written. An invalid
// input (config, liabilities, replay recording), an output that cannot be written (disk full), a
// crash or a kill leave OUT exactly as it was. Every input file is checked before the first
// request to a node: the config when it is loaded, each liabilities file's header, then the trees.
// OUT holds report.json, report.html, attestation.json (public_attestation.h), evidence/ and
// pools/<name>/.
//
// Reproducibility: every node response is recorded in OUT/evidence/; with `replay_dir`, nothing
// goes to the network and answers come from that recording. Nonces come from the nonce key
// (per pool: HMAC-SHA256(key, "segverify/pool/" + name)); without a key they are random, and a
// replay then reuses the trees built by the recorded run (found beside its evidence directory)
// when the liabilities files are unchanged, so it still reproduces report.json byte for byte.
#pragma once

#include <array>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clients/chain_source.h"
#include "clients/http_transport.h"
#include "common/progress.h"
#include "common/result.h"
#include "merkle/published_root.h"
#include "verifier/attest/attestation_config.h"
#include "verifier/report/report.h"

namespace segverify::attest {

// ---- the core ------------------------------------------------------------------------------------

// The liabilities side of one pool, as the checks use it: the root whose sums the reserves must
// cover (nullopt: no tree, so the pool cannot hold) and the number of accounts (for the report).
struct PoolLiabilities {
  std::optional<merkle::PublishedRoot> root;
  std::uint64_t accounts = 0;
};

// Everything the checks need, wherever it came from.
struct AttestationPlan {
  // id, message, assets, chains (each with its pinned height and the sources to read), pools'
  // addresses, firm addresses and keys. Paths in it are not used.
  AttestationConfig config;
  std::vector<PoolLiabilities> liabilities;  // one per config.pools, in order
  // Could-not-check problems found while preparing the liabilities (a pool without a tree): the
  // report lists them first.
  std::vector<Problem> problems;
  // Chain name → the block hash its pinned height must have (a re-check pins the published blocks).
  // A chain without an entry takes whatever block hash its sources agree on.
  std::map<std::string, std::string> pinned_hashes;
};

struct CheckEnvironment {
  clients::TransportFactory transports;
  clients::SourceOptions source_options;             // expected_chain_id is set per chain from the plan
  std::function<void(const std::string&)> progress;  // one line per call; never given secrets
  ProgressCallback work;                             // work done in long steps (balances, proofs)
  std::function<void(std::string_view)> checkpoint;  // told "balances" once node reads are done (test hook)
};

// Runs every check of the plan. The report has id, message, verdict, chains, pools (roots,
// coverage, addresses with balances and ownership), firm addresses, findings and problems; its
// inputs and tool version are left to the front. Problems with nodes are in the report (problems,
// findings), never an Error: the checks always reach a verdict.
[[nodiscard]] report::Report RunAttestationChecks(const AttestationPlan& plan, const CheckEnvironment& environment);

// ---- the attest front (attestation_run.cpp) ------------------------------------------------------

// The file every `attest --out DIR` writes into DIR. Only a directory holding it (or an absent or
// empty one) is replaced by a later run: a report.json or an evidence/ alone says nothing about
// who wrote the rest of DIR (docs/SECURITY.md, threat model).
inline constexpr std::string_view kAttestMarker = ".segverify-attest";

struct AttestOptions {
  std::string config_path;
  std::string out_dir;
  std::optional<std::string> replay_dir;
  std::optional<std::array<std::uint8_t, 32>> nonce_key;
  std::string tool_version;
  clients::HttpOptions http;
  std::function<void(const std::string&)> progress;  // one line per call; never given secrets
  ProgressCallback work;                             // work done in long steps (trees, balances, proofs)
};

// Errors when no report is written and OUT is left as it was: unreadable or invalid config or
// liabilities, unusable output directory, unreadable replay recording, a failed write. Every
// other problem (a node down, sources that disagree) is in the report, with verdict ERROR.
[[nodiscard]] Result<report::Report> RunAttestation(const AttestOptions& options);

}  // namespace segverify::attest
