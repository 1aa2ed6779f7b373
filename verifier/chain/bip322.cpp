#include "verifier/chain/bip322.h"

#include <algorithm>
#include <array>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/hashes.h"
#include "verifier/chain/bip137.h"
#include "verifier/chain/bip322_encoding.h"
#include "verifier/chain/bitcoin_tx.h"
#include "verifier/chain/multisig_script.h"
#include "verifier/chain/sighash.h"
#include "verifier/chain/signature_checks.h"
#include "verifier/chain/taproot.h"

namespace segverify::chain {
namespace {

using chain::BitcoinAddressType;

// The witness program the signature must satisfy, and the output the to_sign input spends.
struct SpendContext {
  int witness_version = 0;
  Bytes program;
  const Transaction* to_sign = nullptr;
  TxOut spent_output;  // to_spend's output 0
};

bool SameBytes(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

// The helpers named Check*/Nested* return the failure, or nullopt when the check passes.
using Failure = std::optional<OwnershipResult>;

// An ECDSA signature in a witness: DER || sighash byte, which must be SIGHASH_ALL.
Failure CheckEcdsaHashType(const Bytes& sig_with_type, std::string_view what) {
  if (sig_with_type.empty()) return Invalid(std::string(what) + " is empty");
  if (sig_with_type.back() != kSighashAll) {
    return Invalid(std::string(what) + " uses sighash type " + std::to_string(sig_with_type.back()) +
                   "; BIP-322 requires SIGHASH_ALL");
  }
  return std::nullopt;
}

OwnershipResult VerifyP2wpkh(const SpendContext& ctx) {
  const std::vector<Bytes>& witness = ctx.to_sign->inputs[0].witness;
  if (witness.size() != 2) return Invalid("P2WPKH witness must hold 2 items, has " + std::to_string(witness.size()));
  const Bytes& sig = witness[0];
  const Bytes& key = witness[1];
  if (key.size() != 33) return Invalid("P2WPKH witness key must be a 33-byte compressed key (BIP-143 policy)");
  const Hash160Bytes key_hash = Hash160(key);
  if (!SameBytes(key_hash, ctx.program)) return Invalid("P2WPKH witness key does not hash to the address");
  if (auto failure = CheckEcdsaHashType(sig, "P2WPKH signature")) return *failure;
  const Hash256 digest = SegwitV0SighashAll(*ctx.to_sign, 0, chain::P2pkhScript(key_hash), ctx.spent_output.value);
  if (!VerifyEcdsaStrict(digest, std::span(sig).first(sig.size() - 1), key)) {
    return Invalid("P2WPKH signature does not verify (wrong key or message, not strict DER, or high S)");
  }
  return Valid("P2WPKH", {key});  // already compressed (checked above) and a valid point (it verified)
}

OwnershipResult VerifyP2wshMultisig(const SpendContext& ctx, const std::optional<Bytes>& configured_script) {
  const std::vector<Bytes>& witness = ctx.to_sign->inputs[0].witness;
  if (witness.size() < 2) return Invalid("P2WSH witness must end with the witness script");
  const Bytes& script = witness.back();
  const Hash256 script_hash = Sha256(script);
  if (!SameBytes(script_hash, ctx.program)) return Invalid("P2WSH witness script does not hash to the address");
  if (configured_script && *configured_script != script) {
    return Invalid("P2WSH witness script differs from the configured script");
  }
  auto policy = chain::ParseMultisigScript(script);
  if (!policy) return Unsupported("P2WSH witness script is not a standard multisig: " + policy.error().message);
  const std::size_t threshold = static_cast<std::size_t>(policy->threshold);
  if (witness.size() != threshold + 2) {
    return Invalid("P2WSH " + std::to_string(threshold) + "-of-" + std::to_string(policy->keys.size()) +
                   " witness must hold the dummy, " + std::to_string(threshold) +
                   " signatures and the script; it has " + std::to_string(witness.size()) + " items");
  }
  if (!witness[0].empty()) return Invalid("P2WSH multisig dummy element must be empty (NULLDUMMY)");
  const Hash256 digest = SegwitV0SighashAll(*ctx.to_sign, 0, script, ctx.spent_output.value);
  // OP_CHECKMULTISIG: signatures in key order; each one consumes keys until one verifies.
  std::vector<Bytes> signers;
  std::size_t key_index = 0;
  for (std::size_t s = 1; s <= threshold; ++s) {
    const Bytes& sig = witness[s];
    const std::string what = "P2WSH signature " + std::to_string(s);
    if (auto failure = CheckEcdsaHashType(sig, what)) return *failure;
    const auto der = std::span(sig).first(sig.size() - 1);
    while (key_index < policy->keys.size() && !VerifyEcdsaStrict(digest, der, policy->keys[key_index])) ++key_index;
    if (key_index == policy->keys.size()) {
      return Invalid(what + " matches no remaining key of the script (wrong key or message, out of order, or reused)");
    }
    const Bytes& matched = policy->keys[key_index];
    auto compressed = matched.size() == 33 ? std::optional<Bytes>(matched) : CompressPublicKey(matched);
    if (!compressed) return Invalid("P2WSH script key is not a valid point");
    if (std::find(signers.begin(), signers.end(), *compressed) == signers.end())
      signers.push_back(std::move(*compressed));
    ++key_index;
  }
  if (signers.size() < threshold) {
    return Invalid("P2WSH multisig has " + std::to_string(signers.size()) + " distinct signers, threshold is " +
                   std::to_string(threshold));
  }
  return Valid("P2WSH " + std::to_string(threshold) + "-of-" + std::to_string(policy->keys.size()) + " multisig",
               std::move(signers));
}

// BIP-341 "Script validation rules": a witness of two or more items (annex removed) is a script
// path spend [inputs..., script, control block], and it only spends this output if the control
// block commits to the output key: Q = P + t·G with t = TapTweak(P || merkle root of the leaf
// `script` and the control block's path). Anything else (a P2WPKH-shaped witness presented for
// the same key, say) does not spend the address at all: invalid, not "unsupported".
Failure CheckScriptPathCommitment(const SpendContext& ctx, const std::vector<Bytes>& witness) {
  const Bytes& control = witness.back();
  const Bytes& script = witness[witness.size() - 2];
  constexpr std::size_t kBase = 33, kNode = 32, kMaxNodes = 128;
  if (control.size() < kBase || (control.size() - kBase) % kNode != 0 || (control.size() - kBase) / kNode > kMaxNodes) {
    return Invalid("P2TR witness has " + std::to_string(witness.size()) +
                   " items but is no script-path spend: its last item is not a control block (33 + 32m bytes, m <= "
                   "128), it is " +
                   std::to_string(control.size()) + " bytes");
  }
  Hash256 node = TapLeafHash(static_cast<std::uint8_t>(control[0] & 0xfe), script);
  for (std::size_t offset = kBase; offset < control.size(); offset += kNode) {
    Hash256 sibling{};
    std::copy_n(control.begin() + static_cast<std::ptrdiff_t>(offset), kNode, sibling.begin());
    node = TapBranchHash(node, sibling);
  }
  const std::span<const std::uint8_t, 32> internal_key(control.data() + 1, 32);
  const Hash256 tweak = TapTweakHash(internal_key, node);
  if (!IsTaprootTweakOf(ctx.program, control[0] & 1, internal_key, tweak)) {
    return Invalid(
        "P2TR witness is neither a key-path signature nor a script-path spend of this address (its "
        "control block does not commit to the address's output key)");
  }
  return std::nullopt;
}

OwnershipResult VerifyP2trKeyPath(const SpendContext& ctx) {
  std::vector<Bytes> witness = ctx.to_sign->inputs[0].witness;
  std::optional<Bytes> annex;
  // BIP-341: with two or more items, a last item starting with 0x50 is the annex.
  if (witness.size() >= 2 && !witness.back().empty() && witness.back()[0] == 0x50) {
    annex = witness.back();
    witness.pop_back();
  }
  if (witness.empty()) return Invalid("P2TR witness is empty");
  if (witness.size() != 1) {
    if (auto failure = CheckScriptPathCommitment(ctx, witness)) return *failure;
    return Unsupported("P2TR script-path spends are not supported (key path only)");
  }
  const Bytes& sig = witness[0];
  std::uint8_t hash_type = kSighashDefault;
  if (sig.size() == 65) {
    if (sig[64] != kSighashAll) {
      return Invalid("P2TR signature uses sighash type " + std::to_string(sig[64]) +
                     "; BIP-322 allows only SIGHASH_DEFAULT (64 bytes) or SIGHASH_ALL");
    }
    hash_type = kSighashAll;
  } else if (sig.size() != 64) {
    return Invalid("P2TR signature must be 64 or 65 bytes, is " + std::to_string(sig.size()));
  }
  const std::vector<TxOut> spent{ctx.spent_output};
  const Hash256 digest = TaprootKeyPathSighash(*ctx.to_sign, 0, spent, hash_type, annex);
  if (!VerifySchnorr(digest, std::span<const std::uint8_t, 64>(sig.data(), 64), ctx.program)) {
    return Invalid("P2TR signature does not verify for the address's output key");
  }
  return Valid(hash_type == kSighashAll ? "P2TR key path (SIGHASH_ALL)" : "P2TR key path (SIGHASH_DEFAULT)",
               {ctx.program});
}

OwnershipResult VerifyWitnessProgram(const SpendContext& ctx, const std::optional<Bytes>& witness_script) {
  if (ctx.witness_version == 0 && ctx.program.size() == 20) return VerifyP2wpkh(ctx);
  if (ctx.witness_version == 0 && ctx.program.size() == 32) return VerifyP2wshMultisig(ctx, witness_script);
  if (ctx.witness_version == 1 && ctx.program.size() == 32) return VerifyP2trKeyPath(ctx);
  return Unsupported("witness version " + std::to_string(ctx.witness_version) + " with a " +
                     std::to_string(ctx.program.size()) + "-byte program is not supported");
}

// For P2SH addresses (full variant): the scriptSig must be exactly one direct push of a v0 witness
// program (OP_0 <20 or 32 bytes>) that hashes to the address.
Failure NestedProgram(const chain::BitcoinAddress& address, const Bytes& script_sig, SpendContext& ctx) {
  if (script_sig.empty()) return Unsupported("P2SH addresses need the full variant with a redeem script");
  const std::size_t push = script_sig[0];
  if (script_sig.size() != push + 1 || (push != 22 && push != 34)) {
    return Unsupported(
        "P2SH scriptSig is not a single push of a P2WPKH/P2WSH redeem script (plain P2SH is not supported)");
  }
  const Bytes redeem(script_sig.begin() + 1, script_sig.end());
  if (redeem[0] != 0x00 || redeem[1] != push - 2) {
    return Unsupported("P2SH redeem script is not a version-0 witness program");
  }
  const Hash160Bytes redeem_hash = Hash160(redeem);
  if (!SameBytes(redeem_hash, address.program)) return Invalid("P2SH redeem script does not hash to the address");
  ctx.witness_version = 0;
  ctx.program.assign(redeem.begin() + 2, redeem.end());
  return std::nullopt;
}

std::string VariantName(const Bip322Signature& sig) {
  const std::string name = sig.variant == Bip322Variant::kFull ? "full" : "simple";
  return sig.prefixed ? name : name + " (unprefixed)";
}

// Checks a full to_sign against the BIP's required fields.
Failure CheckFullToSign(const Transaction& to_sign, const Hash256& to_spend_txid) {
  if (to_sign.inputs.size() != 1) {
    return Unsupported("to_sign has " + std::to_string(to_sign.inputs.size()) +
                       " inputs; extra inputs (proof of funds) are not verified");
  }
  if (to_sign.inputs[0].prevout != OutPoint{to_spend_txid, 0}) return Invalid("to_sign does not spend to_spend:0");
  if (to_sign.outputs.size() != 1 || to_sign.outputs[0].value != 0 || to_sign.outputs[0].script_pubkey != Bytes{0x6a}) {
    return Invalid("to_sign must have exactly one output of 0 sat paying OP_RETURN");
  }
  if (to_sign.version != 0 && to_sign.version != 2) {
    return Unsupported("to_sign version " + std::to_string(to_sign.version) + " (only 0 and 2 are defined)");
  }
  return std::nullopt;
}

}  // namespace

OwnershipResult VerifyBip322(const chain::BitcoinAddress& address, std::string_view message,
                             std::string_view signature_text, const std::optional<Bytes>& witness_script) {
  auto sig = DecodeBip322Signature(signature_text);
  if (!sig) return Malformed(sig.error().message);
  if (sig->variant == Bip322Variant::kProofOfFunds) {
    return Unsupported("BIP-322 proof-of-funds signatures (pof) are not verified");
  }
  // BIP-322's legacy variant: a BIP-137 signature, allowed for P2PKH only.
  if (address.type == BitcoinAddressType::kP2pkh) {
    if (!sig->prefixed && sig->payload.size() == 65 && IsBip137Header(sig->payload[0])) {
      return VerifyBip137Signature(address, message, std::span<const std::uint8_t, 65>(sig->payload.data(), 65));
    }
    return Unsupported("BIP-322 for P2PKH addresses is verified only in the legacy (BIP-137) form");
  }
  if (address.type == BitcoinAddressType::kWitnessUnknown) {
    return Unsupported("BIP-322 for witness version " + std::to_string(address.witness_version) + " is not supported");
  }

  const Transaction to_spend = BuildToSpend(Bip322MessageHash(message), address.script_pubkey);
  const Hash256 to_spend_txid = Txid(to_spend);
  Transaction to_sign;
  if (sig->variant == Bip322Variant::kSimple) {
    if (address.type == BitcoinAddressType::kP2sh) {
      return Unsupported("the simple variant is for native segwit addresses; P2SH needs the full variant");
    }
    auto witness = ParseWitnessStack(sig->payload);
    if (!witness) return Malformed("BIP-322 simple signature: " + witness.error().message);
    to_sign = BuildToSign(to_spend_txid, std::move(*witness));
  } else {
    auto parsed = ParseTransaction(sig->payload);
    if (!parsed) return Malformed("BIP-322 full signature: " + parsed.error().message);
    to_sign = std::move(*parsed);
    if (auto failure = CheckFullToSign(to_sign, to_spend_txid)) return *failure;
  }

  SpendContext ctx;
  ctx.to_sign = &to_sign;
  ctx.spent_output = to_spend.outputs[0];
  if (address.type == BitcoinAddressType::kP2sh) {
    if (auto failure = NestedProgram(address, to_sign.inputs[0].script_sig, ctx)) return *failure;
  } else {
    if (!to_sign.inputs[0].script_sig.empty())
      return Invalid("to_sign scriptSig must be empty for a native segwit address");
    ctx.witness_version = address.witness_version;
    ctx.program = address.program;
  }
  OwnershipResult result = VerifyWitnessProgram(ctx, witness_script);
  if (result.ok()) {
    result.reason = "BIP-322 " + VariantName(*sig) + " " + result.reason;
    if (to_sign.lock_time != 0 || to_sign.inputs[0].sequence != 0) {
      result.reason += " (valid at time " + std::to_string(to_sign.lock_time) + " and age " +
                       std::to_string(to_sign.inputs[0].sequence) + ")";
    }
  }
  return result;
}

}  // namespace segverify::chain
