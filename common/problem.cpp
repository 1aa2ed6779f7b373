#include "common/problem.h"

#include <array>
#include <utility>

#include "common/enum_names.h"

namespace segverify {
namespace {

// The one table of kind names (report.json `problems[].kind`).
constexpr std::array<std::pair<ProblemKind, std::string_view>, 16> kKindNames = {{
    {ProblemKind::kUnreachable, "unreachable"},
    {ProblemKind::kTimedOut, "timed-out"},
    {ProblemKind::kRefusedByNode, "refused-by-node"},
    {ProblemKind::kWrongApi, "wrong-api"},
    {ProblemKind::kMalformedAnswer, "malformed-answer"},
    {ProblemKind::kWrongNetwork, "wrong-network"},
    {ProblemKind::kDisagreement, "disagreement"},
    {ProblemKind::kNotAtPin, "not-at-pin"},
    {ProblemKind::kIndexBehind, "index-behind"},
    {ProblemKind::kProofMismatch, "proof-mismatch"},
    {ProblemKind::kUnprovable, "unprovable"},
    {ProblemKind::kOwnershipUnchecked, "ownership-unchecked"},
    {ProblemKind::kInput, "input"},
    {ProblemKind::kOverflow, "overflow"},
    {ProblemKind::kInternal, "internal"},
    {ProblemKind::kOther, "other"},
}};

}  // namespace

std::string_view ToString(ProblemKind kind) { return NameIn(kKindNames, kind, "other"); }

std::optional<ProblemKind> ParseProblemKind(std::string_view text) { return ValueNamed<ProblemKind>(kKindNames, text); }

bool IsNoAnswer(ProblemKind kind) { return kind == ProblemKind::kUnreachable || kind == ProblemKind::kTimedOut; }

}  // namespace segverify
