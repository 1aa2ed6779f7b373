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
    for (const auto& path : f.taproot_paths) insert(path.keys.size() == 1 ? firm.single : firm.multisig, path.keys);
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

// Keys that spend together (a multisig script, a Taproot path): firm keys meeting the threshold
// (firm-control), below it (info), or keys shared with firm scripts (info). `what` names the
// spending condition in the findings ("this 2-of-3 pool spot multisig").
void CheckThreshold(const ResolvedAddress& p, const std::string& what, int threshold, const std::vector<Bytes>& keys,
                    const FirmKeys& firm, std::vector<Finding>& findings) {
  if (keys.empty()) return;
  // A key written twice signs twice: OP_CHECKMULTISIG matches each signature to the next key place
  // and OP_CHECKSIGADD checks each place on its own, so the holder of a repeated key fills every
  // place it has. Firm keys are counted by place; shared keys are named once.
  int firm_held = 0;
  std::map<KeyId, const Bytes*> shared;
  for (const auto& k : keys) {
    auto id = KeyIdOf(k);
    if (!id) continue;
    if (firm.single.count(*id) != 0)
      ++firm_held;
    else if (firm.multisig.count(*id) != 0)
      shared.emplace(*id, &k);
  }
  std::vector<std::string> shared_with_firm_scripts;
  for (const auto& [id, key] : shared) shared_with_firm_scripts.push_back(ToHex(*key));
  if (firm_held >= threshold) {
    findings.push_back({report::Check::kFirmControl, p.display,
                        "firm keys alone meet the threshold of " + what + " (" +
                            Count(static_cast<std::uint64_t>(firm_held), "firm key", "firm keys") + ")",
                        Severity::kError});
  } else if (firm_held > 0) {
    findings.push_back({report::Check::kSharedKey, p.display,
                        std::to_string(firm_held) + " of the keys of " + what +
                            (firm_held == 1 ? " is a firm key" : " are firm keys") + " (below the threshold)",
                        Severity::kInfo});
  }
  for (const auto& key : shared_with_firm_scripts) {
    findings.push_back({report::Check::kSharedKey, p.display,
                        "key " + key + " of " + what + " is also in a firm multisig script", Severity::kInfo});
  }
}

void CheckMultisigAddress(const ResolvedAddress& p, const FirmKeys& firm, std::vector<Finding>& findings) {
  const std::string policy = std::to_string(p.threshold) + "-of-" + std::to_string(p.multisig_keys.size());
  CheckThreshold(p, "this " + policy + " " + PoolLabel(p) + " multisig", p.threshold, p.multisig_keys, firm, findings);
}

// Each disclosed spend path of a pool Taproot address (BIP-341): its internal key, its leaves.
void CheckTaprootPaths(const ResolvedAddress& p, const FirmKeys& firm, std::vector<Finding>& findings) {
  for (const TaprootSpendPath& path : p.taproot_paths) {
    const std::string policy = std::to_string(path.threshold) + "-of-" + std::to_string(path.keys.size());
    CheckThreshold(p, "the " + path.name + " (" + policy + ") of this " + PoolLabel(p) + " Taproot address",
                   path.threshold, path.keys, firm, findings);
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
    CheckTaprootPaths(p, firm, findings);
  }
  return findings;
}

}  // namespace segverify::attest
