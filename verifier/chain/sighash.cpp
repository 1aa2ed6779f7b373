#include "verifier/chain/sighash.h"

#include "common/hashes.h"

namespace segverify::chain {
namespace {

void AppendOutPoint(Bytes& out, const OutPoint& prevout) {
  out.insert(out.end(), prevout.txid.begin(), prevout.txid.end());
  AppendLe32(out, prevout.index);
}

void AppendHash(Bytes& out, const Hash256& hash) { out.insert(out.end(), hash.begin(), hash.end()); }

// The three per-transaction serializations both BIPs hash: all outpoints, all sequences, all outputs.
struct TxParts {
  Bytes prevouts, sequences, outputs;
};

TxParts SerializeParts(const Transaction& tx) {
  TxParts parts;
  for (const TxIn& in : tx.inputs) {
    AppendOutPoint(parts.prevouts, in.prevout);
    AppendLe32(parts.sequences, in.sequence);
  }
  for (const TxOut& output : tx.outputs) AppendTxOut(parts.outputs, output);
  return parts;
}

}  // namespace

Hash256 SegwitV0SighashAll(const Transaction& tx, std::size_t input_index, std::span<const std::uint8_t> script_code,
                           std::uint64_t amount) {
  const TxParts parts = SerializeParts(tx);
  const TxIn& in = tx.inputs[input_index];
  Bytes preimage;
  AppendLe32(preimage, tx.version);
  AppendHash(preimage, Sha256d(parts.prevouts));
  AppendHash(preimage, Sha256d(parts.sequences));
  AppendOutPoint(preimage, in.prevout);
  AppendVarBytes(preimage, script_code);
  AppendLe64(preimage, amount);
  AppendLe32(preimage, in.sequence);
  AppendHash(preimage, Sha256d(parts.outputs));
  AppendLe32(preimage, tx.lock_time);
  AppendLe32(preimage, kSighashAll);
  return Sha256d(preimage);
}

Hash256 TaprootKeyPathSighash(const Transaction& tx, std::size_t input_index, std::span<const TxOut> spent_outputs,
                              std::uint8_t hash_type, const std::optional<Bytes>& annex) {
  const TxParts parts = SerializeParts(tx);
  Bytes amounts, script_pubkeys;
  for (const TxOut& spent : spent_outputs) {
    AppendLe64(amounts, spent.value);
    AppendVarBytes(script_pubkeys, spent.script_pubkey);
  }
  Bytes msg;
  msg.push_back(0x00);  // epoch
  msg.push_back(hash_type);
  AppendLe32(msg, tx.version);
  AppendLe32(msg, tx.lock_time);
  // Neither DEFAULT nor ALL is ANYONECANPAY/NONE/SINGLE: all four input hashes and the outputs hash.
  AppendHash(msg, Sha256(parts.prevouts));
  AppendHash(msg, Sha256(amounts));
  AppendHash(msg, Sha256(script_pubkeys));
  AppendHash(msg, Sha256(parts.sequences));
  AppendHash(msg, Sha256(parts.outputs));
  msg.push_back(annex ? 0x01 : 0x00);  // spend_type = ext_flag * 2 + annex_present, ext_flag = 0 (key path)
  AppendLe32(msg, static_cast<std::uint32_t>(input_index));
  if (annex) {
    Bytes annex_ser;
    AppendVarBytes(annex_ser, *annex);
    AppendHash(msg, Sha256(annex_ser));
  }
  return TaggedHash("TapSighash", msg);
}

}  // namespace segverify::chain
