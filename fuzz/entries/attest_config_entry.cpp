// Fuzz entry for the attestation config, read from a file the way `segverify attest` reads it.
#include "fuzz/entries/fuzz_entries.h"
#include "fuzz/entries/fuzz_support.h"
#include "verifier/attest/attestation_config.h"

namespace segverify::fuzz {

void FuzzAttestConfig(FuzzInput data) {
  const std::string path = WriteScratchFile("config.json", data);
  auto config = attest::LoadAttestationConfig(path);
  if (!config) {
    FuzzRequire(!config.error().message.empty(), "config error without a message");
    return;
  }
  // What the rest of the attestation relies on.
  for (const auto& pool : config->pools)
    FuzzRequire(attest::IsValidPoolName(pool.name), "accepted an unsafe pool name");
  for (const auto& asset : config->assets) {
    FuzzRequire(config->FindChain(asset.chain_name) != nullptr, "asset on a chain the config has no sources for");
  }
}

}  // namespace segverify::fuzz
