#include "verifier/chain/signature_checks.h"

#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_recovery.h>
#include <secp256k1_schnorrsig.h>

namespace segverify::chain {
namespace {

// Since libsecp256k1 0.2.0 the static context carries the verification tables: verification and
// recovery need no per-call context and it is safe to share across threads.
const secp256k1_context* Context() { return secp256k1_context_static; }

}  // namespace

bool IsStrictDer(std::span<const std::uint8_t> sig) {
  // Layout: 0x30 [total-len] 0x02 [R-len] [R] 0x02 [S-len] [S] (BIP-66, without the sighash byte).
  const std::size_t size = sig.size();
  if (size < 8 || size > 72) return false;
  if (sig[0] != 0x30 || sig[1] != size - 2) return false;
  const std::size_t len_r = sig[3];
  if (5 + len_r >= size) return false;
  const std::size_t len_s = sig[5 + len_r];
  if (len_r + len_s + 6 != size) return false;
  if (sig[2] != 0x02 || len_r == 0 || (sig[4] & 0x80) != 0) return false;  // R: integer, non-empty, positive
  if (len_r > 1 && sig[4] == 0 && (sig[5] & 0x80) == 0) return false;      // R: no needless leading zero
  if (sig[len_r + 4] != 0x02 || len_s == 0 || (sig[len_r + 6] & 0x80) != 0) return false;
  if (len_s > 1 && sig[len_r + 6] == 0 && (sig[len_r + 7] & 0x80) == 0) return false;
  return true;
}

bool VerifyEcdsaStrict(const Hash256& digest, std::span<const std::uint8_t> der,
                       std::span<const std::uint8_t> public_key) {
  if (!IsStrictDer(der)) return false;
  secp256k1_ecdsa_signature sig;
  if (!secp256k1_ecdsa_signature_parse_der(Context(), &sig, der.data(), der.size())) return false;
  secp256k1_pubkey key;
  if (!secp256k1_ec_pubkey_parse(Context(), &key, public_key.data(), public_key.size())) return false;
  // secp256k1_ecdsa_verify accepts only lower-S signatures: the LOW_S rule is enforced here.
  return secp256k1_ecdsa_verify(Context(), &sig, digest.data(), &key) == 1;
}

bool IsHighS(std::span<const std::uint8_t, 64> compact) {
  secp256k1_ecdsa_signature sig;
  if (!secp256k1_ecdsa_signature_parse_compact(Context(), &sig, compact.data())) return false;
  secp256k1_ecdsa_signature normalized;
  return secp256k1_ecdsa_signature_normalize(Context(), &normalized, &sig) == 1;
}

std::optional<RecoveredKey> RecoverPublicKey(const Hash256& digest, std::span<const std::uint8_t, 64> compact,
                                             int recovery_id) {
  if (recovery_id < 0 || recovery_id > 3) return std::nullopt;
  secp256k1_ecdsa_recoverable_signature sig;
  if (!secp256k1_ecdsa_recoverable_signature_parse_compact(Context(), &sig, compact.data(), recovery_id)) {
    return std::nullopt;
  }
  secp256k1_pubkey key;
  if (!secp256k1_ecdsa_recover(Context(), &key, &sig, digest.data())) return std::nullopt;
  RecoveredKey out{Bytes(33), Bytes(65)};
  std::size_t len = out.compressed.size();
  secp256k1_ec_pubkey_serialize(Context(), out.compressed.data(), &len, &key, SECP256K1_EC_COMPRESSED);
  len = out.uncompressed.size();
  secp256k1_ec_pubkey_serialize(Context(), out.uncompressed.data(), &len, &key, SECP256K1_EC_UNCOMPRESSED);
  return out;
}

bool IsValidPublicKey(std::span<const std::uint8_t> public_key) {
  secp256k1_pubkey key;
  return secp256k1_ec_pubkey_parse(Context(), &key, public_key.data(), public_key.size()) == 1;
}

namespace {

std::optional<Bytes> ReencodePublicKey(std::span<const std::uint8_t> public_key, std::size_t size, unsigned flags) {
  secp256k1_pubkey key;
  if (!secp256k1_ec_pubkey_parse(Context(), &key, public_key.data(), public_key.size())) return std::nullopt;
  Bytes out(size);
  std::size_t out_len = out.size();
  secp256k1_ec_pubkey_serialize(Context(), out.data(), &out_len, &key, flags);
  return out;
}

}  // namespace

std::optional<Bytes> CompressPublicKey(std::span<const std::uint8_t> public_key) {
  return ReencodePublicKey(public_key, 33, SECP256K1_EC_COMPRESSED);
}

std::optional<Bytes> UncompressPublicKey(std::span<const std::uint8_t> public_key) {
  return ReencodePublicKey(public_key, 65, SECP256K1_EC_UNCOMPRESSED);
}

bool VerifySchnorr(const Hash256& message, std::span<const std::uint8_t, 64> signature,
                   std::span<const std::uint8_t> xonly_key) {
  if (xonly_key.size() != 32) return false;
  secp256k1_xonly_pubkey key;
  if (!secp256k1_xonly_pubkey_parse(Context(), &key, xonly_key.data())) return false;
  return secp256k1_schnorrsig_verify(Context(), signature.data(), message.data(), message.size(), &key) == 1;
}

bool IsTaprootTweakOf(std::span<const std::uint8_t> output_key, int output_parity,
                      std::span<const std::uint8_t> internal_key, const Hash256& tweak) {
  if (output_key.size() != 32 || internal_key.size() != 32 || (output_parity != 0 && output_parity != 1)) return false;
  secp256k1_xonly_pubkey internal;
  if (!secp256k1_xonly_pubkey_parse(Context(), &internal, internal_key.data())) return false;
  return secp256k1_xonly_pubkey_tweak_add_check(Context(), output_key.data(), output_parity, &internal, tweak.data()) ==
         1;
}

std::optional<std::array<std::uint8_t, 32>> TweakXOnlyKey(std::span<const std::uint8_t, 32> internal_key,
                                                          const Hash256& tweak) {
  secp256k1_xonly_pubkey internal;
  if (!secp256k1_xonly_pubkey_parse(Context(), &internal, internal_key.data())) return std::nullopt;
  secp256k1_pubkey tweaked;
  if (!secp256k1_xonly_pubkey_tweak_add(Context(), &tweaked, &internal, tweak.data())) return std::nullopt;
  secp256k1_xonly_pubkey output;
  if (!secp256k1_xonly_pubkey_from_pubkey(Context(), &output, nullptr, &tweaked)) return std::nullopt;
  std::array<std::uint8_t, 32> x{};
  if (!secp256k1_xonly_pubkey_serialize(Context(), x.data(), &output)) return std::nullopt;
  return x;
}

bool IsValidXOnlyKey(std::span<const std::uint8_t> key) {
  secp256k1_xonly_pubkey parsed;
  return key.size() == 32 && secp256k1_xonly_pubkey_parse(Context(), &parsed, key.data()) == 1;
}

}  // namespace segverify::chain
