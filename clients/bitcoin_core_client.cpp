#include "clients/bitcoin_core_client.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <utility>

#include "clients/ascii.h"
#include "clients/first_error.h"

namespace segverify::clients {
namespace {

// In exact-text mode every JSON number arrives as a string holding its literal.
std::optional<std::uint64_t> Uint64Text(const JsonValue& value) {
  if (!value.IsString()) return std::nullopt;
  std::string_view s(value.GetString(), value.GetStringLength());
  auto v = U128FromDecimal(s);
  if (!v || *v > UINT64_MAX) return std::nullopt;
  return static_cast<std::uint64_t>(*v);
}

// The "result" of a reply in exact-text mode, or an Error naming the source and method.
Result<std::unique_ptr<JsonDocument>> ResultOf(const Result<RpcReply>& reply, const std::string& origin) {
  if (!reply) return reply.error();
  if (reply->is_error) return Error{origin + ": " + reply->error_message};
  return ParseNodeJson(reply->result_json, origin, RpcNumbers::kExactText);
}

}  // namespace

BitcoinCoreClient::BitcoinCoreClient(std::unique_ptr<Transport> transport)
    : rpc_(std::move(transport), RpcNumbers::kExactText) {}

Result<std::string> BitcoinCoreClient::BlockHash(std::uint64_t height) {
  std::string origin = source() + " (getblockhash)";
  auto reply = rpc_.Call({"getblockhash", "[" + std::to_string(height) + "]"});
  // Core: RPC_INVALID_PARAMETER (-8) "Block height out of range" beyond the tip.
  if (reply && reply->is_error && reply->error_code == -8) {
    return Error{source() + ": block " + std::to_string(height) + " does not exist yet"};
  }
  auto hash_doc = ResultOf(reply, origin);
  if (!hash_doc) return hash_doc.error();
  if (!(*hash_doc)->IsString() || !IsBlockHashHex((*hash_doc)->GetString())) {
    return Error{origin + ": malformed block hash"};
  }
  std::string hash = AsciiLower((*hash_doc)->GetString());

  std::string header_origin = source() + " (getblockheader)";
  auto header = ResultOf(rpc_.Call({"getblockheader", "[\"" + hash + "\",true]"}), header_origin);
  if (!header) return header.error();
  JsonObjectReader reader(**header, header_origin, "result");
  auto reported_hash = reader.String("hash");
  auto reported_height = reader.Member("height");
  if (auto e = FirstError(reported_hash, reported_height)) return *e;
  if (AsciiLower(*reported_hash) != hash || Uint64Text(**reported_height) != std::optional<std::uint64_t>(height)) {
    return Error{header_origin + ": header does not match block " + std::to_string(height) + " " + hash};
  }
  return hash;
}

Result<std::vector<u128>> BitcoinCoreClient::Balances(const std::vector<BitcoinTarget>& targets,
                                                      const BitcoinBlockPin& pin) {
  std::vector<u128> sums(targets.size(), 0);
  if (targets.empty()) return sums;
  std::multimap<std::string, std::size_t> index_by_script;
  std::string descriptors = "[";
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const auto& t = targets[i];
    // Descriptor text is inserted into JSON: refuse anything but plain address characters.
    if (!IsPlainAlnum(t.address)) return Error{"address " + t.address + ": not a plain Bitcoin address"};
    if (i) descriptors += ',';
    descriptors += "\"addr(" + t.address + ")\"";
    index_by_script.emplace(AsciiLower(t.script_pubkey_hex), i);
  }
  descriptors += "]";

  std::string origin = source() + " (scantxoutset)";
  auto result = ResultOf(rpc_.Call({"scantxoutset", "[\"start\"," + descriptors + "]"}), origin);
  if (!result) return result.error();
  JsonObjectReader reader(**result, origin, "result");
  auto success = reader.Bool("success");
  auto height = reader.Member("height");
  auto bestblock = reader.String("bestblock");
  auto unspents = reader.Array("unspents");
  auto total = reader.Member("total_amount");
  if (auto e = FirstError(success, height, bestblock, unspents, total)) return *e;
  if (!*success) return Error{origin + ": scan did not complete (success: false)"};
  auto tip = Uint64Text(**height);
  if (!tip) return reader.FieldError("height", "expected a non-negative integer");
  if (*tip != pin.height || AsciiLower(*bestblock) != pin.hash) {
    return Error{origin + ": node tip is height " + std::to_string(*tip) + " " + *bestblock +
                 ", not the pinned " + std::to_string(pin.height) + " " + pin.hash +
                 ": scantxoutset cannot read balances at the pinned height"};
  }

  u128 sum_all = 0;
  std::size_t n = 0;
  for (const auto& unspent : (*unspents)->GetArray()) {
    JsonObjectReader u(unspent, origin, JsonIndex("result.unspents", n++));
    auto script = u.String("scriptPubKey");
    auto amount = u.Member("amount");
    if (auto e = FirstError(script, amount)) return *e;
    auto sats = (*amount)->IsString() ? SatoshisFromBtcText((*amount)->GetString()) : std::nullopt;
    if (!sats) return u.FieldError("amount", "not a BTC amount with at most 8 decimals");
    auto range = index_by_script.equal_range(AsciiLower(*script));
    if (range.first == range.second) return u.FieldError("scriptPubKey", "matches none of the scanned addresses");
    for (auto it = range.first; it != range.second; ++it) sums[it->second] += *sats;
    sum_all += *sats;  // at most 21e6 BTC per unspent: no overflow in any realistic count
  }
  auto total_sats = (*total)->IsString() ? SatoshisFromBtcText((*total)->GetString()) : std::nullopt;
  if (!total_sats || *total_sats != sum_all) {
    return reader.FieldError("total_amount", "does not equal the sum of the unspents");
  }
  return sums;
}

}  // namespace segverify::clients
