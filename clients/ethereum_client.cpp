#include "clients/ethereum_client.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <utility>

#include "clients/ascii.h"
#include "clients/first_error.h"
#include "clients/node_text.h"
#include "common/hashes.h"

namespace segverify::clients {
namespace {

// ERC-20 balanceOf(address) selector: first 4 bytes of keccak256("balanceOf(address)").
constexpr std::string_view kBalanceOfSelector = "70a08231";

std::string Quantity(std::uint64_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  if (n == 0) return "0x0";
  std::string digits;
  while (n) {
    digits.push_back(kDigits[n & 0xf]);
    n >>= 4;
  }
  std::reverse(digits.begin(), digits.end());
  return "0x" + digits;
}

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

// The string value of a JSON text that must be a string.
Result<std::string> StringResult(const std::string& json, const std::string& origin) {
  auto doc = ParseNodeJson(json, origin);
  if (!doc) return doc.error();
  if (!(*doc)->IsString()) return Error{origin + ": expected a string result", ProblemKind::kMalformedAnswer};
  return std::string((*doc)->GetString(), (*doc)->GetStringLength());
}

// "0x" + even number of hex digits → bytes.
std::optional<Bytes> DataFromHex(std::string_view text) {
  if (text.substr(0, 2) != "0x") return std::nullopt;
  return FromHex(text.substr(2));
}

// The Error for a failed state read: the node's message, or what a pruned node's message means.
Error StateReadError(const std::string& origin, const RpcReply& reply, const EthBlockPin& pin) {
  if (IsMissingStateError(reply.error_message)) {
    return Error{origin + ": the node no longer holds the state of block " + std::to_string(pin.number) + " (\"" +
                     reply.ShownError() + "\"): an archive node (or a provider serving historical state) is needed",
                 ProblemKind::kNotAtPin};
  }
  return Error{origin + ": " + reply.ShownError(), ProblemKind::kRefusedByNode};
}

// One balance from a reply: a QUANTITY (eth_getBalance), or 32 bytes of return data (balanceOf).
Result<u128> DecodeAmount(const RpcReply& reply, const std::string& origin, const EthBlockPin& pin, bool token) {
  if (reply.is_error) return StateReadError(origin, reply, pin);
  auto text = StringResult(reply.result_json, origin);
  if (!text) return text.error();
  if (!token) {
    auto wei = U128FromHexQuantity(*text);
    if (!wei) return Error{origin + ": malformed or over 2^128-1 balance", ProblemKind::kMalformedAnswer};
    return *wei;
  }
  auto data = DataFromHex(*text);
  if (!data || data->size() != 32)
    return Error{origin + ": balanceOf must return exactly 32 bytes", ProblemKind::kMalformedAnswer};
  if (std::any_of(data->begin(), data->begin() + 16, [](std::uint8_t b) { return b != 0; })) {
    return Error{origin + ": token balance over 2^128-1", ProblemKind::kOverflow};
  }
  return U128FromBigEndian(data->data() + 16);
}

// An eth_call's outcome: return data, or a revert (with its data); any other error is an Error.
Result<EthCallResult> DecodeCall(const RpcReply& reply, const std::string& origin, const EthBlockPin& pin) {
  EthCallResult out;
  if (reply.is_error) {
    // Nodes report a revert as code 3 (geth, anvil) or -32000 with "execution reverted".
    bool reverted = reply.error_code == 3 || reply.error_message.find("revert") != std::string::npos;
    if (!reverted) return StateReadError(origin, reply, pin);
    out.outcome = EthCallOutcome::kReverted;
    if (reply.error_data.size() > 2) {
      auto data = ParseNodeJson(reply.error_data, origin);
      if (data && (*data)->IsString()) {
        if (auto bytes = DataFromHex((*data)->GetString())) out.data = std::move(*bytes);
      }
    }
    return out;
  }
  auto text = StringResult(reply.result_json, origin);
  if (!text) return text.error();
  auto data = DataFromHex(*text);
  if (!data) return Error{origin + ": malformed return data", ProblemKind::kMalformedAnswer};
  out.data = std::move(*data);
  return out;
}

// "0x" + exactly 64 hex digits → the word. The JSON-RPC spec answers storage words and log topics
// as DATA of exactly 32 bytes; anything else is not one.
std::optional<EthWord> WordFromHex(std::string_view text) {
  EthWord word{};
  if (text.size() != 66 || text.substr(0, 2) != "0x" || !FromHexExact(text.substr(2), word)) return std::nullopt;
  return word;
}

std::optional<EthAddress> AddressFromHex(std::string_view text) {
  EthAddress address{};
  if (text.size() != 42 || text.substr(0, 2) != "0x" || !FromHexExact(text.substr(2), address)) return std::nullopt;
  return address;
}

// One eth_getLogs entry: address, topics, data, removed (other fields are not read).
Result<EthLog> DecodeLog(const JsonValue& value, const std::string& origin) {
  if (!value.IsObject()) return Error{origin + ": a log entry is not an object", ProblemKind::kMalformedAnswer};
  JsonObjectReader log(value, origin, "log");
  auto address = log.String("address");
  auto topics = log.Array("topics");
  auto data = log.String("data");
  if (auto e = FirstError(address, topics, data)) return *e;
  EthLog out;
  auto parsed = AddressFromHex(AsciiLower(*address));
  if (!parsed) return log.FieldError("address", "expected an address");
  out.address = *parsed;
  for (const JsonValue& topic : (*topics)->GetArray()) {
    auto word = topic.IsString() ? WordFromHex(AsciiLower(topic.GetString())) : std::nullopt;
    if (!word) return log.FieldError("topics", "expected 32-byte topics");
    out.topics.push_back(*word);
  }
  auto bytes = DataFromHex(*data);
  if (!bytes) return log.FieldError("data", "expected hex data");
  out.data = std::move(*bytes);
  if (log.Has("removed")) {
    auto removed = log.Bool("removed");
    if (!removed) return removed.error();
    out.removed = *removed;
  }
  return out;
}

std::string CallParams(const EthAddress& to, const std::string& data_hex, const EthBlockPin& pin) {
  return "[{\"to\":\"" + EthAddressToLowerHex(to) + "\",\"data\":\"0x" + data_hex + "\"}," + BlockParameter(pin) + "]";
}

}  // namespace

std::string_view ToString(EthReads reads) { return reads == EthReads::kProven ? "proven" : "agreed"; }

std::string_view ToString(ethproof::MappingLayout layout) {
  return layout == ethproof::MappingLayout::kVyper ? "vyper" : "solidity";
}

std::string BlockParameter(const EthBlockPin& pin) {
  return "{\"blockHash\":" + Quoted(pin.hash) + ",\"requireCanonical\":true}";
}

// What nodes answer for state they no longer hold: geth and Nethermind "missing trie node", geth
// "header not found" for a block whose state it dropped, Besu "World state not available",
// geth's path-based scheme "historical state ... is not available", and providers' "pruned".
bool IsMissingStateError(std::string_view message) {
  const std::string lower = AsciiLower(message);
  for (std::string_view marker :
       {"missing trie node", "header not found", "state not available", "historical state", "pruned"}) {
    if (lower.find(marker) != std::string::npos) return true;
  }
  return false;
}

std::optional<ethproof::ProvenAccount> ProvenAccountCache::Find(const std::string& pin_hash,
                                                                const EthAddress& account) const {
  std::lock_guard lock(mutex_);
  if (pin_hash != pin_hash_) return std::nullopt;
  auto it = accounts_.find(account);
  if (it == accounts_.end()) return std::nullopt;
  return it->second;
}

void ProvenAccountCache::Put(const std::string& pin_hash, const ethproof::ProvenAccount& account) {
  std::lock_guard lock(mutex_);
  if (pin_hash != pin_hash_) {
    accounts_.clear();
    pin_hash_ = pin_hash;
  }
  accounts_.insert_or_assign(account.address, account);
}

EthereumClient::EthereumClient(std::unique_ptr<Transport> transport, std::size_t batch_size, EthReads reads,
                               std::shared_ptr<ProvenAccountCache> proven_accounts)
    : rpc_(std::move(transport)),
      batch_size_(std::max<std::size_t>(1, batch_size)),
      reads_(reads),
      proven_accounts_(proven_accounts ? std::move(proven_accounts) : std::make_shared<ProvenAccountCache>()) {}

Result<std::uint64_t> EthereumClient::ChainId() {
  auto reply = rpc_.Call({"eth_chainId", "[]"});
  if (!reply) return reply.error();
  std::string origin = source() + " (eth_chainId)";
  if (reply->is_error) return Error{origin + ": " + reply->ShownError(), ProblemKind::kRefusedByNode};
  auto text = StringResult(reply->result_json, origin);
  if (!text) return text.error();
  auto id = U128FromHexQuantity(*text);
  if (!id || *id > UINT64_MAX) return Error{origin + ": malformed chain id", ProblemKind::kMalformedAnswer};
  return static_cast<std::uint64_t>(*id);
}

Status EthereumClient::CheckChainId(std::uint64_t expected) {
  auto id = ChainId();
  if (!id) return id.error();
  if (*id != expected) {
    return Error{source() + ": chain id is " + std::to_string(*id) + ", expected " + std::to_string(expected),
                 ProblemKind::kWrongNetwork};
  }
  return Status::Ok();
}

Result<std::string> EthereumClient::BlockHash(std::uint64_t number) {
  auto header = PinBlock(number);
  if (!header) return header.error();
  return std::move(header->hash);
}

Result<EthBlockHeader> EthereumClient::PinBlock(std::uint64_t number) {
  auto reply = rpc_.Call({"eth_getBlockByNumber", "[" + Quoted(Quantity(number)) + ",false]"});
  if (!reply) return reply.error();
  std::string origin = source() + " (eth_getBlockByNumber)";
  if (reply->is_error) return Error{origin + ": " + reply->ShownError(), ProblemKind::kRefusedByNode};
  auto doc = ParseNodeJson(reply->result_json, origin);
  if (!doc) return doc.error();
  if ((*doc)->IsNull())
    return Error{source() + ": block " + std::to_string(number) + " does not exist yet", ProblemKind::kNotAtPin};
  JsonObjectReader block(**doc, origin, "result");
  auto hash = block.String("hash");
  auto reported = block.String("number");
  auto timestamp = block.String("timestamp");
  if (auto e = FirstError(hash, reported, timestamp)) return *e;
  if (U128FromHexQuantity(*reported) != std::optional<u128>(number)) {
    return Error{origin + ": node answered block " + ShowNodeText(*reported) + " for block " + std::to_string(number),
                 ProblemKind::kNotAtPin};
  }
  std::string lower = AsciiLower(*hash);
  std::array<std::uint8_t, 32> bytes{};
  if (lower.size() != 66 || lower.substr(0, 2) != "0x" || !FromHexExact(std::string_view(lower).substr(2), bytes)) {
    return Error{origin + ": malformed block hash", ProblemKind::kMalformedAnswer};
  }
  auto time = U128FromHexQuantity(*timestamp);
  if (!time || *time > UINT64_MAX) return block.FieldError("timestamp", "expected a QUANTITY");
  return EthBlockHeader{std::move(lower), static_cast<std::uint64_t>(*time)};
}

Status EthereumClient::CheckPin(const EthBlockPin& pin) {
  auto hash = BlockHash(pin.number);
  if (!hash) return hash.error();
  if (*hash != pin.hash) {
    return Error{source() + ": block " + std::to_string(pin.number) + " has hash " + *hash + ", pinned " + pin.hash,
                 ProblemKind::kNotAtPin};
  }
  return Status::Ok();
}

Result<std::vector<RpcReply>> EthereumClient::BatchAll(const std::vector<RpcRequest>& requests) {
  std::vector<RpcReply> replies;
  replies.reserve(requests.size());
  for (std::size_t begin = 0; begin < requests.size(); begin += batch_size_) {
    std::size_t end = std::min(requests.size(), begin + batch_size_);
    if (batch_size_ == 1) {
      auto reply = rpc_.Call(requests[begin]);
      if (!reply) return reply.error();
      replies.push_back(std::move(reply.value()));
      continue;
    }
    auto batch = rpc_.Batch(std::vector<RpcRequest>(requests.begin() + static_cast<std::ptrdiff_t>(begin),
                                                    requests.begin() + static_cast<std::ptrdiff_t>(end)));
    if (!batch) return batch.error();
    for (auto& reply : *batch) replies.push_back(std::move(reply));
  }
  return replies;
}

Result<std::vector<u128>> EthereumClient::ReadAtPin(const std::vector<RpcRequest>& requests, const EthBlockPin& pin,
                                                    bool token) {
  // State is read by the pinned hash (BlockParameter); the number is checked to map to that hash
  // before and after, so a node that reorged or was swapped mid-read is an Error. The node's own
  // errors are looked at first: "missing trie node" says more than a pin check failing after it.
  if (Status s = CheckPin(pin); !s) return s.error();
  auto replies = BatchAll(requests);
  if (!replies) return replies.error();
  std::vector<u128> amounts;
  amounts.reserve(replies->size());
  for (std::size_t i = 0; i < replies->size(); ++i) {
    auto amount = DecodeAmount((*replies)[i],
                               source() + " (" + requests[i].method + " " + requests[i].params_json + ")", pin, token);
    if (!amount) return amount.error();
    amounts.push_back(*amount);
  }
  if (Status s = CheckPin(pin); !s) return s.error();
  return amounts;
}

Result<std::vector<u128>> EthereumClient::NativeBalances(const std::vector<EthAddress>& addresses,
                                                         const EthBlockPin& pin) {
  if (reads_ == EthReads::kProven) {
    std::vector<EthProofQuery> queries;
    queries.reserve(addresses.size());
    for (const auto& a : addresses) queries.push_back({a, {}});
    auto accounts = ProveAccounts(queries, pin);
    if (!accounts) return accounts.error();
    std::vector<u128> balances;
    balances.reserve(accounts->size());
    for (const auto& account : *accounts) {
      if (std::any_of(account.balance.begin(), account.balance.begin() + 16, [](std::uint8_t b) { return b != 0; })) {
        return Error{source() + " (eth_getProof " + EthAddressToLowerHex(account.address) + "): balance over 2^128-1"};
      }
      balances.push_back(U128FromBigEndian(account.balance.data() + 16));
    }
    return balances;
  }
  std::vector<RpcRequest> requests;
  requests.reserve(addresses.size());
  for (const auto& a : addresses) {
    requests.push_back({"eth_getBalance", "[" + Quoted(EthAddressToLowerHex(a)) + "," + BlockParameter(pin) + "]"});
  }
  return ReadAtPin(requests, pin, false);
}

Result<std::vector<u128>> EthereumClient::TokenBalances(const EthAddress& token,
                                                        const std::vector<EthAddress>& addresses,
                                                        const EthBlockPin& pin) {
  std::vector<RpcRequest> requests;
  requests.reserve(addresses.size());
  for (const auto& a : addresses) {
    requests.push_back(
        {"eth_call", CallParams(token, std::string(kBalanceOfSelector) + std::string(24, '0') + ToHex(a), pin)});
  }
  return ReadAtPin(requests, pin, true);
}

namespace {

EthWord WordOf(u128 amount) {
  EthWord word{};
  U128ToBigEndian(amount, word.data() + 16);
  return word;
}

// Slots 0-255 in both layouts (docs/FORMAT.md "ERC-20 balances"): where compilers put a mapping
// declared among a contract's first 256 storage variables.
constexpr std::uint64_t kSlotSearchLimit = 256;

}  // namespace

Result<std::vector<u128>> EthereumClient::ProvenTokenBalances(const EthAddress& token,
                                                              const std::vector<EthAddress>& addresses,
                                                              const EthBlockPin& pin,
                                                              std::optional<BalanceSlot>& slot) {
  auto balances = TokenBalances(token, addresses, pin);
  if (!balances) return balances.error();
  const std::string token_hex = EthAddressToLowerHex(token);
  if (!slot) {
    auto holder = std::find_if(balances->begin(), balances->end(), [](u128 b) { return b != 0; });
    if (holder == balances->end()) return balances;  // all zero: nothing to prove, nothing counted
    const EthAddress& who = addresses[static_cast<std::size_t>(holder - balances->begin())];
    std::vector<BalanceSlot> candidates;
    EthProofQuery query{token, {}};
    for (std::uint64_t s = 0; s < kSlotSearchLimit; ++s) {
      for (auto layout : {ethproof::MappingLayout::kSolidity, ethproof::MappingLayout::kVyper}) {
        candidates.push_back({s, layout});
        query.slots.push_back(ethproof::MappingSlot(who, s, layout));
      }
    }
    auto proven = ProveAccounts({query}, pin);
    if (!proven) return proven.error();
    const EthWord wanted = WordOf(*holder);
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      if ((*proven)[0].slots[i].value == wanted) {
        slot = candidates[i];
        break;
      }
    }
    if (!slot) {
      return Error(source() + ": token " + token_hex +
                       ": no balances mapping at slots 0-255 (Solidity or Vyper) holds " + "balanceOf(" +
                       EthAddressToLowerHex(who) + ") = " + U128ToDecimal(*holder) +
                       ": give the asset's \"balance_slot\", or \"reads\":\"agreed\" for a token whose balances are "
                       "not storage words (rebasing)",
                   ProblemKind::kUnprovable);
    }
  }
  // One proof of the token account per batch of holders' entries.
  std::vector<EthProofQuery> queries;
  for (std::size_t begin = 0; begin < addresses.size(); begin += batch_size_) {
    EthProofQuery query{token, {}};
    for (std::size_t i = begin; i < std::min(addresses.size(), begin + batch_size_); ++i) {
      query.slots.push_back(ethproof::MappingSlot(addresses[i], slot->slot, slot->layout));
    }
    queries.push_back(std::move(query));
  }
  auto proven = ProveAccounts(queries, pin);
  if (!proven) return proven.error();
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    const EthWord& stored = (*proven)[i / batch_size_].slots[i % batch_size_].value;
    if (stored != WordOf((*balances)[i])) {
      return Error(source() + ": token " + token_hex + ": balanceOf(" + EthAddressToLowerHex(addresses[i]) +
                       ") answers " + U128ToDecimal((*balances)[i]) + ", but its balances entry (slot " +
                       std::to_string(slot->slot) + ", " + std::string(ToString(slot->layout)) + ") proves 0x" +
                       ToHex(stored),
                   ProblemKind::kProofMismatch);
    }
  }
  return balances;
}

Result<EthCallResult> EthereumClient::EthCall(const EthAddress& to, const Bytes& calldata, const EthBlockPin& pin) {
  if (Status s = CheckPin(pin); !s) return s.error();
  auto reply = rpc_.Call({"eth_call", CallParams(to, ToHex(calldata), pin)});
  if (!reply) return reply.error();
  auto out = DecodeCall(*reply, source() + " (eth_call)", pin);
  if (!out) return out.error();
  if (Status s = CheckPin(pin); !s) return s.error();
  return out;
}

// ---- contract state (vault and token rules) -------------------------------------------------------

Result<std::vector<RpcReply>> EthereumClient::PinnedBatch(const std::vector<RpcRequest>& requests,
                                                          const EthBlockPin& pin) {
  if (Status s = CheckPin(pin); !s) return s.error();
  auto replies = BatchAll(requests);
  if (!replies) return replies.error();
  if (Status s = CheckPin(pin); !s) return s.error();
  return replies;
}

Result<ethproof::ProvenHeader> EthereumClient::ProveHeader(const EthBlockPin& pin) {
  if (proven_header_ && proven_pin_ == pin.hash) return *proven_header_;
  const std::string origin = source() + " (eth_getBlockByHash " + pin.hash + ")";
  Hash256 expected{};
  if (pin.hash.size() != 66 || !FromHexExact(std::string_view(pin.hash).substr(2), expected)) {
    return Error{origin + ": malformed pinned hash"};
  }
  auto reply = rpc_.Call({"eth_getBlockByHash", "[" + Quoted(pin.hash) + ",false]"});
  if (!reply) return reply.error();
  if (reply->is_error) return Error{origin + ": " + reply->ShownError()};
  auto doc = ParseNodeJson(reply->result_json, origin);
  if (!doc) return doc.error();
  if ((*doc)->IsNull()) return Error{origin + ": the node does not know the pinned block"};
  auto header = ethproof::VerifyHeader(**doc, expected, origin);
  if (!header) return Error(header.error().message, ProblemKind::kProofMismatch);
  if (header->number != pin.number) {
    return Error{origin + ": the header is of block " + std::to_string(header->number) + ", pinned " +
                 std::to_string(pin.number)};
  }
  proven_header_ = *header;
  proven_pin_ = pin.hash;
  return *header;
}

Result<std::vector<ethproof::ProvenAccount>> EthereumClient::ProveAccounts(const std::vector<EthProofQuery>& queries,
                                                                           const EthBlockPin& pin) {
  auto header = ProveHeader(pin);
  if (!header) return header.error();
  std::vector<std::optional<ethproof::ProvenAccount>> accounts(queries.size());
  std::vector<RpcRequest> requests;
  std::vector<std::size_t> asked;  // the query of each request
  for (std::size_t i = 0; i < queries.size(); ++i) {
    const EthProofQuery& q = queries[i];
    // An account without slots proven already at this pin (by this source, for another read).
    if (q.slots.empty()) accounts[i] = proven_accounts_->Find(pin.hash, q.account);
    if (accounts[i]) continue;
    std::string slots;
    for (const auto& slot : q.slots) slots += (slots.empty() ? "" : ",") + Quoted("0x" + ToHex(slot));
    // EIP-1186 takes the EIP-1898 block parameter; the header check above already ties the hash.
    requests.push_back({"eth_getProof", "[" + Quoted(EthAddressToLowerHex(q.account)) + ",[" + slots + "]," +
                                            BlockParameter(pin) + "]"});
    asked.push_back(i);
  }
  auto replies = PinnedBatch(requests, pin);
  if (!replies) return replies.error();
  for (std::size_t r = 0; r < replies->size(); ++r) {
    const EthProofQuery& q = queries[asked[r]];
    const RpcReply& reply = (*replies)[r];
    const std::string origin = source() + " (eth_getProof " + EthAddressToLowerHex(q.account) + ")";
    if (reply.is_error) return StateReadError(origin, reply, pin);
    auto doc = ParseNodeJson(reply.result_json, origin);
    if (!doc) return doc.error();
    std::vector<ethproof::Word> slots(q.slots.begin(), q.slots.end());
    auto account = ethproof::VerifyAccountProof(**doc, header->state_root, q.account, slots, source());
    if (!account) return Error(account.error().message, ProblemKind::kProofMismatch);
    if (q.slots.empty()) proven_accounts_->Put(pin.hash, *account);
    accounts[asked[r]] = std::move(*account);
  }
  std::vector<ethproof::ProvenAccount> out;
  out.reserve(accounts.size());
  for (auto& account : accounts) out.push_back(std::move(*account));
  return out;
}

Result<std::vector<Bytes>> EthereumClient::Codes(const std::vector<EthAddress>& accounts, const EthBlockPin& pin) {
  auto codes = PlainCodes(accounts, pin);
  if (!codes || reads_ != EthReads::kProven) return codes;
  std::vector<EthProofQuery> queries;
  queries.reserve(accounts.size());
  for (const auto& a : accounts) queries.push_back({a, {}});
  auto proven = ProveAccounts(queries, pin);
  if (!proven) return proven.error();
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    if (Keccak256((*codes)[i]) != (*proven)[i].code_hash) {
      return Error(source() + " (eth_getCode " + EthAddressToLowerHex(accounts[i]) +
                       "): the code does not hash to the account's proven code hash 0x" + ToHex((*proven)[i].code_hash),
                   ProblemKind::kProofMismatch);
    }
  }
  return codes;
}

Result<std::vector<Bytes>> EthereumClient::PlainCodes(const std::vector<EthAddress>& accounts, const EthBlockPin& pin) {
  std::vector<RpcRequest> requests;
  requests.reserve(accounts.size());
  for (const auto& a : accounts) {
    requests.push_back({"eth_getCode", "[" + Quoted(EthAddressToLowerHex(a)) + "," + BlockParameter(pin) + "]"});
  }
  auto replies = PinnedBatch(requests, pin);
  if (!replies) return replies.error();
  std::vector<Bytes> codes;
  codes.reserve(replies->size());
  for (std::size_t i = 0; i < replies->size(); ++i) {
    const RpcReply& reply = (*replies)[i];
    const std::string origin = source() + " (eth_getCode " + EthAddressToLowerHex(accounts[i]) + ")";
    if (reply.is_error) return Error{origin + ": " + reply.error_message, ProblemKind::kRefusedByNode};
    auto text = StringResult(reply.result_json, origin);
    if (!text) return text.error();
    auto code = DataFromHex(*text);
    if (!code) return Error{origin + ": malformed code", ProblemKind::kMalformedAnswer};
    codes.push_back(std::move(*code));
  }
  return codes;
}

Result<std::vector<EthWord>> EthereumClient::ProvenStorageWords(const std::vector<EthStorageSlot>& slots,
                                                                const EthBlockPin& pin) {
  // One proof per account, with all its slots; the words go back in the order asked.
  std::vector<EthProofQuery> queries;
  std::map<EthAddress, std::size_t> query_of;
  std::vector<std::pair<std::size_t, std::size_t>> where;  // (query, slot index) of each input slot
  where.reserve(slots.size());
  for (const auto& s : slots) {
    auto [it, added] = query_of.emplace(s.account, queries.size());
    if (added) queries.push_back({s.account, {}});
    auto& query = queries[it->second];
    where.emplace_back(it->second, query.slots.size());
    query.slots.push_back(s.slot);
  }
  auto accounts = ProveAccounts(queries, pin);
  if (!accounts) return accounts.error();
  std::vector<EthWord> words;
  words.reserve(slots.size());
  for (const auto& [query, index] : where) words.push_back((*accounts)[query].slots[index].value);
  return words;
}

Result<std::vector<EthWord>> EthereumClient::StorageWords(const std::vector<EthStorageSlot>& slots,
                                                          const EthBlockPin& pin) {
  if (reads_ == EthReads::kProven) return ProvenStorageWords(slots, pin);
  std::vector<RpcRequest> requests;
  requests.reserve(slots.size());
  for (const auto& s : slots) {
    requests.push_back({"eth_getStorageAt", "[" + Quoted(EthAddressToLowerHex(s.account)) + "," +
                                                Quoted("0x" + ToHex(s.slot)) + "," + BlockParameter(pin) + "]"});
  }
  auto replies = PinnedBatch(requests, pin);
  if (!replies) return replies.error();
  std::vector<EthWord> words;
  words.reserve(replies->size());
  for (std::size_t i = 0; i < replies->size(); ++i) {
    const RpcReply& reply = (*replies)[i];
    const std::string origin = source() + " (eth_getStorageAt " + EthAddressToLowerHex(slots[i].account) + ")";
    if (reply.is_error) return Error{origin + ": " + reply.error_message, ProblemKind::kRefusedByNode};
    auto text = StringResult(reply.result_json, origin);
    if (!text) return text.error();
    auto word = WordFromHex(*text);
    if (!word) return Error{origin + ": expected a 32-byte storage word", ProblemKind::kMalformedAnswer};
    words.push_back(*word);
  }
  return words;
}

// ---- reads at an older block, by number ---------------------------------------------------------

Result<std::string> EthereumClient::ReadAtNumber(const RpcRequest& request, std::uint64_t number,
                                                 const std::string& origin) {
  auto reply = rpc_.Call(request);
  if (!reply) return reply.error();
  if (reply->is_error) {
    if (IsMissingStateError(reply->error_message)) {
      return Error{origin + ": the node no longer holds the state of block " + std::to_string(number) + " (\"" +
                       reply->ShownError() + "\"): an archive node is needed",
                   ProblemKind::kNotAtPin};
    }
    return Error{origin + ": " + reply->ShownError(), ProblemKind::kRefusedByNode};
  }
  return std::move(reply->result_json);
}

Result<EthWord> EthereumClient::StorageWordAtNumber(const EthStorageSlot& slot, std::uint64_t number) {
  const std::string origin = source() + " (eth_getStorageAt " + EthAddressToLowerHex(slot.account) + " at block " +
                             std::to_string(number) + ")";
  auto json =
      ReadAtNumber({"eth_getStorageAt", "[" + Quoted(EthAddressToLowerHex(slot.account)) + "," +
                                            Quoted("0x" + ToHex(slot.slot)) + "," + Quoted(Quantity(number)) + "]"},
                   number, origin);
  if (!json) return json.error();
  auto text = StringResult(*json, origin);
  if (!text) return text.error();
  auto word = WordFromHex(*text);
  if (!word) return Error{origin + ": expected a 32-byte storage word", ProblemKind::kMalformedAnswer};
  return *word;
}

Result<Bytes> EthereumClient::CodeAtNumber(const EthAddress& account, std::uint64_t number) {
  const std::string origin =
      source() + " (eth_getCode " + EthAddressToLowerHex(account) + " at block " + std::to_string(number) + ")";
  auto json =
      ReadAtNumber({"eth_getCode", "[" + Quoted(EthAddressToLowerHex(account)) + "," + Quoted(Quantity(number)) + "]"},
                   number, origin);
  if (!json) return json.error();
  auto text = StringResult(*json, origin);
  if (!text) return text.error();
  auto code = DataFromHex(*text);
  if (!code) return Error{origin + ": malformed code", ProblemKind::kMalformedAnswer};
  return std::move(*code);
}

Result<std::vector<EthLog>> EthereumClient::LogsInBlock(const EthAddress& address, const EthWord& topic0,
                                                        std::uint64_t number) {
  const std::string origin =
      source() + " (eth_getLogs " + EthAddressToLowerHex(address) + " in block " + std::to_string(number) + ")";
  const std::string block = Quoted(Quantity(number));
  auto json = ReadAtNumber({"eth_getLogs", "[{\"fromBlock\":" + block + ",\"toBlock\":" + block +
                                               ",\"address\":" + Quoted(EthAddressToLowerHex(address)) +
                                               ",\"topics\":[" + Quoted("0x" + ToHex(topic0)) + "]}]"},
                           number, origin);
  if (!json) return json.error();
  auto doc = ParseNodeJson(*json, origin);
  if (!doc) return doc.error();
  if (!(*doc)->IsArray()) return Error{origin + ": expected an array of logs", ProblemKind::kMalformedAnswer};
  std::vector<EthLog> logs;
  for (const JsonValue& entry : (*doc)->GetArray()) {
    auto log = DecodeLog(entry, origin);
    if (!log) return log.error();
    // The filter asked for this address and topic only: anything else is a node that does not
    // filter, whose other answers cannot be trusted either.
    if (log->address != address || log->topics.empty() || log->topics[0] != topic0) {
      return Error{origin + ": the node answered a log the filter excludes", ProblemKind::kMalformedAnswer};
    }
    logs.push_back(std::move(*log));
  }
  return logs;
}

Result<std::uint64_t> EthereumClient::LatestBlockNumber() {
  auto reply = rpc_.Call({"eth_blockNumber", "[]"});
  if (!reply) return reply.error();
  const std::string origin = source() + " (eth_blockNumber)";
  if (reply->is_error) return Error{origin + ": " + reply->error_message, ProblemKind::kRefusedByNode};
  auto text = StringResult(reply->result_json, origin);
  if (!text) return text.error();
  auto number = U128FromHexQuantity(*text);
  if (!number || *number > UINT64_MAX) return Error{origin + ": malformed block number", ProblemKind::kMalformedAnswer};
  return static_cast<std::uint64_t>(*number);
}

}  // namespace segverify::clients
