// The public re-check (docs/DESIGN.md §Public re-check): anyone re-verifies a published attestation
// from the site's public files and nodes of their own choosing, without the exchange's private
// files.
//
// A published site holds three files that must make one attestation: attestation.json (the
// public attestation: the config as run, roots in place of liabilities, no sources),
// report.json (the published report and verdict) and roots.json (every root the site published).
// The re-check
//   1. cross-checks them (CrossCheckPublishedFiles): same id, message, assets, chains and
//      heights, pools, and each pool's root identical in all three;
//   2. builds the plan (MakeRecheckPlan): the attestation as published, the caller's sources, the
//      published roots' sums as liabilities, and each chain pinned by the published block hash;
//   3. runs the core's checks (attestation.h RunAttestationChecks: the same code as `attest`);
//   4. compares the re-checked report with the published one (CompareReports) and decides the
//      outcome (DecideRecheckOutcome).
// Fetching the files (a directory or an http(s) URL) is the CLI's.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "clients/chain_source.h"
#include "common/result.h"
#include "verifier/attest/attestation.h"
#include "verifier/attest/attestation_config.h"
#include "verifier/report/report.h"
#include "verifier/report/roots_json.h"

namespace segverify::attest {

// The three public files of a site, each already parsed and valid on its own.
struct PublishedAttestation {
  AttestationConfig attestation;          // attestation.json (ParsePublicAttestation)
  report::Report report;                  // report.json (report::ParseReport, ReportReading::kAsData)
  std::vector<report::ListedRoot> roots;  // roots.json: its current roots (report/roots_json.h)
};

// Where the three files disagree, one sentence each naming the files and the field, pool or
// root; empty when they describe one attestation. Pure.
std::vector<std::string> CrossCheckPublishedFiles(const PublishedAttestation& site);

// A node the re-checker chose for one chain of the attestation ("bitcoin", "ethereum",
// "arbitrum", ...). `config.label` is set by MakeRecheckPlan ("<chain> source <n>").
struct RecheckSource {
  std::string chain;
  clients::SourceConfig config;
};

// The plan of a re-check. Errors (exit 2, usage): a source for a chain the attestation does not
// pin, a source type that cannot serve its chain, a chain without a source.
[[nodiscard]] Result<AttestationPlan> MakeRecheckPlan(const PublishedAttestation& site,
                                                      const std::vector<RecheckSource>& sources);

// One way the re-checked report differs from the published one.
struct Difference {
  std::string what;     // verdict, balance, reserves, coverage, ownership, address, type, vault,
                        // finding-missing (the published report lacks it), finding-extra (it has it,
                        // the re-check does not find it)
  std::string subject;  // an address, "pool spot BTC", "attestation 2026-11", a finding's subject
  std::string detail;   // "published PASS, re-checked FAIL", ...
  // False when it may only show that the re-check could not check something (the re-check's
  // verdict is ERROR): a published finding the re-check did not reach, a verdict of ERROR.
  bool definite = true;

  bool operator==(const Difference&) const = default;
};

// A published report.json whose verdict its own contents contradict (report.h
// VerdictContradiction): a definite difference naming the contradiction, or nullopt. Recheck puts
// it first, so such a site is "does not hold" (exit 1) whatever the nodes say. Pure.
std::optional<Difference> PublishedVerdictUnbacked(const report::Report& published);

// Every difference between the published report and the re-checked one, in report order:
// verdict, pools (coverage, then addresses), firm addresses, findings. Pure.
std::vector<Difference> CompareReports(const report::Report& published, const report::Report& rechecked);

enum class RecheckOutcome {
  kHolds,          // re-checked PASS, published PASS, no difference (exit 0)
  kDoesNotHold,    // re-checked FAIL, as published, no difference (exit 1)
  kDiffers,        // a definite difference (exit 1)
  kFilesDisagree,  // the three files do not make one attestation (exit 1)
  kCannotCheck,    // the re-check could not check everything, and found no definite difference (exit 2)
};

struct RecheckResult {
  std::vector<std::string> file_mismatches;  // CrossCheckPublishedFiles
  std::optional<report::Report> rechecked;   // nullopt when the files disagree (no node is asked)
  std::vector<Difference> differences;
  RecheckOutcome outcome = RecheckOutcome::kCannotCheck;
};

// kFilesDisagree when there are file mismatches; else kDiffers on a definite difference; else by
// the re-checked verdict (ERROR kCannotCheck, FAIL kDoesNotHold, PASS kHolds).
RecheckOutcome DecideRecheckOutcome(const std::vector<std::string>& file_mismatches,
                                    const std::optional<report::Report>& rechecked,
                                    const std::vector<Difference>& differences);

// Steps 1 to 4 above. When the files disagree, nothing is asked of any node. Errors: those of
// MakeRecheckPlan (the files agree, but the sources do not fit the attestation).
[[nodiscard]] Result<RecheckResult> Recheck(const PublishedAttestation& site, const std::vector<RecheckSource>& sources,
                                            const CheckEnvironment& environment);

}  // namespace segverify::attest
