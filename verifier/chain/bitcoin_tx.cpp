#include "verifier/chain/bitcoin_tx.h"

#include <algorithm>
#include <optional>
#include <string>

#include "common/hashes.h"

namespace segverify::chain {
namespace {

// Reads the wire format front to back; every read checks the remaining length.
class ByteReader {
 public:
  explicit ByteReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

  bool AtEnd() const { return pos_ == bytes_.size(); }
  std::size_t remaining() const { return bytes_.size() - pos_; }
  std::optional<std::uint8_t> PeekByte() const {
    if (AtEnd()) return std::nullopt;
    return bytes_[pos_];
  }

  std::optional<std::uint64_t> ReadLe(std::size_t width) {
    if (remaining() < width) return std::nullopt;
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < width; ++i) v |= static_cast<std::uint64_t>(bytes_[pos_ + i]) << (8 * i);
    pos_ += width;
    return v;
  }
  std::optional<std::uint32_t> ReadLe32() {
    auto v = ReadLe(4);
    if (!v) return std::nullopt;
    return static_cast<std::uint32_t>(*v);
  }

  // Canonical CompactSize only: a value that fits a shorter form is rejected, as Bitcoin Core does.
  std::optional<std::uint64_t> ReadCompactSize() {
    auto first = ReadLe(1);
    if (!first) return std::nullopt;
    if (*first < 0xfd) return *first;
    std::size_t width = *first == 0xfd ? 2 : *first == 0xfe ? 4 : 8;
    std::uint64_t minimum = *first == 0xfd ? 0xfd : *first == 0xfe ? 0x10000 : 0x100000000ULL;
    auto v = ReadLe(width);
    if (!v || *v < minimum) return std::nullopt;
    return v;
  }

  std::optional<Bytes> ReadVarBytes() {
    auto len = ReadCompactSize();
    if (!len || *len > remaining()) return std::nullopt;
    return ReadBytes(static_cast<std::size_t>(*len));
  }
  std::optional<Bytes> ReadBytes(std::size_t n) {
    if (n > remaining()) return std::nullopt;
    Bytes out(bytes_.begin() + static_cast<std::ptrdiff_t>(pos_),
              bytes_.begin() + static_cast<std::ptrdiff_t>(pos_ + n));
    pos_ += n;
    return out;
  }
  // A count of items each at least `min_item_size` bytes long: bounds the allocation by the input size.
  std::optional<std::size_t> ReadCount(std::size_t min_item_size) {
    auto n = ReadCompactSize();
    if (!n || *n > remaining() / std::max<std::size_t>(min_item_size, 1)) return std::nullopt;
    return static_cast<std::size_t>(*n);
  }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t pos_ = 0;
};

std::optional<std::vector<Bytes>> ReadWitness(ByteReader& reader) {
  auto count = reader.ReadCount(1);
  if (!count) return std::nullopt;
  std::vector<Bytes> stack;
  stack.reserve(*count);
  for (std::size_t i = 0; i < *count; ++i) {
    auto item = reader.ReadVarBytes();
    if (!item) return std::nullopt;
    stack.push_back(std::move(*item));
  }
  return stack;
}

}  // namespace

bool Transaction::HasWitness() const {
  return std::any_of(inputs.begin(), inputs.end(), [](const TxIn& in) { return !in.witness.empty(); });
}

void AppendCompactSize(Bytes& out, std::uint64_t n) {
  if (n < 0xfd) {
    out.push_back(static_cast<std::uint8_t>(n));
  } else if (n <= 0xffff) {
    out.push_back(0xfd);
    for (int i = 0; i < 2; ++i) out.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
  } else if (n <= 0xffffffffULL) {
    out.push_back(0xfe);
    AppendLe32(out, static_cast<std::uint32_t>(n));
  } else {
    out.push_back(0xff);
    AppendLe64(out, n);
  }
}

void AppendLe32(Bytes& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

void AppendLe64(Bytes& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

void AppendVarBytes(Bytes& out, std::span<const std::uint8_t> bytes) {
  AppendCompactSize(out, bytes.size());
  out.insert(out.end(), bytes.begin(), bytes.end());
}

void AppendTxOut(Bytes& out, const TxOut& output) {
  AppendLe64(out, output.value);
  AppendVarBytes(out, output.script_pubkey);
}

Bytes SerializeTransaction(const Transaction& tx, bool with_witness) {
  const bool witness = with_witness && tx.HasWitness();
  Bytes out;
  AppendLe32(out, tx.version);
  if (witness) {
    out.push_back(0x00);  // marker
    out.push_back(0x01);  // flag
  }
  AppendCompactSize(out, tx.inputs.size());
  for (const TxIn& in : tx.inputs) {
    out.insert(out.end(), in.prevout.txid.begin(), in.prevout.txid.end());
    AppendLe32(out, in.prevout.index);
    AppendVarBytes(out, in.script_sig);
    AppendLe32(out, in.sequence);
  }
  AppendCompactSize(out, tx.outputs.size());
  for (const TxOut& output : tx.outputs) AppendTxOut(out, output);
  if (witness) {
    for (const TxIn& in : tx.inputs) {
      AppendCompactSize(out, in.witness.size());
      for (const Bytes& item : in.witness) AppendVarBytes(out, item);
    }
  }
  AppendLe32(out, tx.lock_time);
  return out;
}

Hash256 Txid(const Transaction& tx) { return Sha256d(SerializeTransaction(tx, /*with_witness=*/false)); }

Result<Transaction> ParseTransaction(std::span<const std::uint8_t> bytes) {
  ByteReader reader(bytes);
  Transaction tx;
  auto version = reader.ReadLe32();
  if (!version) return Error{"transaction truncated in version"};
  tx.version = *version;

  bool has_witness = false;
  // BIP-144: a zero input count followed by flag 0x01 marks the extended (witness) format.
  if (reader.PeekByte() == std::uint8_t{0}) {
    (void)reader.ReadLe(1);
    auto flag = reader.ReadLe(1);
    if (!flag || *flag != 1) return Error{"transaction has no inputs or an unknown witness flag"};
    has_witness = true;
  }
  auto input_count = reader.ReadCount(41);
  if (!input_count) return Error{"transaction input count is invalid"};
  if (*input_count == 0) return Error{"transaction has no inputs"};
  for (std::size_t i = 0; i < *input_count; ++i) {
    TxIn in;
    auto txid = reader.ReadBytes(32);
    auto index = reader.ReadLe32();
    if (!txid || !index) return Error{"transaction truncated in input " + std::to_string(i)};
    std::copy(txid->begin(), txid->end(), in.prevout.txid.begin());
    in.prevout.index = *index;
    auto script_sig = reader.ReadVarBytes();
    auto sequence = reader.ReadLe32();
    if (!script_sig || !sequence) return Error{"transaction truncated in input " + std::to_string(i)};
    in.script_sig = std::move(*script_sig);
    in.sequence = *sequence;
    tx.inputs.push_back(std::move(in));
  }
  auto output_count = reader.ReadCount(9);
  if (!output_count) return Error{"transaction output count is invalid"};
  for (std::size_t i = 0; i < *output_count; ++i) {
    TxOut output;
    auto value = reader.ReadLe(8);
    auto script = reader.ReadVarBytes();
    if (!value || !script) return Error{"transaction truncated in output " + std::to_string(i)};
    output.value = *value;
    output.script_pubkey = std::move(*script);
    tx.outputs.push_back(std::move(output));
  }
  if (has_witness) {
    for (std::size_t i = 0; i < tx.inputs.size(); ++i) {
      auto stack = ReadWitness(reader);
      if (!stack) return Error{"transaction truncated in the witness of input " + std::to_string(i)};
      tx.inputs[i].witness = std::move(*stack);
    }
    if (!tx.HasWitness()) return Error{"transaction uses the witness format but every witness is empty"};
  }
  auto lock_time = reader.ReadLe32();
  if (!lock_time) return Error{"transaction truncated in lock time"};
  tx.lock_time = *lock_time;
  if (!reader.AtEnd())
    return Error{"transaction is followed by " + std::to_string(reader.remaining()) + " extra bytes"};
  return tx;
}

Result<std::vector<Bytes>> ParseWitnessStack(std::span<const std::uint8_t> bytes) {
  ByteReader reader(bytes);
  auto stack = ReadWitness(reader);
  if (!stack) return Error{"witness stack is truncated or its lengths are invalid"};
  if (!reader.AtEnd())
    return Error{"witness stack is followed by " + std::to_string(reader.remaining()) + " extra bytes"};
  return std::move(*stack);
}

}  // namespace segverify::chain
