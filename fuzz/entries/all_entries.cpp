#include "fuzz/entries/fuzz_entries.h"

namespace segverify::fuzz {

const std::vector<FuzzEntry>& AllFuzzEntries() {
  static const std::vector<FuzzEntry> entries = {
      {"proof_json", FuzzProofJson},
      {"root_json", FuzzRootJson},
      {"liabilities_csv", FuzzLiabilitiesCsv},
      {"attest_config", FuzzAttestConfig},
      {"address", FuzzAddress},
      {"ownership", FuzzOwnership},
      {"script", FuzzScript},
      {"node_responses", FuzzNodeResponses},
  };
  return entries;
}

}  // namespace segverify::fuzz
