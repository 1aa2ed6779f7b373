// Segregation checks over resolved addresses (docs/DESIGN.md §Segregation):
// overlap between pool and firm addresses, double counting, shared keys and firm control.
//
// Pure: takes what earlier steps established (canonical identities, keys proven by ownership
// signatures, multisig policies read from scripts) and returns findings; no I/O.
//
// Keys are compared by their x-coordinate: the same private key (or its negation, which is as
// easy to use) stands behind a compressed, an uncompressed and an x-only (P2TR) key with that x,
// so a P2PKH and a P2WPKH address of one key are one owner.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "common/hex.h"
#include "verifier/report/finding.h"

namespace segverify::attest {

using KeyId = std::array<std::uint8_t, 32>;

// x-coordinate of a 33/65-byte SEC key or a 32-byte x-only key; nullopt for anything else.
std::optional<KeyId> KeyIdOf(const Bytes& key);

// One way to spend a Taproot address whose owner disclosed its internal key and script tree
// (docs/FORMAT.md §7): the key path by the internal key, or one tapscript leaf whose signers are
// known from its shape. Keys are 32-byte x-only.
struct TaprootSpendPath {
  std::string name;  // "internal key", "leaf 2"
  int threshold = 1;
  std::vector<Bytes> keys;
};

struct ResolvedAddress {
  std::string display;   // canonical form (EIP-55, lower-case bech32, base58)
  std::string identity;  // what the address pays to: "bitcoin:<scriptPubKey hex>" or "ethereum:<lower hex>"
  std::string owner;     // pool name, or empty for the firm
  std::string json_path;
  // Keys that control the address alone (single-key addresses, from the ownership proof).
  std::vector<Bytes> single_keys;
  // Multisig: threshold and keys read from the configured script.
  int threshold = 0;
  std::vector<Bytes> multisig_keys;
  // P2TR with a disclosure: every spend path besides the output key's (which is in single_keys).
  // A pool address's path that firm keys alone can take is firm-control; a firm address's
  // single-key paths add firm keys, its k-of-n paths keys the firm shares.
  std::vector<TaprootSpendPath> taproot_paths;
};

std::vector<report::Finding> CheckSegregation(const std::vector<ResolvedAddress>& pool_addresses,
                                              const std::vector<ResolvedAddress>& firm_addresses,
                                              const std::vector<Bytes>& firm_keys);

}  // namespace segverify::attest
