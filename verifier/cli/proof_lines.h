// `proof verify FILE` on a file of one proof per line (what `proof export --all --out` writes):
// every line checked against the published roots on all cores, streaming, so memory stays
// bounded whatever the file's size (docs/FORMAT.md §5, "Checking a whole export").
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "merkle/inclusion_proof.h"
#include "verifier/cli/trusted_roots.h"

namespace segverify::cli {

// Lines named one by one in the summary; the rest are counted.
inline constexpr std::size_t kShownLineProblems = 20;

enum class LineOutcome {
  kInvalid,        // a well-formed proof that does not hold (exit 1)
  kCouldNotCheck,  // not a proof: malformed, too long, not JSON (exit 2)
};

struct LineProblem {
  std::uint64_t line = 0;  // 1-based
  LineOutcome outcome = LineOutcome::kCouldNotCheck;
  merkle::ProofVerdict verdict = merkle::ProofVerdict::kMalformed;
  std::string reason;
};

struct ProofLinesSummary {
  std::uint64_t proofs = 0;  // non-blank lines
  std::uint64_t valid = 0;
  std::uint64_t invalid = 0;
  std::uint64_t could_not_check = 0;
  std::vector<LineProblem> shown;  // the first kShownLineProblems problems, by line

  std::uint64_t problems() const { return invalid + could_not_check; }
};

// Is `head` (the first bytes of a file) the start of a file of proof lines rather than one proof?
// Yes when it has two non-blank lines and the first or the second is a whole JSON object on its
// own ("{…}"): a pretty-printed proof starts with the lines "{" and "\"format\": …", a one-proof
// export has one line.
bool LooksLikeProofLines(std::string_view head);

// Checks every line of `head` followed by the rest of `in` (read to its end). Blank lines are
// skipped; a line longer than merkle::kMaxProofBytes is not kept in memory: it could not be
// checked. An Error only when reading fails.
[[nodiscard]] Result<ProofLinesSummary> VerifyProofLines(std::string head, std::FILE* in, const std::string& origin,
                                                         const TrustedRoots& roots, unsigned threads);

}  // namespace segverify::cli
