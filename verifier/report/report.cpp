#include "verifier/report/report.h"

#include <array>
#include <string>
#include <utility>

#include "common/enum_names.h"

namespace segverify::report {

namespace {

// The verdict words of every published file (report.json, status.json, roots.json) and page.
constexpr std::array<std::pair<Verdict, std::string_view>, 3> kVerdictNames = {{
    {Verdict::kPass, "PASS"},
    {Verdict::kFail, "FAIL"},
    {Verdict::kError, "ERROR"},
}};

constexpr std::array<std::pair<Ownership, std::string_view>, 7> kOwnershipNames = {{
    {Ownership::kValid, "valid"},
    {Ownership::kInvalid, "invalid"},
    {Ownership::kMissing, "missing"},
    {Ownership::kUnsupported, "unsupported"},
    {Ownership::kMalformed, "malformed"},
    {Ownership::kCannotCheck, "cannot-check"},
    {Ownership::kInternalError, "internal-error"},
}};

}  // namespace

std::string_view ToString(Verdict verdict) { return NameIn(kVerdictNames, verdict, "ERROR"); }

Result<Verdict> ParseVerdict(std::string_view text) {
  if (auto verdict = ValueNamed<Verdict>(kVerdictNames, text)) return *verdict;
  return Error{"expected PASS, FAIL or ERROR, found \"" + std::string(text) + "\""};
}

std::string_view ToString(Ownership ownership) { return NameIn(kOwnershipNames, ownership, "cannot-check"); }

std::optional<Ownership> ParseOwnership(std::string_view text) { return ValueNamed<Ownership>(kOwnershipNames, text); }

bool IsDetermined(Ownership ownership) {
  return ownership == Ownership::kValid || ownership == Ownership::kInvalid || ownership == Ownership::kMalformed ||
         ownership == Ownership::kMissing;
}

std::string_view HeightKey(Chain family) { return family == Chain::kBitcoin ? "height" : "block"; }

const ChainReport* FindChain(const Report& report, std::string_view name) {
  for (const ChainReport& c : report.chains) {
    if (c.chain == name) return &c;
  }
  return nullptr;
}

Chain FamilyOf(const Report& report, const AddressReport& address) {
  if (const ChainReport* chain = FindChain(report, address.chain)) return chain->family;
  const std::string_view text = address.address;
  return text.starts_with("0x") || text.starts_with("0X") ? Chain::kEthereum : Chain::kBitcoin;
}

Verdict DecideVerdict(const Report& report) {
  if (!report.problems.empty()) return Verdict::kError;
  for (const Finding& f : report.findings) {
    if (f.severity == Severity::kError) return Verdict::kFail;
  }
  for (const PoolReport& p : report.pools) {
    if (!p.holds) return Verdict::kFail;
  }
  return Verdict::kPass;
}

namespace {

// Why a PASS cannot stand beside this pool address (docs/DESIGN.md §Contract vaults): a
// contract that is not a recognized Safe, or one the firm (with contract owners) or a module controls.
std::optional<std::string> PassContradiction(const Report& report, const PoolReport& pool, const AddressReport& a) {
  const std::string what = "PASS with pool " + pool.name + " address " + a.address;
  // Every EVM chain, whatever its name: an address whose code was not read could be a contract
  // nobody has looked at.
  if (FamilyOf(report, a) == Chain::kEthereum && a.type != "contract" && a.type != "eoa") {
    return what + " not known to be a contract or an EOA";
  }
  if (a.type != "contract") return std::nullopt;
  if (!a.vault || a.vault->kind != "safe") return what + ", a contract that is not a recognized vault";
  const VaultReport& v = *a.vault;
  if (!v.modules.empty()) return what + ", a vault with a module enabled";
  if (v.threshold == 0 || v.firm_owners.size() + v.contract_owners.size() >= v.threshold) {
    return what + ", a vault whose firm and contract owners meet its threshold";
  }
  if (v.fallback_handler_check == "unofficial") return what + ", a vault whose fallback handler is not official";
  if (v.setup && v.setup->check != "no-initializer" && v.setup->check != "official-helper") {
    return what + ", a vault whose setup cannot be vouched for";
  }
  return std::nullopt;
}

}  // namespace

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
      if (chain.reads == "agreed" && chain.sources.size() < 2) {
        return "PASS with reads of " + chain.chain + " only agreed, by fewer than two sources";
      }
    }
    for (const PoolReport& pool : report.pools) {
      for (const AddressReport& address : pool.addresses) {
        if (auto why = PassContradiction(report, pool, address)) return why;
      }
    }
  }
  return std::nullopt;
}

}  // namespace segverify::report
