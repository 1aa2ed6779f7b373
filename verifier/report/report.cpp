#include "verifier/report/report.h"

#include <string>

namespace segverify::report {

std::string_view ToString(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass: return "PASS";
    case Verdict::kFail: return "FAIL";
    case Verdict::kError: return "ERROR";
  }
  return "ERROR";
}

Result<Verdict> ParseVerdict(std::string_view text) {
  if (text == "PASS") return Verdict::kPass;
  if (text == "FAIL") return Verdict::kFail;
  if (text == "ERROR") return Verdict::kError;
  return Error{"expected PASS, FAIL or ERROR, found \"" + std::string(text) + "\""};
}

std::string_view ToString(Severity severity) { return severity == Severity::kError ? "error" : "info"; }

Result<Severity> ParseSeverity(std::string_view text) {
  if (text == "error") return Severity::kError;
  if (text == "info") return Severity::kInfo;
  return Error{"expected error or info, found \"" + std::string(text) + "\""};
}

Verdict DecideVerdict(const Report& report) {
  if (!report.errors.empty()) return Verdict::kError;
  for (const Finding& f : report.findings) {
    if (f.severity == Severity::kError) return Verdict::kFail;
  }
  for (const PoolReport& p : report.pools) {
    if (!p.holds) return Verdict::kFail;
  }
  return Verdict::kPass;
}

std::optional<std::string> VerdictContradiction(const Report& report) {
  for (const PoolReport& pool : report.pools) {
    bool all_covered = pool.root.has_value();
    for (const AssetCoverage& asset : pool.assets) {
      const std::string what = "pool " + pool.name + " asset " + asset.asset.symbol;
      if (asset.covered.has_value() != (asset.reserves.has_value() && pool.root.has_value())) {
        return what + ": covered must be true or false exactly when reserves and liabilities are known";
      }
      if (asset.covered && *asset.covered != (*asset.reserves >= asset.liabilities)) {
        return what + " says covered is " + (*asset.covered ? "true" : "false") + ", but its reserves are " +
               (*asset.covered ? "below" : "not below") + " its liabilities";
      }
      all_covered = all_covered && asset.covered.value_or(false);
    }
    if (pool.holds && !all_covered) return "pool " + pool.name + " says it holds, but not every asset is covered";
  }
  const Verdict decided = DecideVerdict(report);
  if (decided != report.verdict) {
    return std::string(ToString(report.verdict)) + " contradicts the report's contents, which call for " +
           std::string(ToString(decided));
  }
  if (report.verdict == Verdict::kPass) {
    if (report.pools.empty()) return "PASS with no pools";
    for (const ChainReport& chain : report.chains) {
      if (!chain.block_hash) return "PASS with no agreed block hash for " + chain.chain;
    }
  }
  return std::nullopt;
}

}  // namespace segverify::report
