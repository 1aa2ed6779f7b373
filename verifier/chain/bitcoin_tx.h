// The Bitcoin transaction wire format, as far as BIP-322's virtual transactions need it:
// serialization with and without witness (BIP-144), txid, and strict parsing of a whole
// transaction or of a bare witness stack ("simple" BIP-322 signatures).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/hex.h"
#include "common/result.h"
#include "common/sha256.h"

namespace segverify::chain {

struct OutPoint {
  Hash256 txid{};  // internal byte order (as serialized), not the reversed display order
  std::uint32_t index = 0;
  bool operator==(const OutPoint&) const = default;
};

struct TxIn {
  OutPoint prevout;
  Bytes script_sig;
  std::uint32_t sequence = 0;
  std::vector<Bytes> witness;
};

struct TxOut {
  std::uint64_t value = 0;  // satoshi
  Bytes script_pubkey;
};

struct Transaction {
  std::uint32_t version = 0;  // serialized as 4 bytes little-endian (signed in Bitcoin Core; only 0 and 2 matter here)
  std::vector<TxIn> inputs;
  std::vector<TxOut> outputs;
  std::uint32_t lock_time = 0;

  bool HasWitness() const;
};

// Appends Bitcoin's CompactSize encoding of `n`.
void AppendCompactSize(Bytes& out, std::uint64_t n);
void AppendLe32(Bytes& out, std::uint32_t v);
void AppendLe64(Bytes& out, std::uint64_t v);
// CompactSize length followed by the bytes.
void AppendVarBytes(Bytes& out, std::span<const std::uint8_t> bytes);
// One serialized output: value (8 bytes LE) || CompactSize(script) || script.
void AppendTxOut(Bytes& out, const TxOut& output);

// Network serialization; with_witness uses the BIP-144 marker/flag form when any input has a witness.
Bytes SerializeTransaction(const Transaction& tx, bool with_witness);

// SHA256d of the serialization without witness, internal byte order.
Hash256 Txid(const Transaction& tx);

// Parses exactly one transaction filling all of `bytes`. Rejects trailing bytes, non-canonical
// CompactSize values, a witness flag other than 1, and a witness section whose stacks are all empty
// (BIP-144: such a transaction must be serialized without the marker).
[[nodiscard]] Result<Transaction> ParseTransaction(std::span<const std::uint8_t> bytes);

// Parses a consensus-encoded witness stack (CompactSize count, then CompactSize-prefixed items)
// filling all of `bytes`.
[[nodiscard]] Result<std::vector<Bytes>> ParseWitnessStack(std::span<const std::uint8_t> bytes);

}  // namespace segverify::chain
