// POST /api/verify-proof: checks a proof body against the published roots, using the same
// verifier as `segverify proof verify` (merkle/inclusion_proof.h). Pure logic; the HTTP status is
// chosen by the server from the outcome.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/sha256.h"
#include "verifier/server/root_runs.h"

namespace segverify::server {

enum class ProofRequestOutcome {
  kValid,         // recomputes to its root, and that root is published
  kNotJson,       // unparseable, too deep, duplicate keys, invalid UTF-8 (HTTP 400)
  kNotAProof,     // JSON, but not a well-formed segverify-proof/1 (HTTP 422)
  kInvalid,       // well-formed, and does not verify
  kNotPublished,  // verifies, but against a root that is not published
  kSuperseded,    // verifies, against the root of a run that a new run of the same id replaced
};

struct ProofRequestAnswer {
  ProofRequestOutcome outcome = ProofRequestOutcome::kNotJson;
  std::string error;  // empty when valid
};

// `roots`: the superseded roots, named in the answer (root_runs.h SupersededSentence).
ProofRequestAnswer CheckProofRequest(std::string_view body, const std::vector<Hash256>& published_roots,
                                     const report::PublishedRoots& roots = report::PublishedRoots{});

// {"valid":true} or {"valid":false,"error":"..."}
std::string ProofAnswerToJson(const ProofRequestAnswer& answer);

}  // namespace segverify::server
