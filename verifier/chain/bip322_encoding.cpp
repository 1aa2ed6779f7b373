#include "verifier/chain/bip322_encoding.h"

#include <utility>

#include "common/hashes.h"
#include "verifier/chain/base64_strict.h"

namespace segverify::chain {

Hash256 Bip322MessageHash(std::string_view message) {
  return TaggedHash("BIP0322-signed-message",
                    std::span(reinterpret_cast<const std::uint8_t*>(message.data()), message.size()));
}

Transaction BuildToSpend(const Hash256& message_hash, std::span<const std::uint8_t> message_challenge) {
  TxIn in;
  in.prevout.txid.fill(0);
  in.prevout.index = 0xFFFFFFFF;
  in.script_sig = {0x00, 0x20};  // OP_0 PUSH32
  in.script_sig.insert(in.script_sig.end(), message_hash.begin(), message_hash.end());
  in.sequence = 0;
  Transaction tx;
  tx.version = 0;
  tx.inputs.push_back(std::move(in));
  tx.outputs.push_back(TxOut{0, Bytes(message_challenge.begin(), message_challenge.end())});
  tx.lock_time = 0;
  return tx;
}

Transaction BuildToSign(const Hash256& to_spend_txid, std::vector<Bytes> witness) {
  TxIn in;
  in.prevout.txid = to_spend_txid;
  in.prevout.index = 0;
  in.sequence = 0;
  in.witness = std::move(witness);
  Transaction tx;
  tx.version = 0;
  tx.inputs.push_back(std::move(in));
  tx.outputs.push_back(TxOut{0, Bytes{0x6a}});  // OP_RETURN
  tx.lock_time = 0;
  return tx;
}

Result<Bip322Signature> DecodeBip322Signature(std::string_view text) {
  Bip322Signature sig;
  std::string_view body = text;
  const std::string_view prefix = text.substr(0, 3);
  const bool has_prefix = prefix == "smp" || prefix == "ful" || prefix == "pof";
  if (has_prefix && (text.size() - 3) % 4 == 0) {
    sig.prefixed = true;
    sig.variant = prefix == "smp"   ? Bip322Variant::kSimple
                  : prefix == "ful" ? Bip322Variant::kFull
                                    : Bip322Variant::kProofOfFunds;
    body = text.substr(3);
  }
  if (body.empty()) return Error{"BIP-322 signature is empty"};
  auto payload = DecodeBase64Strict(body);
  if (!payload) return Error{"BIP-322 signature: " + payload.error().message};
  sig.payload = std::move(*payload);
  return sig;
}

}  // namespace segverify::chain
