#include "ethproof/account_proof.h"

#include <algorithm>
#include <optional>
#include <string_view>

#include "common/hashes.h"
#include "ethproof/rlp.h"
#include "ethproof/trie.h"

namespace segverify::ethproof {
namespace {

// "0x" + hex as bytes (DATA).
std::optional<Bytes> Data(std::string_view text) {
  if (!text.starts_with("0x")) return std::nullopt;
  return FromHex(text.substr(2));
}

// A QUANTITY or a (possibly shorter than 32-byte) DATA word as a 32-byte big-endian value. Nodes
// answer storage values and keys either way ("0x0", "0x01", 32 bytes).
std::optional<Word> WordOf(std::string_view text) {
  if (!text.starts_with("0x") || text.size() > 2 + 64 || text.size() < 3) return std::nullopt;
  std::string digits(text.substr(2));
  if (digits.size() % 2) digits.insert(digits.begin(), '0');
  auto bytes = FromHex(digits);
  if (!bytes) return std::nullopt;
  Word word{};
  std::copy(bytes->begin(), bytes->end(), word.end() - static_cast<std::ptrdiff_t>(bytes->size()));
  return word;
}

Word WordFromBigEndian(const Bytes& bytes) {  // bytes.size() <= 32
  Word word{};
  std::copy(bytes.begin(), bytes.end(), word.end() - static_cast<std::ptrdiff_t>(bytes.size()));
  return word;
}

Result<std::vector<Bytes>> ProofNodes(const JsonObjectReader& reader, std::string_view key, std::size_t& total) {
  auto array = reader.Array(key);
  if (!array) return array.error();
  std::vector<Bytes> nodes;
  nodes.reserve((*array)->Size());
  for (const auto& node : (*array)->GetArray()) {
    std::optional<Bytes> bytes =
        node.IsString() ? Data(std::string_view(node.GetString(), node.GetStringLength())) : std::nullopt;
    if (!bytes) return reader.FieldError(key, "expected an array of hex nodes (0x...)");
    total += bytes->size();
    nodes.push_back(std::move(*bytes));
  }
  return nodes;
}

Result<Word> WordField(const JsonObjectReader& reader, std::string_view key) {
  auto text = reader.String(key);
  if (!text) return text.error();
  auto word = WordOf(*text);
  if (!word) return reader.FieldError(key, "expected a hex value of at most 32 bytes");
  return *word;
}

Result<Hash256> HashField(const JsonObjectReader& reader, std::string_view key) {
  auto text = reader.String(key);
  if (!text) return text.error();
  Hash256 hash{};
  if (text->size() != 66 || !text->starts_with("0x") || !FromHexExact(std::string_view(*text).substr(2), hash)) {
    return reader.FieldError(key, "expected 32 bytes of hex");
  }
  return hash;
}

// The account RLP [nonce, balance, storageRoot, codeHash] from the state trie.
Status DecodeAccount(const Bytes& value, ProvenAccount& account) {
  auto item = RlpDecode(value);
  if (!item) return item.error();
  auto fields = RlpListItems(*item);
  if (!fields) return fields.error();
  if (fields->size() != 4) return Error{"account is a list of " + std::to_string(fields->size()) + " items, not 4"};
  auto nonce = RlpUnsigned((*fields)[0]);
  auto balance = RlpUnsigned((*fields)[1]);
  if (!nonce) return nonce.error();
  if (!balance) return balance.error();
  if (nonce->size() > 8) return Error{"account nonce over 64 bits"};
  for (std::uint8_t b : *nonce) account.nonce = (account.nonce << 8) | b;
  account.balance = WordFromBigEndian(*balance);
  for (int i : {2, 3}) {
    const RlpItem& hash = (*fields)[static_cast<std::size_t>(i)];
    if (hash.is_list || hash.payload.size() != 32) return Error{"account root or code hash is not 32 bytes"};
  }
  std::copy((*fields)[2].payload.begin(), (*fields)[2].payload.end(), account.storage_root.begin());
  std::copy((*fields)[3].payload.begin(), (*fields)[3].payload.end(), account.code_hash.begin());
  return Status::Ok();
}

std::string WordHex(const Word& w) { return "0x" + ToHex(w); }

}  // namespace

Word MappingSlot(const EthAddress& key, std::uint64_t slot, MappingLayout layout) {
  std::array<std::uint8_t, 64> preimage{};
  const std::size_t key_at = layout == MappingLayout::kSolidity ? 12 : 44;
  const std::size_t slot_end = layout == MappingLayout::kSolidity ? 64 : 32;
  std::copy(key.begin(), key.end(), preimage.begin() + static_cast<std::ptrdiff_t>(key_at));
  for (std::size_t i = 0; i < 8; ++i) preimage[slot_end - 1 - i] = static_cast<std::uint8_t>(slot >> (8 * i));
  return Keccak256(preimage);
}

const Hash256& EmptyCodeHash() {
  static const Hash256 hash = Keccak256(std::string_view());
  return hash;
}

Result<ProvenAccount> VerifyAccountProof(const JsonValue& answer, const Hash256& state_root, const EthAddress& address,
                                         const std::vector<Word>& slots, const std::string& origin) {
  const std::string who = origin + ": eth_getProof " + EthAddressToLowerHex(address);
  JsonObjectReader reader(answer, who, "result");
  if (Status s = reader.CheckIsObject(); !s) return s.error();
  auto answered_address = reader.String("address");
  if (!answered_address) return answered_address.error();
  if (ParseEthAddressHex(*answered_address) != std::optional<EthAddress>(address)) {
    return reader.FieldError("address", "the answer is for another account");
  }
  ProvenAccount account;
  account.address = address;
  account.code_hash = EmptyCodeHash();
  account.storage_root = EmptyTrieRoot();
  auto nodes = ProofNodes(reader, "accountProof", account.proof_bytes);
  if (!nodes) return nodes.error();
  auto value = VerifyTrieProof(state_root, Keccak256(address), *nodes);
  if (!value) return Error{who + ": accountProof: " + value.error().message};
  if (*value) {
    account.exists = true;
    if (Status s = DecodeAccount(**value, account); !s) return Error{who + ": accountProof: " + s.message()};
  }

  // The plain fields must say what the proof proves. An absent account may be answered with the
  // empty account's code hash and storage root, or with zero for either (nodes differ here).
  auto balance = WordField(reader, "balance");
  auto nonce = WordField(reader, "nonce");
  auto code_hash = HashField(reader, "codeHash");
  auto storage_hash = HashField(reader, "storageHash");
  if (!balance) return balance.error();
  if (!nonce) return nonce.error();
  if (!code_hash) return code_hash.error();
  if (!storage_hash) return storage_hash.error();
  if (*balance != account.balance) {
    return reader.FieldError("balance", WordHex(*balance) + " differs from the proven " + WordHex(account.balance));
  }
  Word proven_nonce{};
  for (std::size_t i = 0; i < 8; ++i) proven_nonce[31 - i] = static_cast<std::uint8_t>(account.nonce >> (8 * i));
  if (*nonce != proven_nonce) return reader.FieldError("nonce", "differs from the proven nonce");
  const Hash256 zero{};
  const bool absent_zero_ok = !account.exists;
  if (*code_hash != account.code_hash && !(absent_zero_ok && *code_hash == zero)) {
    return reader.FieldError("codeHash", "differs from the proven code hash 0x" + ToHex(account.code_hash));
  }
  if (*storage_hash != account.storage_root && !(absent_zero_ok && *storage_hash == zero)) {
    return reader.FieldError("storageHash", "differs from the proven storage root 0x" + ToHex(account.storage_root));
  }

  auto storage = reader.Array("storageProof");
  if (!storage) return storage.error();
  if ((*storage)->Size() != slots.size()) {
    return reader.FieldError("storageProof", std::to_string((*storage)->Size()) + " slots answered, " +
                                                 std::to_string(slots.size()) + " asked");
  }
  for (std::size_t i = 0; i < slots.size(); ++i) {
    JsonObjectReader entry((**storage)[static_cast<rapidjson::SizeType>(i)], who, JsonIndex("result.storageProof", i));
    if (Status s = entry.CheckIsObject(); !s) return s.error();
    auto key = WordField(entry, "key");
    if (!key) return key.error();
    if (*key != slots[i]) return entry.FieldError("key", "is not the slot asked (" + WordHex(slots[i]) + ")");
    auto claimed = WordField(entry, "value");
    if (!claimed) return claimed.error();
    auto slot_nodes = ProofNodes(entry, "proof", account.proof_bytes);
    if (!slot_nodes) return slot_nodes.error();
    auto slot_value = VerifyTrieProof(account.storage_root, Keccak256(slots[i]), *slot_nodes);
    if (!slot_value) return entry.FieldError("proof", slot_value.error().message);
    ProvenSlot proven{slots[i], {}};
    if (*slot_value) {
      auto item = RlpDecode(**slot_value);
      if (!item) return entry.FieldError("proof", "stored value: " + item.error().message);
      auto word = RlpUnsigned(*item);
      if (!word) return entry.FieldError("proof", "stored value: " + word.error().message);
      // A leaf holding zero: mainnet clients delete a slot set to zero, but anvil keeps it as a
      // leaf of value 0x80. Reading it as zero is safe: under one root a key has one value, so a
      // zero leaf can only be proven where the committed value is zero (the same as absent).
      proven.value = WordFromBigEndian(*word);
    }
    if (*claimed != proven.value) {
      return entry.FieldError("value", WordHex(*claimed) + " differs from the proven " + WordHex(proven.value));
    }
    account.slots.push_back(proven);
  }
  return account;
}

}  // namespace segverify::ethproof
