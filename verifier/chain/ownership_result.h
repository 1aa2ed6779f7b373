// The outcome of checking one ownership proof (a signature showing that someone controls an address).
//
// Verdicts are values, never exceptions: every verification function in this folder returns an
// OwnershipResult and catches nothing because it throws nothing. The CLI maps verdicts to exit codes
// (kValid → 0, kInvalid → 1, everything else → 2); nothing except kValid may ever count as proven.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/hex.h"

namespace segverify::chain {

enum class OwnershipVerdict {
  kValid,          // checked: the signature proves control of the address for this message
  kInvalid,        // checked: it does not (wrong key, wrong message, tampered bytes, bad sighash type)
  kUnsupported,    // well-formed, but a kind this verifier cannot check (P2SH scripts, proof-of-funds)
  kMalformed,      // not decodable as the claimed proof (bad base64/hex, truncated transaction, bad lengths)
  kCannotCheck,    // the check needs an outside source that failed (ERC-1271: node unreachable)
  kInternalError,  // a bug in this verifier stopped the check (never the claim's fault)
};

// "valid", "invalid", "unsupported", "malformed", "cannot-check", "internal-error".
std::string_view ToString(OwnershipVerdict verdict);

struct OwnershipResult {
  OwnershipVerdict verdict = OwnershipVerdict::kInvalid;  // never valid by default
  std::string reason;  // for people: why (for kValid: what was verified, e.g. "BIP-322 simple P2WPKH")
  // The public keys that produced valid signatures, for the segregation check: a 33-byte compressed
  // or 65-byte uncompressed SEC key for ECDSA proofs (BIP-137, BIP-322 P2WPKH/P2WSH, EIP-191), the
  // 32-byte x-only output key for P2TR. Empty unless verdict == kValid; empty for ERC-1271 (a
  // contract has no key).
  std::vector<Bytes> signer_keys;

  bool ok() const { return verdict == OwnershipVerdict::kValid; }
};

inline OwnershipResult Valid(std::string reason, std::vector<Bytes> signer_keys) {
  return {OwnershipVerdict::kValid, std::move(reason), std::move(signer_keys)};
}
inline OwnershipResult Invalid(std::string reason) { return {OwnershipVerdict::kInvalid, std::move(reason), {}}; }
inline OwnershipResult Unsupported(std::string reason) {
  return {OwnershipVerdict::kUnsupported, std::move(reason), {}};
}
inline OwnershipResult Malformed(std::string reason) { return {OwnershipVerdict::kMalformed, std::move(reason), {}}; }
inline OwnershipResult CannotCheck(std::string reason) {
  return {OwnershipVerdict::kCannotCheck, std::move(reason), {}};
}
inline OwnershipResult InternalError(std::string reason) {
  return {OwnershipVerdict::kInternalError, std::move(reason), {}};
}

}  // namespace segverify::chain
