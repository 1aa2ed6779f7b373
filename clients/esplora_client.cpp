#include "clients/esplora_client.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <utility>

#include "clients/ascii.h"
#include "clients/first_error.h"
#include "clients/node_text.h"
#include "common/json.h"

namespace segverify::clients {
namespace {

// The most transactions one block can hold: its weight limit (4,000,000, BIP-141 "Block size")
// over the weight of the smallest transaction consensus allows (60 bytes without witness: version,
// one input with an empty script, one output with an empty script, lock time; weight 240). More
// at one height in a history is a lie, and bounds what the repeat check keeps.
constexpr std::size_t kMaxTransactionsPerBlock = 4'000'000 / 240;

// Txids of the history read so far that a later page could still repeat. The history comes newest
// first (Esplora API.md, GET /address/:address/txs/chain), so a transaction already read can only
// come again at the lowest height seen so far: only that height's txids are kept, and a history
// going back up in height is refused. Memory is bounded by one block's transactions however long
// the history (a source paging forever is bounded by the run's deadline instead).
class RepeatCheck {
 public:
  // `height` is empty for a transaction the source says is unconfirmed (never counted).
  std::optional<std::string> Add(const std::string& txid, std::optional<std::uint64_t> height) {
    if (height && lowest_ && *height > *lowest_) {
      return "block " + std::to_string(*height) + " after block " + std::to_string(*lowest_) +
             ": the history is not newest first";
    }
    if (height && (!lowest_ || *height < *lowest_)) {
      lowest_ = height;
      txids_.clear();
    }
    if (!txids_.insert(txid).second) return std::string("repeated in the history");
    if (txids_.size() > kMaxTransactionsPerBlock) {
      return "more than " + std::to_string(kMaxTransactionsPerBlock) + " transactions in one block";
    }
    return std::nullopt;
  }

 private:
  std::optional<std::uint64_t> lowest_;
  std::set<std::string> txids_;
};

struct Flows {
  u128 received = 0;
  u128 spent = 0;
};

// Adds one transaction's outputs to and spends from `script` if it confirmed at or below `pin`.
// Returns the block height it confirmed at, or none when unconfirmed (for the repeat check).
Result<std::optional<std::uint64_t>> AddTransaction(const JsonValue& tx, const std::string& origin,
                                                    const std::string& path, const std::string& script,
                                                    std::uint64_t pin, Flows& flows) {
  JsonObjectReader reader(tx, origin, path);
  auto status = reader.Object("status");
  if (!status) return status.error();
  JsonObjectReader st(**status, origin, JsonField(path, "status"));
  auto confirmed = st.Bool("confirmed");
  if (!confirmed) return confirmed.error();
  if (!*confirmed) return std::optional<std::uint64_t>();
  auto height = st.Uint64("block_height");
  if (!height) return height.error();
  if (*height > pin) return std::optional<std::uint64_t>(*height);

  auto vout = reader.Array("vout");
  if (!vout) return vout.error();
  std::size_t i = 0;
  for (const auto& out : (*vout)->GetArray()) {
    JsonObjectReader o(out, origin, JsonIndex(JsonField(path, "vout"), i++));
    auto spk = o.String("scriptpubkey");
    auto value = o.Uint64("value");
    if (auto e = FirstError(spk, value)) return *e;
    if (AsciiLower(*spk) == script) flows.received += *value;
  }
  auto vin = reader.Array("vin");
  if (!vin) return vin.error();
  i = 0;
  for (const auto& in : (*vin)->GetArray()) {
    std::string in_path = JsonIndex(JsonField(path, "vin"), i++);
    JsonObjectReader input(in, origin, in_path);
    if (Status s = input.CheckIsObject(); !s) return s.error();
    // A coinbase input spends nothing (its "prevout" is null). Any other input without its
    // prevout cannot be judged: it may spend from `script`, so the read fails rather than count
    // a spent coin (Esplora API.md, "Transaction format": vin[].prevout, vin[].is_coinbase).
    auto coinbase = input.Bool("is_coinbase");
    if (!coinbase) return coinbase.error();
    if (*coinbase) continue;
    if (!input.Has("prevout")) {
      Error missing = input.ObjectError("an input that is not a coinbase has no prevout");
      missing.kind = ProblemKind::kMalformedAnswer;
      return missing;
    }
    auto prevout = input.Object("prevout");
    if (!prevout) return prevout.error();
    JsonObjectReader p(**prevout, origin, JsonField(in_path, "prevout"));
    auto spk = p.String("scriptpubkey");
    auto value = p.Uint64("value");
    if (auto e = FirstError(spk, value)) return *e;
    if (AsciiLower(*spk) == script) flows.spent += *value;
  }
  return std::optional<std::uint64_t>(*height);
}

}  // namespace

EsploraClient::EsploraClient(std::unique_ptr<Transport> transport) : transport_(std::move(transport)) {}

Result<std::string> EsploraClient::GetText(const std::string& path, bool allow_not_found, bool& not_found) {
  not_found = false;
  auto answer = transport_->Get(path);
  if (!answer) return answer.error();
  // A web page where the API should be (mempool.space without /api): never "block N does not
  // exist yet" for a 404 page.
  // Esplora's own answers are JSON or text/plain (a block hash, a height): only a page is another kind.
  if (IsHtml(*answer)) {
    return Error{source() + " (GET " + path + "): " + NotThatApi("an Esplora API", *answer), ProblemKind::kWrongApi};
  }
  if (allow_not_found && answer->status == 404) {
    not_found = true;
    return std::string();
  }
  if (answer->status != 200) {
    const bool redirect = answer->status >= 300 && answer->status < 400;
    return Error{source() + " (GET " + path + "): HTTP status " + std::to_string(answer->status) +
                     (redirect ? " (redirects are not followed)" : ""),
                 ProblemKind::kWrongApi};
  }
  return std::move(answer->body);
}

Result<std::string> EsploraClient::BlockHash(std::uint64_t height) {
  std::string path = "/block-height/" + std::to_string(height);
  bool not_found = false;
  auto text = GetText(path, true, not_found);
  if (!text) return text.error();
  if (not_found)
    return Error{source() + ": block " + std::to_string(height) + " does not exist yet", ProblemKind::kNotAtPin};
  if (!IsBlockHashHex(*text))
    return Error{source() + " (GET " + path + "): malformed block hash", ProblemKind::kMalformedAnswer};
  return AsciiLower(*text);
}

Result<BitcoinBlockHeader> EsploraClient::PinBlock(std::uint64_t height) {
  auto hash = BlockHash(height);
  if (!hash) return hash.error();
  // https://github.com/Blockstream/esplora/blob/master/API.md "GET /block/:hash": "timestamp".
  const std::string path = "/block/" + *hash;
  bool not_found = false;
  auto text = GetText(path, false, not_found);
  if (!text) return text.error();
  const std::string origin = source() + " (GET " + path + ")";
  auto doc = ParseJson(*text, origin);
  if (!doc) return doc.error();
  JsonObjectReader block(**doc, origin, "");
  auto id = block.String("id");
  auto reported_height = block.Uint64("height");
  auto timestamp = block.Uint64("timestamp");
  if (auto e = FirstError(id, reported_height, timestamp)) return *e;
  if (Status s = CheckHeaderIsBlock(*id, *reported_height, *hash, height, origin); !s) return s.error();
  return BitcoinBlockHeader{std::move(*hash), *timestamp};
}

Result<u128> EsploraClient::BalanceOf(const BitcoinTarget& target, const BitcoinBlockPin& pin) {
  if (!IsPlainAlnum(target.address))
    return Error{"address " + target.address + ": not a plain Bitcoin address", ProblemKind::kInput};
  std::string script = AsciiLower(target.script_pubkey_hex);
  std::string base = "/address/" + target.address + "/txs/chain";
  std::string path = base;
  RepeatCheck repeats;
  std::uint64_t pages = 0;
  std::uint64_t transactions = 0;
  Flows flows;
  while (true) {
    bool not_found = false;
    auto text = GetText(path, false, not_found);
    if (!text) {
      if (pages == 0) return text.error();
      // What was left: the rest of this address's history (a deadline passing, a source gone).
      return text.error().Rephrased(text.error().message + " (history of " + target.address + ": stopped after " +
                                    std::to_string(pages) + " pages, " + std::to_string(transactions) +
                                    " transactions)");
    }
    ++pages;
    std::string origin = source() + " (GET " + path + ")";
    auto doc = ParseJson(*text, origin);
    if (!doc) return doc.error();
    if (!(*doc)->IsArray()) return Error{origin + ": expected an array of transactions", ProblemKind::kMalformedAnswer};
    const auto& page = (*doc)->GetArray();
    std::string last_txid;
    for (rapidjson::SizeType i = 0; i < page.Size(); ++i) {
      std::string tx_path = JsonIndex("", i);
      JsonObjectReader tx(page[i], origin, tx_path);
      auto txid = tx.String("txid");
      if (!txid) return txid.error();
      if (!IsBlockHashHex(*txid)) return tx.FieldError("txid", "not 64 hex digits");
      auto height = AddTransaction(page[i], origin, tx_path, script, pin.height, flows);
      if (!height) return height.error();
      if (auto wrong = repeats.Add(AsciiLower(*txid), *height)) {
        Error error = tx.FieldError("txid", *wrong);
        error.kind = ProblemKind::kMalformedAnswer;
        return error;
      }
      ++transactions;
      last_txid = AsciiLower(*txid);
    }
    if (page.Empty()) break;
    path = base + "/" + last_txid;
  }
  if (flows.spent > flows.received) {
    return Error{source() + ": history of " + target.address + " spends more than it received",
                 ProblemKind::kMalformedAnswer};
  }
  return flows.received - flows.spent;
}

Result<std::vector<u128>> EsploraClient::Balances(const std::vector<BitcoinTarget>& targets,
                                                  const BitcoinBlockPin& pin) {
  auto check_pin = [&]() -> Status {
    auto hash = BlockHash(pin.height);
    if (!hash) return hash.error();
    if (*hash != pin.hash) {
      return Error{source() + ": block " + std::to_string(pin.height) + " has hash " + *hash + ", pinned " + pin.hash,
                   ProblemKind::kNotAtPin};
    }
    return Status::Ok();
  };
  if (Status s = check_pin(); !s) return s.error();
  std::vector<u128> balances;
  balances.reserve(targets.size());
  for (const auto& target : targets) {
    auto balance = BalanceOf(target, pin);
    if (!balance) return balance.error();
    balances.push_back(*balance);
  }
  if (Status s = check_pin(); !s) return s.error();
  return balances;
}

}  // namespace segverify::clients
