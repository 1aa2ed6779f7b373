#include "verifier/report/vault_words.h"

namespace segverify::report {
namespace {

// "no modules", "1 module", "2 modules".
std::string Count(std::size_t n, const std::string& one, const std::string& many) {
  if (n == 0) return "no " + many;
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

std::string VaultPolicyInWords(const VaultReport& vault) {
  if (vault.kind != "safe") return "not a recognized Safe: who controls it cannot be read";
  std::string words = "Safe " + vault.version + ", " + std::to_string(vault.threshold) + " of " +
                      std::to_string(vault.owners.size()) + (vault.owners.size() == 1 ? " owner, " : " owners, ") +
                      Count(vault.firm_owners.size(), "firm owner", "firm owners");
  if (!vault.contract_owners.empty())
    words += ", " + Count(vault.contract_owners.size(), "contract owner", "contract owners");
  words += ", " + Count(vault.modules.size(), "module", "modules");
  if (vault.guard) words += ", a guard";
  return words;
}

}  // namespace segverify::report
