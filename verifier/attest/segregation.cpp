#include "verifier/attest/segregation.h"

#include <algorithm>
#include <map>
#include <set>

#include "common/plural.h"

namespace segverify::attest {
namespace {

using report::Finding;
using report::Severity;

std::string PoolLabel(const ResolvedAddress& a) { return "pool " + a.owner; }

}  // namespace

std::optional<KeyId> KeyIdOf(const Bytes& key) {
  KeyId id;
  if (key.size() == 32) {
    std::copy(key.begin(), key.end(), id.begin());
  } else if ((key.size() == 33 && (key[0] == 2 || key[0] == 3)) || (key.size() == 65 && key[0] == 4)) {
    std::copy(key.begin() + 1, key.begin() + 33, id.begin());
  } else {
    return std::nullopt;
  }
  return id;
}

namespace {

// Overlap: a pool address that pays to the same script/account as a firm address.
void CheckOverlap(const std::vector<ResolvedAddress>& pool_addresses,
                  const std::vector<ResolvedAddress>& firm_addresses, std::vector<Finding>& findings) {
  std::map<std::string, const ResolvedAddress*> firm_by_identity;
  for (const auto& f : firm_addresses) firm_by_identity.emplace(f.identity, &f);
  for (const auto& p : pool_addresses) {
    auto it = firm_by_identity.find(p.identity);
    if (it == firm_by_identity.end()) continue;
    std::string detail = "address is in " + PoolLabel(p) + " and in firm";
    if (it->second->display != p.display) detail += " (written there as " + it->second->display + ")";
    findings.push_back({report::Check::kOverlap, p.display, detail, Severity::kError});
  }
}

// Double counting: the same identity twice, in one pool or in two.
void CheckDoubleCounting(const std::vector<ResolvedAddress>& pool_addresses, std::vector<Finding>& findings) {
  std::map<std::string, const ResolvedAddress*> first_seen;
  for (const auto& p : pool_addresses) {
    auto [it, inserted] = first_seen.emplace(p.identity, &p);
    if (inserted) continue;
    const ResolvedAddress& first = *it->second;
    const std::string detail =
        first.owner == p.owner
            ? "address is listed twice in " + PoolLabel(p) + " (" + first.json_path + " and " + p.json_path + ")"
            : "address is in " + PoolLabel(first) + " and in " + PoolLabel(p) + " (counted twice)";
    findings.push_back({report::Check::kDoubleCount, p.display, detail, Severity::kError});
  }
}

// What the firm controls: F (keys it holds alone: listed, or proven by its single-key addresses'
// signatures) and the keys in its multisig scripts (shared control, not sole control).
struct FirmKeys {
  std::set<KeyId> single;
  std::set<KeyId> multisig;
};

FirmKeys CollectFirmKeys(const std::vector<ResolvedAddress>& firm_addresses, const std::vector<Bytes>& firm_keys) {
  FirmKeys firm;
  auto insert = [](std::set<KeyId>& into, const std::vector<Bytes>& keys) {
    for (const auto& k : keys) {
      if (auto id = KeyIdOf(k)) into.insert(*id);
    }
  };
  insert(firm.single, firm_keys);
  for (const auto& f : firm_addresses) {
    insert(firm.single, f.single_keys);
    insert(firm.multisig, f.multisig_keys);
  }
  return firm;
}

// A single-key pool address whose key the firm holds (error), or shares in a firm script (info).
void CheckSingleKeyAddress(const ResolvedAddress& p, const FirmKeys& firm, std::vector<Finding>& findings) {
  for (const auto& k : p.single_keys) {
    auto id = KeyIdOf(k);
    if (!id) continue;
    if (firm.single.count(*id) != 0) {
      findings.push_back({report::Check::kSharedKey, p.display,
                          "the key " + ToHex(k) + " that controls this " + PoolLabel(p) + " address is a firm key",
                          Severity::kError});
    } else if (firm.multisig.count(*id) != 0) {
      findings.push_back(
          {report::Check::kSharedKey, p.display,
           "the key " + ToHex(k) + " of this " + PoolLabel(p) + " address is also in a firm multisig script",
           Severity::kInfo});
    }
  }
}

// A multisig pool address: firm keys meeting the threshold (firm-control), below it (info), or
// keys shared with firm scripts (info).
void CheckMultisigAddress(const ResolvedAddress& p, const FirmKeys& firm, std::vector<Finding>& findings) {
  if (p.multisig_keys.empty()) return;
  std::map<KeyId, const Bytes*> distinct;  // a key repeated in the script counts once
  for (const auto& k : p.multisig_keys) {
    if (auto id = KeyIdOf(k)) distinct.emplace(*id, &k);
  }
  int firm_held = 0;
  std::vector<std::string> shared_with_firm_scripts;
  for (const auto& [id, key] : distinct) {
    if (firm.single.count(id) != 0)
      ++firm_held;
    else if (firm.multisig.count(id) != 0)
      shared_with_firm_scripts.push_back(ToHex(*key));
  }
  const std::string policy = std::to_string(p.threshold) + "-of-" + std::to_string(p.multisig_keys.size());
  if (firm_held >= p.threshold) {
    findings.push_back({report::Check::kFirmControl, p.display,
                        "firm keys alone meet the threshold of this " + policy + " " + PoolLabel(p) + " multisig (" +
                            Count(static_cast<std::uint64_t>(firm_held), "firm key", "firm keys") + ")",
                        Severity::kError});
  } else if (firm_held > 0) {
    findings.push_back({report::Check::kSharedKey, p.display,
                        std::to_string(firm_held) + " of the keys of this " + policy + " " + PoolLabel(p) +
                            (firm_held == 1 ? " multisig is a firm key" : " multisig are firm keys") +
                            " (below the threshold)",
                        Severity::kInfo});
  }
  for (const auto& key : shared_with_firm_scripts) {
    findings.push_back({report::Check::kSharedKey, p.display,
                        "key " + key + " of this " + PoolLabel(p) + " multisig is also in a firm multisig script",
                        Severity::kInfo});
  }
}

}  // namespace

std::vector<report::Finding> CheckSegregation(const std::vector<ResolvedAddress>& pool_addresses,
                                              const std::vector<ResolvedAddress>& firm_addresses,
                                              const std::vector<Bytes>& firm_keys) {
  std::vector<Finding> findings;
  CheckOverlap(pool_addresses, firm_addresses, findings);
  CheckDoubleCounting(pool_addresses, findings);
  const FirmKeys firm = CollectFirmKeys(firm_addresses, firm_keys);
  for (const auto& p : pool_addresses) {
    CheckSingleKeyAddress(p, firm, findings);
    CheckMultisigAddress(p, firm, findings);
  }
  return findings;
}

}  // namespace segverify::attest
