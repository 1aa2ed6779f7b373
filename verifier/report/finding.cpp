#include "verifier/report/finding.h"

#include <array>
#include <utility>

#include "common/enum_names.h"

namespace segverify::report {
namespace {

// The one spelling of every check's name (report.json `findings[].check`).
constexpr std::array<std::pair<Check, std::string_view>, 13> kCheckNames = {{
    {Check::kOverlap, "overlap"},
    {Check::kDoubleCount, "double-count"},
    {Check::kSharedKey, "shared-key"},
    {Check::kFirmControl, "firm-control"},
    {Check::kCoverage, "coverage"},
    {Check::kOwnership, "ownership"},
    {Check::kScriptMismatch, "script-mismatch"},
    {Check::kSourcesDisagree, "sources-disagree"},
    {Check::kBlockHash, "block-hash"},
    {Check::kVaultUnverified, "vault-unverified"},
    {Check::kVaultModule, "vault-module"},
    {Check::kVaultGuard, "vault-guard"},
    {Check::kTokenDecimals, "token-decimals"},
}};

}  // namespace

std::string_view ToString(Severity severity) { return severity == Severity::kError ? "error" : "info"; }

Result<Severity> ParseSeverity(std::string_view text) {
  if (text == "error") return Severity::kError;
  if (text == "info") return Severity::kInfo;
  return Error{"expected error or info, found \"" + std::string(text) + "\""};
}

std::string_view ToString(Check check) { return NameIn(kCheckNames, check, "overlap"); }

std::optional<Check> ParseCheck(std::string_view text) { return ValueNamed<Check>(kCheckNames, text); }

}  // namespace segverify::report
