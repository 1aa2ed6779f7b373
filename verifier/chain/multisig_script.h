// Witness/redeem scripts given in the attestation config (`script` field): the standard bare
// multisig form, single-key forms, and the check that a script hashes to its P2WSH/P2SH address.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/hex.h"
#include "common/result.h"
#include "verifier/chain/bitcoin_address.h"

namespace segverify::chain {

// m-of-n policy. Invariants (kept by ParseMultisigScript): 1 <= threshold <= keys.size() <= 16;
// every key is a valid secp256k1 point in SEC encoding (33 bytes compressed or 65 uncompressed),
// in script order. Duplicate keys are kept as written (a script may legally repeat a key; callers
// that count distinct signers must de-duplicate).
struct MultisigPolicy {
  int threshold = 0;
  std::vector<Bytes> keys;

  bool operator==(const MultisigPolicy&) const = default;
};

// Parses exactly `OP_m <push key>... OP_n OP_CHECKMULTISIG` (OP_1..OP_16 for m and n,
// 1 <= m <= n <= 16, n equal to the number of keys, each key pushed with a direct 33- or 65-byte
// push, keys valid secp256k1 points per secp256k1_ec_pubkey_parse). Anything else (trailing
// bytes, OP_CHECKMULTISIGVERIFY, non-minimal pushes, invalid points) → Error with the reason.
[[nodiscard]] Result<MultisigPolicy> ParseMultisigScript(std::span<const std::uint8_t> script);

enum class ScriptMatch { kMatches, kMismatch };

// P2WSH: matches iff program == SHA256(script). P2SH: matches iff program == Hash160(script)
// (plain P2SH) or program == Hash160(0x00 0x20 || SHA256(script)) (P2SH-P2WSH). Any other address
// type → Error (a script cannot be checked against it).
[[nodiscard]] Result<ScriptMatch> CheckScriptMatchesAddress(const chain::BitcoinAddress& address,
                                                            std::span<const std::uint8_t> script);

// The public keys that can sign for `script`, and how many are needed:
//  - `<33|65-byte key> OP_CHECKSIG` → threshold 1, that key;
//  - a standard multisig script → its policy (as ParseMultisigScript).
// Any other script → Error ("unsupported script form"): callers must not guess who controls it.
[[nodiscard]] Result<MultisigPolicy> KeysInScript(std::span<const std::uint8_t> script);

}  // namespace segverify::chain
