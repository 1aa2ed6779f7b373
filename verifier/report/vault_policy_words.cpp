#include "verifier/report/vault_policy_words.h"

namespace segverify::report {
namespace {

std::string Counted(std::size_t count, const std::string& one, const std::string& many) {
  return std::to_string(count) + " " + (count == 1 ? one : many);
}

}  // namespace

std::string VaultPolicyInWords(const VaultReport& vault) {
  if (vault.kind != "safe") return "unrecognized contract: who controls it cannot be read";
  std::string words = "Safe" + (vault.version.empty() ? std::string() : " " + vault.version);
  words += ", " + std::to_string(vault.threshold) + " of " + Counted(vault.owners.size(), "owner", "owners");
  words += ", " + (vault.firm_owners.empty() ? std::string("no firm owner")
                                             : Counted(vault.firm_owners.size(), "firm owner", "firm owners"));
  words +=
      ", " + (vault.modules.empty() ? std::string("no modules") : Counted(vault.modules.size(), "module", "modules"));
  if (vault.guard) words += ", a guard";
  return words;
}

}  // namespace segverify::report
