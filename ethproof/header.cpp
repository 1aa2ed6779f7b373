#include "ethproof/header.h"

#include <array>
#include <string_view>
#include <vector>

#include "common/hashes.h"
#include "ethproof/rlp.h"

namespace segverify::ethproof {
namespace {

// How a header field is written in JSON-RPC (Ethereum execution API spec, "DATA" and "QUANTITY").
enum class FieldKind {
  kQuantity,  // "0x" + hex digits: an unsigned integer, RLP without leading zeros
  kData,      // "0x" + even hex digits, any length
  kData8,
  kData20,
  kData32,
  kData256,
};

struct HeaderField {
  std::string_view name;
  FieldKind kind;
  bool fork;  // added by a fork: encoded only when the answer has it
};

constexpr std::array<HeaderField, 21> kHeaderFields = {{
    {"parentHash", FieldKind::kData32, false},
    {"sha3Uncles", FieldKind::kData32, false},
    {"miner", FieldKind::kData20, false},
    {"stateRoot", FieldKind::kData32, false},
    {"transactionsRoot", FieldKind::kData32, false},
    {"receiptsRoot", FieldKind::kData32, false},
    {"logsBloom", FieldKind::kData256, false},
    {"difficulty", FieldKind::kQuantity, false},
    {"number", FieldKind::kQuantity, false},
    {"gasLimit", FieldKind::kQuantity, false},
    {"gasUsed", FieldKind::kQuantity, false},
    {"timestamp", FieldKind::kQuantity, false},
    {"extraData", FieldKind::kData, false},
    {"mixHash", FieldKind::kData32, false},
    {"nonce", FieldKind::kData8, false},
    {"baseFeePerGas", FieldKind::kQuantity, true},        // London, EIP-1559
    {"withdrawalsRoot", FieldKind::kData32, true},        // Shanghai, EIP-4895
    {"blobGasUsed", FieldKind::kQuantity, true},          // Cancun, EIP-4844
    {"excessBlobGas", FieldKind::kQuantity, true},        // Cancun, EIP-4844
    {"parentBeaconBlockRoot", FieldKind::kData32, true},  // Cancun, EIP-4788
    {"requestsHash", FieldKind::kData32, true},           // Prague, EIP-7685
}};

std::size_t DataSize(FieldKind kind) {
  switch (kind) {
    case FieldKind::kData8:
      return 8;
    case FieldKind::kData20:
      return 20;
    case FieldKind::kData32:
      return 32;
    case FieldKind::kData256:
      return 256;
    default:
      return 0;
  }
}

// "0x" + hex digits (a QUANTITY, at most 32 bytes) as big-endian bytes.
std::optional<Bytes> QuantityBytes(std::string_view text) {
  if (text.size() < 3 || text.substr(0, 2) != "0x" || text.size() > 2 + 64) return std::nullopt;
  std::string digits(text.substr(2));
  if (digits.size() % 2) digits.insert(digits.begin(), '0');
  return FromHex(digits);
}

std::uint64_t ToUint64(const Bytes& big_endian) {
  std::uint64_t v = 0;
  for (std::uint8_t b : big_endian) v = (v << 8) | b;
  return v;
}

Result<Bytes> FieldBytes(const JsonObjectReader& reader, const HeaderField& field) {
  auto text = reader.String(field.name);
  if (!text) return text.error();
  if (field.kind == FieldKind::kQuantity) {
    auto bytes = QuantityBytes(*text);
    if (!bytes) return reader.FieldError(field.name, "expected a QUANTITY (0x + hex digits, at most 256 bits)");
    return *bytes;
  }
  std::optional<Bytes> bytes = text->starts_with("0x") ? FromHex(std::string_view(*text).substr(2)) : std::nullopt;
  const std::size_t size = DataSize(field.kind);
  if (!bytes || (size != 0 && bytes->size() != size)) {
    return reader.FieldError(field.name, size ? "expected " + std::to_string(size) + " bytes of hex (0x...)"
                                              : std::string("expected hex data (0x...)"));
  }
  return *bytes;
}

}  // namespace

Result<Bytes> EncodeHeader(const JsonValue& block, const std::string& origin) {
  JsonObjectReader reader(block, origin, "result");
  if (Status s = reader.CheckIsObject(); !s) return s.error();
  std::vector<Bytes> items;
  items.reserve(kHeaderFields.size());
  for (const HeaderField& field : kHeaderFields) {
    if (field.fork && !reader.Has(field.name)) continue;
    auto bytes = FieldBytes(reader, field);
    if (!bytes) return bytes.error();
    items.push_back(field.kind == FieldKind::kQuantity ? RlpEncodeUnsigned(*bytes) : RlpEncodeString(*bytes));
  }
  return RlpEncodeList(items);
}

Result<ProvenHeader> VerifyHeader(const JsonValue& block, const Hash256& expected_hash, const std::string& origin) {
  auto encoded = EncodeHeader(block, origin);
  if (!encoded) return encoded.error();
  ProvenHeader header;
  header.hash = Keccak256(*encoded);
  if (header.hash != expected_hash) {
    return Error{origin + ": the header's fields hash to 0x" + ToHex(header.hash) + ", not to the block hash 0x" +
                 ToHex(expected_hash) + " (a field altered, or a header of another kind)"};
  }
  JsonObjectReader reader(block, origin, "result");
  auto state_root = FieldBytes(reader, kHeaderFields[3]);
  auto number = FieldBytes(reader, kHeaderFields[8]);
  auto timestamp = FieldBytes(reader, kHeaderFields[11]);
  if (!state_root) return state_root.error();
  if (!number || number->size() > 8) return reader.FieldError("number", "expected a 64-bit QUANTITY");
  if (!timestamp || timestamp->size() > 8) return reader.FieldError("timestamp", "expected a 64-bit QUANTITY");
  std::copy(state_root->begin(), state_root->end(), header.state_root.begin());
  header.number = ToUint64(*number);
  header.timestamp = ToUint64(*timestamp);
  return header;
}

std::optional<std::string> KnownHeaderEncoding(std::uint64_t chain_id) {
  switch (chain_id) {
    case 1:  // Ethereum mainnet: the Yellow Paper's header and the fork EIPs above.
      return "Ethereum header (Yellow Paper §4.3 with EIP-1559, 4895, 4844, 4788, 7685)";
    case 10:    // OP Mainnet and
    case 8453:  // Base run op-geth: the OP Stack specification ("Execution Engine") keeps the L1
                // header type unchanged, so blocks hash like Ethereum's.
      return "OP Stack header (op-geth, the Ethereum header unchanged)";
    case 42161:  // Arbitrum One and
    case 42170:  // Nova: Nitro keeps geth's header, its L2 data carried in extraData (send root)
                 // and mixHash (send count, L1 block number, ArbOS version) (Arbitrum docs, "Nitro
                 // block header fields"), so the same encoding hashes to the block hash.
      return "Arbitrum Nitro header (geth's header, L2 data in extraData and mixHash)";
    case 31337:  // anvil and Hardhat development chains (the tests): Ethereum's header.
      return "development chain (anvil): Ethereum header";
    default:
      return std::nullopt;
  }
}

}  // namespace segverify::ethproof
