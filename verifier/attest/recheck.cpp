#include "verifier/attest/recheck.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <tuple>

#include "common/hex.h"
#include "merkle/amount.h"
#include "verifier/report/public_view.h"

namespace segverify::attest {
namespace {

using report::AddressReport;
using report::AssetCoverage;
using report::Finding;
using report::PoolReport;
using report::Report;
using report::Verdict;

std::string Short(std::string_view hash) { return std::string(hash.substr(0, 16)) + "…"; }

// "hash 3f2a…, height 20, sums 10.5 / 3": a root as the mismatch sentences show it.
std::string DescribeRoot(const merkle::PublishedRoot& root) {
  std::string sums;
  for (std::size_t i = 0; i < root.sums.size(); ++i) {
    sums += (i == 0 ? "" : " / ") + merkle::FormatAmount(root.sums[i], root.assets[i].decimals);
  }
  return "hash " + Short(ToHex(root.hash)) + ", height " + std::to_string(root.height) + ", sums " + sums;
}

bool SameRoot(const merkle::PublishedRoot& a, const merkle::PublishedRoot& b) {
  return a.hash == b.hash && a.height == b.height && a.sums == b.sums;
}

// ---- the three files ------------------------------------------------------------------------------

class FileCrossCheck {
 public:
  explicit FileCrossCheck(const PublishedAttestation& site)
      : site_(site), attestation_(site.attestation), report_(site.report) {}

  std::vector<std::string> Run() {
    if (attestation_.id != report_.id) {
      Add("attestation.json is attestation " + attestation_.id + ", report.json is attestation " + report_.id);
      return mismatches_;  // nothing else can be compared
    }
    if (attestation_.message != report_.message) Add("the message in attestation.json differs from report.json's");
    CheckChains();
    CheckPools();
    CheckRootsJson();
    return mismatches_;
  }

 private:
  void Add(std::string mismatch) { mismatches_.push_back(std::move(mismatch)); }

  void CheckChains() {
    for (const ConfigChain& chain : attestation_.chains) {
      auto it = std::find_if(report_.chains.begin(), report_.chains.end(),
                             [&](const report::ChainReport& c) { return c.chain == chain.name; });
      if (it == report_.chains.end()) {
        Add("attestation.json pins " + chain.name + ", which report.json does not list");
      } else if (it->height != chain.height) {
        Add(chain.name + ": attestation.json pins " + std::to_string(chain.height) + ", report.json " +
            std::to_string(it->height));
      }
    }
    for (const report::ChainReport& c : report_.chains) {
      if (attestation_.FindChain(c.chain) == nullptr)
        Add("report.json lists chain " + c.chain + ", which attestation.json does not pin");
    }
  }

  void CheckPools() {
    std::vector<std::string> names, reported;
    for (const ConfigPool& pool : attestation_.pools) names.push_back(pool.name);
    for (const PoolReport& pool : report_.pools) reported.push_back(pool.name);
    if (names != reported) {
      Add("the pools of attestation.json (" + Join(names) + ") are not those of report.json (" + Join(reported) + ")");
      return;
    }
    const std::vector<merkle::AssetSpec> assets = attestation_.AssetSpecs();
    for (std::size_t p = 0; p < names.size(); ++p) {
      const ConfigPool& pool = attestation_.pools[p];
      const PoolReport& shown = report_.pools[p];
      std::vector<merkle::AssetSpec> shown_assets;
      for (const AssetCoverage& a : shown.assets) shown_assets.push_back(a.asset);
      if (shown_assets != assets) {
        Add("pool " + pool.name + ": the assets of report.json are not those of attestation.json");
        continue;
      }
      if (pool.root.has_value() != shown.root.has_value()) {
        Add("pool " + pool.name + ": " + (pool.root ? "report.json" : "attestation.json") +
            " has no root, the other one has");
      } else if (pool.root && !SameRoot(*pool.root, *shown.root)) {
        Add("pool " + pool.name + ": the root in attestation.json (" + DescribeRoot(*pool.root) +
            ") is not the root in report.json (" + DescribeRoot(*shown.root) + ")");
      }
    }
  }

  // Every root of this attestation is listed in roots.json exactly once, with the same hash,
  // height and sums, and the verdict of report.json; and roots.json lists no other root for it.
  void CheckRootsJson() {
    const std::string& id = attestation_.id;
    for (const report::ListedRoot& listed : site_.roots) {
      if (listed.report_id != id) continue;
      const ConfigPool* pool = FindPool(listed.pool);
      if (pool == nullptr) {
        Add("roots.json lists a root of attestation " + id + " for pool " + listed.pool +
            ", which attestation.json does not have");
      } else if (!pool->root) {
        Add("roots.json lists a root of attestation " + id + " for pool " + listed.pool +
            ", which has none in attestation.json");
      }
    }
    for (const ConfigPool& pool : attestation_.pools) {
      if (!pool.root) continue;
      std::vector<const report::ListedRoot*> entries;
      for (const report::ListedRoot& listed : site_.roots) {
        if (listed.report_id == id && listed.pool == pool.name) entries.push_back(&listed);
      }
      const std::string what = "pool " + pool.name + " of attestation " + id;
      if (entries.empty()) {
        Add("roots.json lists no root for " + what);
        continue;
      }
      if (entries.size() > 1) {
        Add("roots.json lists " + std::to_string(entries.size()) + " roots for " + what);
        continue;
      }
      const report::ListedRoot& listed = *entries.front();
      if (!ListedMatches(listed, *pool.root)) {
        Add(what + ": the root in attestation.json (" + DescribeRoot(*pool.root) +
            ") is not the root in roots.json (hash " + Short(listed.hash) + ", height " +
            std::to_string(listed.height) + ", sums " + Join(listed.sums, " / ") + ")");
      } else if (listed.verdict != report_.verdict) {
        Add(what + ": roots.json gives the verdict " + std::string(report::ToString(listed.verdict)) +
            ", report.json " + std::string(report::ToString(report_.verdict)));
      }
    }
  }

  bool ListedMatches(const report::ListedRoot& listed, const merkle::PublishedRoot& root) const {
    auto typed = report::ToPublishedRoot(listed, "roots.json");
    return typed && typed->hash == root.hash && typed->height == root.height && typed->sums == root.sums;
  }

  const ConfigPool* FindPool(std::string_view name) const {
    for (const ConfigPool& pool : attestation_.pools) {
      if (pool.name == name) return &pool;
    }
    return nullptr;
  }

  static std::string Join(const std::vector<std::string>& items, std::string_view separator = ", ") {
    std::string out;
    for (const std::string& item : items) out += (out.empty() ? "" : std::string(separator)) + item;
    return out;
  }

  const PublishedAttestation& site_;
  const AttestationConfig& attestation_;
  const Report& report_;
  std::vector<std::string> mismatches_;
};

// ---- comparing reports ------------------------------------------------------------------------------

std::string AmountText(const std::optional<u128>& amount, int decimals) {
  return amount ? merkle::FormatAmount(*amount, decimals) : "unknown";
}

int DecimalsOf(const std::vector<AssetCoverage>& assets, std::string_view symbol) {
  for (const AssetCoverage& a : assets) {
    if (a.asset.symbol == symbol) return a.asset.decimals;
  }
  return 0;
}

std::string DescribeVault(const report::VaultReport& v) {
  if (v.kind != "safe") return "not a recognized vault";
  std::string text =
      "Safe " + v.version + ", " + std::to_string(v.threshold) + " of " + std::to_string(v.owners.size()) + " owners";
  if (!v.modules.empty()) text += ", " + std::to_string(v.modules.size()) + " module(s)";
  if (!v.firm_owners.empty()) text += ", " + std::to_string(v.firm_owners.size()) + " firm owner(s)";
  return text;
}

class ReportComparison {
 public:
  ReportComparison(const Report& published, const Report& rechecked)
      : published_(published), rechecked_(rechecked), complete_(rechecked.problems.empty()) {}

  std::vector<Difference> Run() {
    if (published_.verdict != rechecked_.verdict) {
      Add("verdict", "attestation " + published_.id,
          "published " + std::string(report::ToString(published_.verdict)) + ", re-checked " +
              std::string(report::ToString(rechecked_.verdict)),
          rechecked_.verdict != Verdict::kError);
    }
    for (const PoolReport& pool : published_.pools) {
      auto it = std::find_if(rechecked_.pools.begin(), rechecked_.pools.end(),
                             [&](const PoolReport& p) { return p.name == pool.name; });
      if (it != rechecked_.pools.end()) ComparePool(pool, *it);
    }
    CompareAddresses(published_.firm_addresses, rechecked_.firm_addresses, {});
    CompareFindings();
    return differences_;
  }

 private:
  void Add(std::string what, std::string subject, std::string detail, bool definite = true) {
    differences_.push_back({std::move(what), std::move(subject), std::move(detail), definite});
  }

  void ComparePool(const PoolReport& published, const PoolReport& rechecked) {
    for (const AssetCoverage& a : published.assets) {
      auto it = std::find_if(rechecked.assets.begin(), rechecked.assets.end(),
                             [&](const AssetCoverage& r) { return r.asset.symbol == a.asset.symbol; });
      if (it == rechecked.assets.end()) continue;
      const std::string subject = "pool " + published.name + " " + a.asset.symbol;
      if (a.reserves && it->reserves && *a.reserves != *it->reserves) {
        Add("reserves", subject,
            "published " + AmountText(a.reserves, a.asset.decimals) + ", re-checked " +
                AmountText(it->reserves, a.asset.decimals));
      }
      if (a.covered && it->covered && *a.covered != *it->covered) {
        auto words = [](bool covered) { return covered ? "covered" : "not covered"; };
        Add("coverage", subject, std::string("published ") + words(*a.covered) + ", re-checked " + words(*it->covered));
      }
    }
    CompareAddresses(published.addresses, rechecked.addresses, published.assets);
  }

  void CompareAddresses(const std::vector<AddressReport>& published, const std::vector<AddressReport>& rechecked,
                        const std::vector<AssetCoverage>& assets) {
    auto find = [](const std::vector<AddressReport>& list, const AddressReport& a) {
      return std::find_if(list.begin(), list.end(),
                          [&](const AddressReport& b) { return b.chain == a.chain && b.address == a.address; });
    };
    for (const AddressReport& a : published) {
      auto it = find(rechecked, a);
      if (it == rechecked.end()) {
        Add("address", a.address, "in the published report, not in the published attestation");
        continue;
      }
      CompareAddress(a, *it, assets);
    }
    for (const AddressReport& r : rechecked) {
      if (find(published, r) == published.end()) {
        Add("address", r.address, "in the published attestation, not in the published report");
      }
    }
  }

  void CompareAddress(const AddressReport& published, const AddressReport& rechecked,
                      const std::vector<AssetCoverage>& assets) {
    for (const report::AddressBalance& b : published.balances) {
      auto it = std::find_if(rechecked.balances.begin(), rechecked.balances.end(),
                             [&](const report::AddressBalance& r) { return r.symbol == b.symbol; });
      if (it == rechecked.balances.end() || !b.amount || !it->amount || *b.amount == *it->amount) continue;
      const int decimals = DecimalsOf(assets, b.symbol);
      Add("balance", published.address,
          b.symbol + " at the pinned block: published " + AmountText(b.amount, decimals) + ", re-checked " +
              AmountText(it->amount, decimals));
    }
    if (published.ownership != rechecked.ownership) {
      Add("ownership", published.address,
          "ownership proof (" + published.proof + "): published " + std::string(report::ToString(published.ownership)) +
              ", re-checked " + std::string(report::ToString(rechecked.ownership)),
          report::IsDetermined(rechecked.ownership));
    }
    if (published.type != rechecked.type && published.type != "unknown" && rechecked.type != "unknown") {
      Add("type", published.address, "published " + published.type + ", re-checked " + rechecked.type);
    }
    if (published.vault && rechecked.vault && *published.vault != *rechecked.vault) {
      Add("vault", published.address,
          "published " + DescribeVault(*published.vault) + ", re-checked " + DescribeVault(*rechecked.vault));
    }
  }

  // Findings are matched by check, subject and severity (details may name sources, which differ).
  // The re-checked subjects are put in public words first, as the published report's were.
  void CompareFindings() {
    using Key = std::tuple<report::Check, std::string, report::Severity>;
    const Report shown = report::PublicReport(rechecked_);
    std::multiset<Key> published, found;
    for (const Finding& f : published_.findings) published.insert({f.check, f.subject, f.severity});
    for (const Finding& f : shown.findings) found.insert({f.check, f.subject, f.severity});
    for (std::size_t i = 0; i < shown.findings.size(); ++i) {
      const Finding& f = shown.findings[i];
      auto it = published.find({f.check, f.subject, f.severity});
      if (it != published.end()) {
        published.erase(it);
        continue;
      }
      const Finding& raw = rechecked_.findings[i];  // with the re-checker's own source names
      Add("finding-missing", f.subject,
          "the re-check finds " + std::string(report::ToString(f.severity)) + " " +
              std::string(report::ToString(f.check)) + ": " + raw.detail + "; the published report does not");
    }
    for (const Finding& f : published_.findings) {
      auto it = found.find({f.check, f.subject, f.severity});
      if (it != found.end()) {
        found.erase(it);
        continue;
      }
      Add("finding-extra", f.subject,
          "the published report has " + std::string(report::ToString(f.severity)) + " " +
              std::string(report::ToString(f.check)) + ": " + f.detail + "; the re-check does not find it",
          complete_);
    }
  }

  const Report& published_;
  const Report& rechecked_;
  const bool complete_;  // the re-check did every check: what it does not find is not there
  std::vector<Difference> differences_;
};

}  // namespace

std::vector<std::string> CrossCheckPublishedFiles(const PublishedAttestation& site) {
  return FileCrossCheck(site).Run();
}

Result<AttestationPlan> MakeRecheckPlan(const PublishedAttestation& site, const std::vector<RecheckSource>& sources) {
  AttestationPlan plan;
  plan.config = site.attestation;
  std::string chain_names;
  for (const ConfigChain& chain : plan.config.chains) chain_names += (chain_names.empty() ? "" : ", ") + chain.name;
  for (const RecheckSource& source : sources) {
    auto chain = std::find_if(plan.config.chains.begin(), plan.config.chains.end(),
                              [&](const ConfigChain& c) { return c.name == source.chain; });
    if (chain == plan.config.chains.end()) {
      return Error{"--source: the attestation pins no chain \"" + source.chain + "\" (its chains: " + chain_names +
                   ")"};
    }
    if (clients::ChainOf(source.config.type) != chain->chain) {
      return Error{"--source: a " + std::string(clients::ToString(source.config.type)) + " source cannot serve chain " +
                   chain->name};
    }
    clients::SourceConfig config = source.config;
    config.label = chain->name + " source " + std::to_string(chain->sources.size() + 1);
    config.reads = chain->reads;  // the published chain's reads: proven ones need one honest source
    chain->sources.push_back(std::move(config));
  }
  for (const ConfigChain& chain : plan.config.chains) {
    if (chain.sources.empty()) {
      return Error{"no --source for chain " + chain.name + " (the attestation pins " + chain.name + " " +
                   (chain.chain == Chain::kBitcoin ? "height " : "block ") + std::to_string(chain.height) + "): give " +
                   chain.name + "=TYPE=URL"};
    }
  }
  for (const ConfigPool& pool : plan.config.pools) {
    PoolLiabilities liabilities;
    liabilities.root = pool.root;
    for (const PoolReport& shown : site.report.pools) {
      if (shown.name == pool.name) liabilities.accounts = shown.accounts;
    }
    if (!pool.root) {
      Problem problem;
      problem.kind = ProblemKind::kInput;
      problem.subject = pool.name;
      problem.detail = "the published attestation has no root (the exchange's run could not build its tree)";
      problem.line =
          "pool " + pool.name + ": " + problem.detail + ", so its reserves cannot be compared with its liabilities";
      plan.problems.push_back(std::move(problem));
    }
    plan.liabilities.push_back(std::move(liabilities));
  }
  for (const report::ChainReport& chain : site.report.chains) {
    if (chain.block_hash) plan.pinned_hashes[chain.chain] = *chain.block_hash;
  }
  return plan;
}

std::vector<Difference> CompareReports(const report::Report& published, const report::Report& rechecked) {
  return ReportComparison(published, rechecked).Run();
}

RecheckOutcome DecideRecheckOutcome(const std::vector<std::string>& file_mismatches,
                                    const std::optional<report::Report>& rechecked,
                                    const std::vector<Difference>& differences) {
  if (!file_mismatches.empty()) return RecheckOutcome::kFilesDisagree;
  if (std::any_of(differences.begin(), differences.end(), [](const Difference& d) { return d.definite; })) {
    return RecheckOutcome::kDiffers;
  }
  if (!rechecked) return RecheckOutcome::kCannotCheck;
  switch (rechecked->verdict) {
    case Verdict::kPass:
      return RecheckOutcome::kHolds;
    case Verdict::kFail:
      return RecheckOutcome::kDoesNotHold;
    case Verdict::kError:
      return RecheckOutcome::kCannotCheck;
  }
  return RecheckOutcome::kCannotCheck;
}

std::optional<Difference> PublishedVerdictUnbacked(const report::Report& published) {
  auto contradiction = report::VerdictContradiction(published);
  if (!contradiction) return std::nullopt;
  return Difference{"verdict", "report.json of attestation " + published.id,
                    "the published report contradicts itself: " + *contradiction, true};
}

Result<RecheckResult> Recheck(const PublishedAttestation& site, const std::vector<RecheckSource>& sources,
                              const CheckEnvironment& environment) {
  RecheckResult result;
  const std::optional<Difference> unbacked = PublishedVerdictUnbacked(site.report);
  if (unbacked) result.differences.push_back(*unbacked);
  result.file_mismatches = CrossCheckPublishedFiles(site);
  if (!result.file_mismatches.empty()) {
    result.outcome = RecheckOutcome::kFilesDisagree;
    return result;
  }
  auto plan = MakeRecheckPlan(site, sources);
  if (!plan) return plan.error();
  result.rechecked = RunAttestationChecks(*plan, environment);
  result.rechecked->config_sha256 = site.attestation.sha256;  // what was re-checked: attestation.json
  auto compared = CompareReports(site.report, *result.rechecked);
  result.differences.insert(result.differences.end(), compared.begin(), compared.end());
  result.outcome = DecideRecheckOutcome(result.file_mismatches, result.rechecked, result.differences);
  return result;
}

}  // namespace segverify::attest
