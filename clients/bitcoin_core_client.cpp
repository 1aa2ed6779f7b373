#include "clients/bitcoin_core_client.h"

#include <map>
#include <set>
#include <utility>

#include "clients/ascii.h"
#include "clients/bitcoin_core_rpc.h"
#include "clients/first_error.h"
#include "clients/node_text.h"

namespace segverify::clients {

Result<std::unique_ptr<JsonDocument>> CoreResult(const Result<RpcReply>& reply, const std::string& origin) {
  if (!reply) return reply.error();
  if (reply->is_error) return Error{origin + ": " + reply->ShownError(), ProblemKind::kRefusedByNode};
  return ParseNodeJson(reply->result_json, origin, RpcNumbers::kExactText);
}

std::optional<std::uint64_t> CoreUint64(const JsonValue& value) {
  if (!value.IsString()) return std::nullopt;
  return Uint64FromDecimalText(std::string_view(value.GetString(), value.GetStringLength()));
}

Result<std::string> AddressDescriptors(const std::vector<BitcoinTarget>& targets) {
  std::string descriptors = "[";
  for (std::size_t i = 0; i < targets.size(); ++i) {
    // Descriptor text is inserted into JSON: refuse anything but plain address characters.
    if (!IsPlainAlnum(targets[i].address))
      return Error{"address " + targets[i].address + ": not a plain Bitcoin address", ProblemKind::kInput};
    if (i) descriptors += ',';
    descriptors += "\"addr(" + targets[i].address + ")\"";
  }
  return descriptors + "]";
}

std::vector<u128> SumsByTarget(const std::vector<BitcoinTarget>& targets,
                               const std::map<std::string, u128>& by_script) {
  std::vector<u128> sums(targets.size(), 0);
  for (std::size_t i = 0; i < targets.size(); ++i) {
    auto it = by_script.find(AsciiLower(targets[i].script_pubkey_hex));
    if (it != by_script.end()) sums[i] = it->second;
  }
  return sums;
}

BitcoinCoreClient::BitcoinCoreClient(std::unique_ptr<Transport> transport, BitcoinCoreOptions options)
    : rpc_(std::move(transport), RpcNumbers::kExactText), options_(options) {}

Result<std::string> BitcoinCoreClient::BlockHash(std::uint64_t height) {
  auto header = PinBlock(height);
  if (!header) return header.error();
  return std::move(header->hash);
}

Result<BitcoinBlockHeader> BitcoinCoreClient::PinBlock(std::uint64_t height) {
  std::string origin = source() + " (getblockhash)";
  auto reply = rpc_.Call({"getblockhash", "[" + std::to_string(height) + "]"});
  // Core: RPC_INVALID_PARAMETER (-8) "Block height out of range" beyond the tip.
  if (reply && reply->is_error && reply->error_code == -8) {
    return Error{source() + ": block " + std::to_string(height) + " does not exist yet", ProblemKind::kNotAtPin};
  }
  auto hash_doc = CoreResult(reply, origin);
  if (!hash_doc) return hash_doc.error();
  if (!(*hash_doc)->IsString() || !IsBlockHashHex((*hash_doc)->GetString())) {
    return Error{origin + ": malformed block hash", ProblemKind::kMalformedAnswer};
  }
  BitcoinBlockHeader out;
  out.hash = AsciiLower((*hash_doc)->GetString());

  // help: getblockheader (https://bitcoincore.org/en/doc/29.0.0/rpc/blockchain/getblockheader/):
  // "time": the block time expressed in UNIX epoch time.
  std::string header_origin = source() + " (getblockheader)";
  auto header = CoreResult(rpc_.Call({"getblockheader", "[\"" + out.hash + "\",true]"}), header_origin);
  if (!header) return header.error();
  JsonObjectReader reader(**header, header_origin, "result");
  auto reported_hash = reader.String("hash");
  auto reported_height = reader.Member("height");
  auto time = reader.Member("time");
  if (auto e = FirstError(reported_hash, reported_height, time)) return *e;
  if (Status s = CheckHeaderIsBlock(*reported_hash, CoreUint64(**reported_height), out.hash, height, header_origin);
      !s) {
    return s.error();
  }
  auto seconds = CoreUint64(**time);
  if (!seconds) return reader.FieldError("time", "expected a non-negative integer");
  out.time = *seconds;
  return out;
}

Result<std::uint64_t> BitcoinCoreClient::TipHeight() {
  std::string origin = source() + " (getblockcount)";
  auto count = CoreResult(rpc_.Call({"getblockcount", "[]"}), origin);
  if (!count) return count.error();
  auto tip = CoreUint64(**count);
  if (!tip) return Error{origin + ": expected a block height", ProblemKind::kMalformedAnswer};
  return *tip;
}

Result<std::vector<u128>> BitcoinCoreClient::Balances(const std::vector<BitcoinTarget>& targets,
                                                      const BitcoinBlockPin& pin) {
  if (targets.empty()) return std::vector<u128>{};
  auto tip = TipHeight();
  if (!tip) return tip.error();
  if (*tip < pin.height)
    return Error{source() + ": block " + std::to_string(pin.height) + " does not exist yet", ProblemKind::kNotAtPin};
  if (*tip == pin.height) {
    auto at_tip = BalancesAtTip(targets, pin);
    if (!at_tip) return at_tip.error();
    if (*at_tip) return std::move(**at_tip);
  }
  return BalancesAtPastHeight(targets, pin);
}

Result<std::optional<std::vector<u128>>> BitcoinCoreClient::BalancesAtTip(const std::vector<BitcoinTarget>& targets,
                                                                          const BitcoinBlockPin& pin) {
  auto descriptors = AddressDescriptors(targets);
  if (!descriptors) return descriptors.error();
  std::string origin = source() + " (scantxoutset)";
  // help: scantxoutset (https://bitcoincore.org/en/doc/29.0.0/rpc/blockchain/scantxoutset/).
  auto result = CoreResult(StartScanOnce("scantxoutset", "[\"start\"," + *descriptors + "]"), origin);
  if (!result) return result.error();
  JsonObjectReader reader(**result, origin, "result");
  auto success = reader.Bool("success");
  auto height = reader.Member("height");
  auto bestblock = reader.String("bestblock");
  auto unspents = reader.Array("unspents");
  auto total = reader.Member("total_amount");
  if (auto e = FirstError(success, height, bestblock, unspents, total)) return *e;
  if (!*success)
    return Error{origin + ": scan did not complete (success: false; was it aborted?)", ProblemKind::kRefusedByNode};
  auto scanned_height = CoreUint64(**height);
  if (!scanned_height) return reader.FieldError("height", "expected a non-negative integer");
  if (*scanned_height > pin.height) return std::optional<std::vector<u128>>();  // the tip moved: read the past
  if (*scanned_height != pin.height || AsciiLower(*bestblock) != pin.hash) {
    return Error{origin + ": node scanned height " + std::to_string(*scanned_height) + " " + ShowNodeText(*bestblock) +
                     ", not the pinned " + std::to_string(pin.height) + " " + pin.hash,
                 ProblemKind::kNotAtPin};
  }

  std::map<std::string, u128> by_script;
  std::set<std::string> wanted;
  for (const auto& t : targets) wanted.insert(AsciiLower(t.script_pubkey_hex));
  u128 sum_all = 0;
  std::size_t n = 0;
  for (const auto& unspent : (*unspents)->GetArray()) {
    JsonObjectReader u(unspent, origin, JsonIndex("result.unspents", n++));
    auto script = u.String("scriptPubKey");
    auto amount = u.Member("amount");
    if (auto e = FirstError(script, amount)) return *e;
    auto sats = (*amount)->IsString() ? SatoshisFromBtcText((*amount)->GetString()) : std::nullopt;
    if (!sats) return u.FieldError("amount", "not a BTC amount with at most 8 decimals");
    const std::string key = AsciiLower(*script);
    if (!wanted.count(key)) return u.FieldError("scriptPubKey", "matches none of the scanned addresses");
    by_script[key] += *sats;  // at most 21e6 BTC per unspent: no overflow in any realistic count
    sum_all += *sats;
  }
  auto total_sats = (*total)->IsString() ? SatoshisFromBtcText((*total)->GetString()) : std::nullopt;
  if (!total_sats || *total_sats != sum_all) {
    return reader.FieldError("total_amount", "does not equal the sum of the unspents");
  }
  return std::optional<std::vector<u128>>(SumsByTarget(targets, by_script));
}

}  // namespace segverify::clients
