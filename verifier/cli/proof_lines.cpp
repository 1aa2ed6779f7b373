#include "verifier/cli/proof_lines.h"

#include <algorithm>

#include "common/parallel.h"

namespace segverify::cli {
namespace {

// Bytes read per round: lines of a round are checked on every core, then the next round is read.
// A round holds ~7,000 proofs of a 4-asset, 1M-account tree; memory stays at about twice this.
constexpr std::size_t kRoundBytes = 16u << 20;

bool IsBlank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

std::string_view Trimmed(std::string_view line) {
  const std::size_t first = line.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  return line.substr(first, line.find_last_not_of(" \t\r") + 1 - first);
}

struct NumberedLine {
  std::uint64_t number;
  std::string_view text;
};

// What one thread found in its share of a round.
struct SliceResult {
  std::uint64_t valid = 0, invalid = 0, could_not_check = 0;
  std::vector<LineProblem> problems;  // at most kShownLineProblems, in line order
};

void Record(SliceResult& result, LineProblem problem) {
  (problem.outcome == LineOutcome::kInvalid ? result.invalid : result.could_not_check) += 1;
  if (result.problems.size() < kShownLineProblems) result.problems.push_back(std::move(problem));
}

// The parser's errors start with the origin ("FILE:17: …"); the summary names the line itself.
std::string WithoutOrigin(std::string message, const std::string& origin) {
  if (message.starts_with(origin) && message.compare(origin.size(), 2, ": ") == 0) message.erase(0, origin.size() + 2);
  return message;
}

// `proof`: the thread's proof, reused from line to line.
void CheckLine(const NumberedLine& line, const std::string& origin, const TrustedRoots& roots,
               merkle::InclusionProof& proof, SliceResult& result) {
  if (line.text.size() > merkle::kMaxProofBytes) {
    Record(result,
           {line.number, LineOutcome::kCouldNotCheck, merkle::ProofVerdict::kMalformed, "line longer than 1 MiB"});
    return;
  }
  // What `proof export` writes takes the fast reader; anything else the generic parser, which
  // names the field at fault (together, what ParseInclusionProof does).
  if (!merkle::ParseCanonicalProofInto(line.text, proof)) {
    const std::string where = origin + ":" + std::to_string(line.number);
    auto parsed = merkle::ParseInclusionProofGeneric(line.text, where);
    if (!parsed) {
      Record(result, {line.number, LineOutcome::kCouldNotCheck, merkle::ProofVerdict::kMalformed,
                      WithoutOrigin(parsed.error().message, where)});
      return;
    }
    proof = std::move(*parsed);
  }
  merkle::ProofCheck check = roots.Check(proof);
  if (check.verdict == merkle::ProofVerdict::kValid) {
    ++result.valid;
    return;
  }
  const LineOutcome outcome =
      check.verdict == merkle::ProofVerdict::kMalformed ? LineOutcome::kCouldNotCheck : LineOutcome::kInvalid;
  Record(result, {line.number, outcome, check.verdict, std::move(check.reason)});
}

// Checks one round's lines on `threads` threads (contiguous shares) and adds the results to
// `summary` in line order.
void CheckRound(const std::vector<NumberedLine>& lines, const std::string& origin, const TrustedRoots& roots,
                unsigned threads, ProofLinesSummary& summary) {
  const std::size_t shares = std::min<std::size_t>(std::max(1u, threads), lines.size());
  if (shares == 0) return;
  std::vector<SliceResult> results(shares);
  const std::size_t per = (lines.size() + shares - 1) / shares;
  RunParallel(shares, threads, [&](std::size_t share) {
    const std::size_t begin = std::min(lines.size(), share * per), end = std::min(lines.size(), begin + per);
    merkle::InclusionProof proof;
    for (std::size_t i = begin; i < end; ++i) CheckLine(lines[i], origin, roots, proof, results[share]);
  });
  for (SliceResult& r : results) {
    summary.valid += r.valid;
    summary.invalid += r.invalid;
    summary.could_not_check += r.could_not_check;
    for (LineProblem& p : r.problems) {
      if (summary.shown.size() < kShownLineProblems) summary.shown.push_back(std::move(p));
    }
  }
}

}  // namespace

bool LooksLikeProofLines(std::string_view head) {
  std::size_t start = 0;
  int non_blank = 0;
  bool whole_object = false;
  while (start < head.size() && non_blank < 2) {
    const std::size_t newline = head.find('\n', start);
    const bool complete = newline != std::string_view::npos;
    const std::string_view line = head.substr(start, complete ? newline - start : std::string_view::npos);
    if (!IsBlank(line)) {
      ++non_blank;
      const std::string_view text = Trimmed(line);
      if (complete && text.size() >= 2 && text.front() == '{' && text.back() == '}') whole_object = true;
    }
    if (!complete) break;
    start = newline + 1;
  }
  return non_blank == 2 && whole_object;
}

Result<ProofLinesSummary> VerifyProofLines(std::string head, std::FILE* in, const std::string& origin,
                                           const TrustedRoots& roots, unsigned threads) {
  ProofLinesSummary summary;
  std::string buffer = std::move(head);
  std::uint64_t next_line = 1;
  bool skipping = false;  // inside an overlong line, dropped until its newline
  bool at_end = false;
  std::vector<NumberedLine> lines;
  while (!at_end || !buffer.empty()) {
    // Fill the round.
    while (!at_end && buffer.size() < kRoundBytes) {
      const std::size_t old = buffer.size();
      buffer.resize(kRoundBytes);
      const std::size_t n = std::fread(buffer.data() + old, 1, kRoundBytes - old, in);
      buffer.resize(old + n);
      if (n == 0) {
        if (std::ferror(in) != 0) return Error{origin + ": read error"};
        at_end = true;
      }
    }
    // Complete lines: up to the last newline (everything at the end of the input).
    std::size_t complete = at_end ? buffer.size() : buffer.rfind('\n');
    complete = complete == std::string::npos ? 0 : (at_end ? complete : complete + 1);
    lines.clear();
    std::size_t start = 0;
    while (start < complete) {
      std::size_t newline = buffer.find('\n', start);
      if (newline == std::string::npos || newline >= complete) newline = complete;
      const std::string_view line(buffer.data() + start, newline - start);
      if (skipping) {
        skipping = false;  // the rest of an overlong line, already counted
      } else if (!IsBlank(line)) {
        lines.push_back({next_line, line});
      }
      ++next_line;
      start = newline + 1;
    }
    summary.proofs += lines.size();
    CheckRound(lines, origin, roots, threads, summary);
    buffer.erase(0, complete);
    // A line without its newline in a whole round is longer than any proof may be: count it as
    // could-not-check and drop the rest of it as it arrives.
    if (!at_end && complete == 0 && buffer.size() >= kRoundBytes) {
      if (!skipping) {
        ++summary.proofs;
        ++summary.could_not_check;
        if (summary.shown.size() < kShownLineProblems) {
          summary.shown.push_back(
              {next_line, LineOutcome::kCouldNotCheck, merkle::ProofVerdict::kMalformed, "line longer than 1 MiB"});
        }
        skipping = true;
      }
      buffer.clear();
    }
  }
  return summary;
}

}  // namespace segverify::cli
