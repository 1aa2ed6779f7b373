// Pieces shared by the Bitcoin Core client's files (bitcoin_core_client.cpp, _scan.cpp,
// _history.cpp); not part of the clients library's interface.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "clients/bitcoin_types.h"
#include "clients/json_rpc.h"
#include "common/json.h"
#include "common/result.h"
#include "common/u128.h"

namespace segverify::clients {

// The "result" of a reply in exact-text mode (numbers kept as their literal text), or an Error
// naming `origin` with the node's message shown safely.
[[nodiscard]] Result<std::unique_ptr<JsonDocument>> CoreResult(const Result<RpcReply>& reply,
                                                               const std::string& origin);

// A JSON number kept as text (exact-text mode) → uint64; nullopt for anything else.
std::optional<std::uint64_t> CoreUint64(const JsonValue& value);

// ["addr(<address>)", ...] as JSON text; an Error for an address that is not plain alphanumeric
// (descriptor text goes into JSON and into Core's descriptor parser).
[[nodiscard]] Result<std::string> AddressDescriptors(const std::vector<BitcoinTarget>& targets);

// Each target's amount from sums keyed by lower-case scriptPubKey hex (0 when absent).
std::vector<u128> SumsByTarget(const std::vector<BitcoinTarget>& targets, const std::map<std::string, u128>& by_script);

}  // namespace segverify::clients
