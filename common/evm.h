// EVM value types shared by the node clients (which read balances and make calls) and the chain
// library (which checks ERC-1271 signatures and vault policies): an account address, and what an
// eth_call answered.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/hex.h"

namespace segverify {

using EthAddress = std::array<std::uint8_t, 20>;

// "0x"/"0X" + exactly 40 hex digits, either case; nullopt otherwise. This reads the bytes only:
// the EIP-55 checksum of mixed-case text is the address codec's job (verifier/chain), which uses
// this for the hex and then checks the letter case.
std::optional<EthAddress> ParseEthAddressHex(std::string_view text);
std::string EthAddressToLowerHex(const EthAddress& address);  // "0x" + 40 lower-case hex digits

// ABI encoding of one static value as a 32-byte word appended to `out` (Solidity ABI spec, "Formal
// Specification of the Encoding"): an unsigned integer left-padded with zeros, an address likewise.
void AppendAbiUintWord(Bytes& out, std::uint64_t value);
void AppendAbiAddressWord(Bytes& out, const EthAddress& address);

// An eth_call that executed: either it returned data or it reverted. A revert is an answer (e.g.
// an ERC-1271 wallet rejecting a signature), distinct from a transport failure (an Error).
enum class EthCallOutcome { kReturned, kReverted };
struct EthCallResult {
  EthCallOutcome outcome = EthCallOutcome::kReturned;
  Bytes data;  // return data, or the revert data when the node gives it

  bool operator==(const EthCallResult&) const = default;
};

}  // namespace segverify
