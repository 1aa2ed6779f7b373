// Fuzz entry for witness/redeem scripts from the attestation config.
#include "fuzz/entries/fuzz_entries.h"
#include "fuzz/entries/fuzz_support.h"
#include "verifier/chain/multisig_script.h"

namespace segverify::fuzz {

void FuzzScript(FuzzInput data) {
  auto multisig = chain::ParseMultisigScript(data);
  if (multisig) {
    const auto n = multisig->keys.size();
    FuzzRequire(multisig->threshold >= 1 && static_cast<std::size_t>(multisig->threshold) <= n && n <= 16,
                "multisig policy out of range");
    for (const auto& key : multisig->keys) FuzzRequire(key.size() == 33 || key.size() == 65, "key size");
  }
  auto keys = chain::KeysInScript(data);
  if (multisig) FuzzRequire(keys.ok() && *keys == *multisig, "KeysInScript disagrees with ParseMultisigScript");
  if (keys) FuzzRequire(keys->threshold >= 1 && !keys->keys.empty(), "empty key policy");
}

}  // namespace segverify::fuzz
