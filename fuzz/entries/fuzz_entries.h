// Fuzz entry points: one function per hostile-input surface of segverify.
//
// Each entry takes arbitrary bytes, feeds them through the same library entry point the CLI or
// the attestation uses, and checks invariants the library promises (a parsed value re-serializes
// and re-parses to itself, a decoded address re-decodes from its canonical form, nothing but a
// valid verdict carries signer keys, ...). A broken invariant aborts (FuzzRequire), so libFuzzer
// reports it and the gtest replay in tests/hostile/ crashes on it too. The entries are built
// twice: into the libFuzzer binaries (fuzz/CMakeLists.txt, clang) and into the hostile test
// (tests/hostile/tests.cmake, any compiler), so a saved crash input replays in the normal suite.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace segverify::fuzz {

using FuzzInput = std::span<const std::uint8_t>;

void FuzzProofJson(FuzzInput data);       // merkle::ParseInclusionProof + VerifyInclusionProof
void FuzzRootJson(FuzzInput data);        // merkle::ParsePublishedRoot
void FuzzLiabilitiesCsv(FuzzInput data);  // merkle::LiabilitiesReader over a temp file
void FuzzAttestConfig(FuzzInput data);    // attest::LoadAttestationConfig over a temp file
void FuzzAddress(FuzzInput data);         // DecodeBitcoinAddress, DecodeEthereumAddress
void FuzzOwnership(FuzzInput data);       // chain::VerifyOwnership (see ownership_entry.cpp for the layout)
void FuzzScript(FuzzInput data);          // chain::ParseMultisigScript, KeysInScript
void FuzzNodeResponses(FuzzInput data);   // Ethereum / Esplora / Bitcoin Core clients over scripted HTTP bodies

struct FuzzEntry {
  std::string_view name;  // also the corpus folder name: fuzz/..., tests/hostile/corpus/<name>/
  void (*run)(FuzzInput data);
};

// Every entry, in a fixed order.
const std::vector<FuzzEntry>& AllFuzzEntries();

}  // namespace segverify::fuzz
