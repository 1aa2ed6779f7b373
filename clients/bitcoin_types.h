// Types shared by the Bitcoin clients (Bitcoin Core RPC and Esplora).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/u128.h"

namespace segverify::clients {

// A block pinned by height and hash (64 lower-case hex digits, display byte order, no "0x").
struct BitcoinBlockPin {
  std::uint64_t height = 0;
  std::string hash;
};

// A block's hash and its header's timestamp (seconds since 1970, UTC).
struct BitcoinBlockHeader {
  std::string hash;
  std::uint64_t time = 0;
};

// An address to read, with its output script. Balances are matched by scriptPubKey (exact
// bytes), never by the node's rendering of the address; the caller derives script_pubkey_hex
// with the address codec.
struct BitcoinTarget {
  std::string address;            // as the node knows it (canonical form)
  std::string script_pubkey_hex;  // lower-case hex
};

// Bitcoin amount as JSON number text ("0.00012345", "21", "1e-8" is refused) → satoshis.
// At most 8 fractional digits, no sign, no exponent, at most 21e6 BTC. Never goes through a
// double. nullopt on anything else.
std::optional<u128> SatoshisFromBtcText(std::string_view text);

// True for 64 hex digits (either case).
bool IsBlockHashHex(std::string_view text);

// Decimal digits (a JSON number kept as text) → uint64; nullopt for anything else.
std::optional<std::uint64_t> Uint64FromDecimalText(std::string_view text);

// The header a node answered for the block it named as `hash` at `height` must be that block: its
// hash (either case) and its height (nullopt: not a height). Anything else is a kProofMismatch
// naming `origin` and the block, whichever client asked (Bitcoin Core's getblockheader, Esplora's
// GET /block/:hash).
[[nodiscard]] Status CheckHeaderIsBlock(std::string_view reported_hash, std::optional<std::uint64_t> reported_height,
                                        const std::string& hash, std::uint64_t height, const std::string& origin);

}  // namespace segverify::clients
