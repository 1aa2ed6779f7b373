// Bitcoin Core: balances at a height below the tip, from block filters (docs/DESIGN.md
// §Bitcoin history).
//
// RPC shapes, from Bitcoin Core 29.0's help (https://bitcoincore.org/en/doc/29.0.0/rpc/blockchain/):
// - scanblocks "start" [scanobjects] start_height stop_height → {"from_height","to_height",
//   "relevant_blocks":[hash],"completed":bool}. Without the index: RPC_MISC_ERROR (-1) "Index is not
//   enabled for filtertype basic" (src/rpc/blockchain.cpp). Block filters may match blocks that hold
//   none of the scripts (BIP-158 false positives): such a block simply shows no activity below.
// - getdescriptoractivity [blockhashes] [scanobjects] include_mempool → {"activity":[
//   {"type":"spend","amount","blockhash","height","spend_txid","spend_vin","prevout_txid",
//    "prevout_vout","prevout_spk":{"hex",...}} | {"type":"receive","amount","blockhash","height",
//    "txid","vout","output_spk":{"hex",...}}]}; "Method not found" (-32601) before Core 29.
// - getindexinfo "basic block filter index" → {"basic block filter index":{"synced":bool,
//   "best_block_height":N}}, or {} without the index. scanblocks reads filters only as far as the
//   index has reached and still answers "completed": true for the blocks beyond
//   (https://github.com/bitcoin/bitcoin/pull/35837, open as of Core 29): a spend in a block above
//   the index's height would go unseen and the coin would still count. So the index's height is
//   asked first and must reach the pin.
// - getblock hash 3 → the block with "height", "confirmations" (-1 off the main chain) and "tx"
//   objects whose "vin" entries carry "prevout" {"value","scriptPubKey":{"hex"}} (coinbase inputs
//   have "coinbase" instead), "vout" entries {"value","n","scriptPubKey":{"hex"}}.
#include <map>
#include <set>
#include <utility>

#include "clients/ascii.h"
#include "clients/bitcoin_core_client.h"
#include "clients/bitcoin_core_rpc.h"
#include "clients/first_error.h"

namespace segverify::clients {
namespace {

// The outputs received by and the spends from the target scripts, over the scanned blocks.
class Ledger {
 public:
  Ledger(const std::vector<BitcoinTarget>& targets, std::string origin) : origin_(std::move(origin)) {
    for (const auto& t : targets) wanted_.insert(AsciiLower(t.script_pubkey_hex));
  }

  bool Wants(const std::string& script) const { return wanted_.count(script) != 0; }

  Status Receive(const std::string& txid, std::uint64_t vout, const std::string& script, u128 sats) {
    if (!received_.emplace(Outpoint(txid, vout), Output{script, sats}).second) {
      return Error{origin_ + ": output " + Outpoint(txid, vout) + " reported twice", ProblemKind::kMalformedAnswer};
    }
    return Status::Ok();
  }

  Status Spend(const std::string& txid, std::uint64_t vout, const std::string& script, u128 sats) {
    if (!spent_.emplace(Outpoint(txid, vout), Output{script, sats}).second) {
      return Error{origin_ + ": output " + Outpoint(txid, vout) + " spent twice", ProblemKind::kMalformedAnswer};
    }
    return Status::Ok();
  }

  // Received minus spent, per script. Every spend must be of an output received in the scanned
  // blocks, with the same script and amount: scanblocks covered every block from 0 to the pin,
  // so an output spent by then was created in a block it named.
  Result<std::map<std::string, u128>> Balances() const {
    std::map<std::string, u128> by_script;
    for (const auto& [outpoint, output] : received_) by_script[output.script] += output.sats;
    for (const auto& [outpoint, output] : spent_) {
      auto it = received_.find(outpoint);
      if (it == received_.end() || it->second.script != output.script || it->second.sats != output.sats) {
        return Error{origin_ + ": spend of " + outpoint + " matches no output received in the scanned blocks",
                     ProblemKind::kMalformedAnswer};
      }
      by_script[output.script] -= output.sats;
    }
    return by_script;
  }

 private:
  struct Output {
    std::string script;
    u128 sats = 0;
  };
  static std::string Outpoint(const std::string& txid, std::uint64_t vout) { return txid + ":" + std::to_string(vout); }

  std::string origin_;
  std::set<std::string> wanted_;
  std::map<std::string, Output> received_;
  std::map<std::string, Output> spent_;
};

// Reads the fields of one output or prevout: its script's hex and its amount.
struct ScriptAmount {
  std::string script;
  u128 sats = 0;
};

Result<ScriptAmount> ReadScriptAmount(const JsonObjectReader& reader, const char* script_key, const char* amount_key) {
  auto spk = reader.Object(script_key);
  auto amount = reader.Member(amount_key);
  if (auto e = FirstError(spk, amount)) return *e;
  JsonObjectReader s(**spk, reader.origin(), JsonField(reader.path(), script_key));
  auto hex = s.String("hex");
  if (!hex) return hex.error();
  auto sats = (*amount)->IsString() ? SatoshisFromBtcText((*amount)->GetString()) : std::nullopt;
  if (!sats) return reader.FieldError(amount_key, "not a BTC amount with at most 8 decimals");
  return ScriptAmount{AsciiLower(*hex), *sats};
}

Result<std::string> ReadTxid(const JsonObjectReader& reader, const char* key) {
  auto txid = reader.String(key);
  if (!txid) return txid.error();
  if (!IsBlockHashHex(*txid)) return reader.FieldError(key, "not 64 hex digits");
  return AsciiLower(*txid);
}

// A block reported by the node must be one of those asked for, at or below the pin.
Status CheckBlock(const JsonObjectReader& reader, const std::set<std::string>& asked, std::uint64_t pin_height) {
  auto hash = reader.String(reader.Has("blockhash") ? "blockhash" : "hash");
  auto height = reader.Member("height");
  if (auto e = FirstError(hash, height)) return *e;
  if (!asked.count(AsciiLower(*hash))) return reader.ObjectError("a block that was not asked for");
  auto h = CoreUint64(**height);
  if (!h || *h > pin_height) return reader.FieldError("height", "not a height at or below the pin");
  return Status::Ok();
}

Status AddActivity(const JsonObjectReader& reader, const std::set<std::string>& asked, std::uint64_t pin_height,
                   Ledger& ledger) {
  if (Status s = CheckBlock(reader, asked, pin_height); !s) return s;
  auto type = reader.String("type");
  if (!type) return type.error();
  const bool receive = *type == "receive";
  if (!receive && *type != "spend") return reader.FieldError("type", "expected spend or receive");
  auto txid = ReadTxid(reader, receive ? "txid" : "prevout_txid");
  auto vout = reader.Member(receive ? "vout" : "prevout_vout");
  auto output = ReadScriptAmount(reader, receive ? "output_spk" : "prevout_spk", "amount");
  if (auto e = FirstError(txid, vout, output)) return *e;
  auto index = CoreUint64(**vout);
  if (!index) return reader.FieldError(receive ? "vout" : "prevout_vout", "expected an output index");
  if (!ledger.Wants(output->script)) return reader.ObjectError("activity for a script that was not asked for");
  return receive ? ledger.Receive(*txid, *index, output->script, output->sats)
                 : ledger.Spend(*txid, *index, output->script, output->sats);
}

// One transaction of `getblock HASH 3`: its outputs to and its inputs from the target scripts.
Status AddTransaction(const JsonObjectReader& tx, Ledger& ledger) {
  auto txid = ReadTxid(tx, "txid");
  auto vin = tx.Array("vin");
  auto vout = tx.Array("vout");
  if (auto e = FirstError(txid, vin, vout)) return *e;
  std::size_t i = 0;
  for (const auto& out : (*vout)->GetArray()) {
    JsonObjectReader o(out, tx.origin(), JsonIndex(JsonField(tx.path(), "vout"), i));
    auto n = o.Member("n");
    auto output = ReadScriptAmount(o, "scriptPubKey", "value");
    if (auto e = FirstError(n, output)) return *e;
    if (CoreUint64(**n) != std::optional<std::uint64_t>(i)) return o.FieldError("n", "not the output's index");
    if (ledger.Wants(output->script)) {
      if (Status s = ledger.Receive(*txid, i, output->script, output->sats); !s) return s;
    }
    ++i;
  }
  i = 0;
  for (const auto& in : (*vin)->GetArray()) {
    JsonObjectReader input(in, tx.origin(), JsonIndex(JsonField(tx.path(), "vin"), i++));
    if (Status s = input.CheckIsObject(); !s) return s;
    if (input.Has("coinbase")) continue;  // creates coins, spends none
    if (!input.Has("prevout")) {
      return input.ObjectError("no prevout: getblock verbosity 3 needs Bitcoin Core 23 or later with undo data");
    }
    auto spent_txid = ReadTxid(input, "txid");
    auto spent_vout = input.Member("vout");
    auto prevout = input.Object("prevout");
    if (auto e = FirstError(spent_txid, spent_vout, prevout)) return *e;
    JsonObjectReader p(**prevout, tx.origin(), JsonField(input.path(), "prevout"));
    auto output = ReadScriptAmount(p, "scriptPubKey", "value");
    if (!output) return output.error();
    auto index = CoreUint64(**spent_vout);
    if (!index) return input.FieldError("vout", "expected an output index");
    if (ledger.Wants(output->script)) {
      if (Status s = ledger.Spend(*spent_txid, *index, output->script, output->sats); !s) return s;
    }
  }
  return Status::Ok();
}

std::string HashList(const std::vector<std::string>& hashes, std::size_t begin, std::size_t end) {
  std::string out = "[";
  for (std::size_t i = begin; i < end; ++i) out += (i > begin ? ",\"" : "\"") + hashes[i] + "\"";
  return out + "]";
}

constexpr const char* kFilterIndexName = "basic block filter index";

}  // namespace

Status BitcoinCoreClient::CheckFilterIndexReaches(const BitcoinBlockPin& pin, const std::string& why) {
  const std::string origin = source() + " (getindexinfo)";
  auto reply = rpc_.Call({"getindexinfo", std::string("[\"") + kFilterIndexName + "\"]"});
  if (reply && reply->is_error && reply->error_code == kRpcMethodNotFound) {
    return Error{why +
                     "this node has no getindexinfo (Bitcoin Core 25 or later, started with -blockfilterindex=1, "
                     "is needed)",
                 ProblemKind::kIndexBehind};
  }
  auto result = CoreResult(reply, origin);
  if (!result) return result.error();
  JsonObjectReader reader(**result, origin, "result");
  if (Status s = reader.CheckIsObject(); !s) return s;
  if (!reader.Has(kFilterIndexName)) {
    return Error{
        why + "the node has no block filter index (restart it with -blockfilterindex=1 and let the index sync)",
        ProblemKind::kIndexBehind};
  }
  auto index = reader.Object(kFilterIndexName);
  if (!index) return index.error();
  JsonObjectReader info(**index, origin, JsonField("result", kFilterIndexName));
  auto best = info.Member("best_block_height");
  if (!best) return best.error();
  auto height = CoreUint64(**best);
  if (!height) return info.FieldError("best_block_height", "not a block height");
  if (*height < pin.height) {
    return Error{why + "the node's block filter index has reached height " + std::to_string(*height) +
                     " only, below the pinned height " + std::to_string(pin.height) +
                     " (scanblocks would skip the blocks in between and still say it completed); let the index sync",
                 ProblemKind::kIndexBehind};
  }
  return Status::Ok();
}

Result<std::vector<std::string>> BitcoinCoreClient::RelevantBlocks(const std::string& descriptors,
                                                                   const BitcoinBlockPin& pin) {
  const std::string origin = source() + " (scanblocks)";
  const std::string why = source() + ": cannot read balances at height " + std::to_string(pin.height) +
                          " below the node's tip without block filters: ";
  if (Status s = CheckFilterIndexReaches(pin, why); !s) return s.error();
  auto reply = StartScanOnce("scanblocks", "[\"start\"," + descriptors + ",0," + std::to_string(pin.height) + "]");
  if (reply && reply->is_error && reply->error_code == kRpcMethodNotFound) {
    return Error{
        why + "this node has no scanblocks (Bitcoin Core 25 or later, started with -blockfilterindex=1, is needed)",
        ProblemKind::kIndexBehind};
  }
  if (reply && reply->is_error && reply->error_message.find("Index is not enabled") != std::string::npos) {
    return Error{
        why + "the node has no block filter index (restart it with -blockfilterindex=1 and let the index sync)",
        ProblemKind::kIndexBehind};
  }
  auto result = CoreResult(reply, origin);
  if (!result) return result.error();
  JsonObjectReader reader(**result, origin, "result");
  auto from = reader.Member("from_height");
  auto to = reader.Member("to_height");
  auto completed = reader.Bool("completed");
  auto relevant = reader.Array("relevant_blocks");
  if (auto e = FirstError(from, to, completed, relevant)) return *e;
  if (!*completed) return Error{origin + ": the scan did not complete (was it aborted?)", ProblemKind::kRefusedByNode};
  if (CoreUint64(**from) != std::optional<std::uint64_t>(0) ||
      CoreUint64(**to) != std::optional<std::uint64_t>(pin.height)) {
    return Error{origin + ": the node scanned another range than 0.." + std::to_string(pin.height),
                 ProblemKind::kMalformedAnswer};
  }
  std::vector<std::string> hashes;
  std::set<std::string> seen;
  for (const auto& hash : (*relevant)->GetArray()) {
    if (!hash.IsString() || !IsBlockHashHex(hash.GetString()))
      return reader.FieldError("relevant_blocks", "not a block hash");
    std::string lower = AsciiLower(hash.GetString());
    if (seen.insert(lower).second) hashes.push_back(std::move(lower));
  }
  return hashes;
}

Result<std::vector<u128>> BitcoinCoreClient::BalancesAtPastHeight(const std::vector<BitcoinTarget>& targets,
                                                                  const BitcoinBlockPin& pin) {
  auto descriptors = AddressDescriptors(targets);
  if (!descriptors) return descriptors.error();
  auto blocks = RelevantBlocks(*descriptors, pin);
  if (!blocks) return blocks.error();

  Ledger ledger(targets, source());
  bool activity_rpc = true;  // getdescriptoractivity until the node says it has none
  const std::size_t chunk = std::max<std::size_t>(1, options_.activity_blocks_per_call);
  for (std::size_t begin = 0; begin < blocks->size() && activity_rpc; begin += chunk) {
    const std::size_t end = std::min(blocks->size(), begin + chunk);
    const std::set<std::string> asked(blocks->begin() + static_cast<std::ptrdiff_t>(begin),
                                      blocks->begin() + static_cast<std::ptrdiff_t>(end));
    const std::string origin = source() + " (getdescriptoractivity)";
    auto reply =
        rpc_.Call({"getdescriptoractivity", "[" + HashList(*blocks, begin, end) + "," + *descriptors + ",false]"});
    if (reply && reply->is_error && reply->error_code == kRpcMethodNotFound) {
      if (begin != 0)
        return Error{origin + ": the method disappeared in the middle of the read", ProblemKind::kRefusedByNode};
      activity_rpc = false;
      break;
    }
    auto result = CoreResult(reply, origin);
    if (!result) return result.error();
    JsonObjectReader reader(**result, origin, "result");
    auto activity = reader.Array("activity");
    if (!activity) return activity.error();
    std::size_t i = 0;
    for (const auto& event : (*activity)->GetArray()) {
      JsonObjectReader e(event, origin, JsonIndex("result.activity", i++));
      if (Status s = AddActivity(e, asked, pin.height, ledger); !s) return s.error();
    }
  }
  if (!activity_rpc) {
    // Core before 29: every relevant block whole, with its inputs' prevouts.
    for (const std::string& hash : *blocks) {
      const std::string origin = source() + " (getblock " + hash + ")";
      auto block = CoreResult(rpc_.Call({"getblock", "[\"" + hash + "\",3]"}), origin);
      if (!block) return block.error();
      JsonObjectReader reader(**block, origin, "result");
      if (Status s = CheckBlock(reader, {hash}, pin.height); !s) return s.error();
      auto confirmations = reader.Member("confirmations");
      auto txs = reader.Array("tx");
      if (auto e = FirstError(confirmations, txs)) return *e;
      if (!(*confirmations)->IsString() || std::string_view((*confirmations)->GetString()).substr(0, 1) == "-") {
        return reader.FieldError("confirmations", "the block is not on the node's main chain");
      }
      std::size_t i = 0;
      for (const auto& tx : (*txs)->GetArray()) {
        if (Status s = AddTransaction(JsonObjectReader(tx, origin, JsonIndex("result.tx", i++)), ledger); !s) {
          return s.error();
        }
      }
    }
  }
  auto by_script = ledger.Balances();
  if (!by_script) return by_script.error();

  // The pinned block must still be the node's block at that height after the reads.
  auto hash = BlockHash(pin.height);
  if (!hash) return hash.error();
  if (*hash != pin.hash) {
    return Error{source() + ": block " + std::to_string(pin.height) + " changed to " + *hash +
                     " during the read, pinned " + pin.hash,
                 ProblemKind::kNotAtPin};
  }
  return SumsByTarget(targets, *by_script);
}

}  // namespace segverify::clients
