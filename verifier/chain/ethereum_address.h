// Ethereum addresses: "0x" + 40 hex digits, with the EIP-55 mixed-case checksum.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/evm.h"
#include "common/result.h"

namespace segverify::chain {

// Invariant: canonical == ToEip55(bytes).
struct EthereumAddress {
  EthAddress bytes{};
  std::string canonical;  // EIP-55 "0x..." form

  bool operator==(const EthereumAddress&) const = default;
};

// Accepts "0x"/"0X" + exactly 40 hex digits. All-lower and all-upper digits carry no checksum
// and are accepted; mixed case must be exactly the EIP-55 form, else Error ("EIP-55 checksum
// mismatch") — a typo in a checksummed address must not silently name another account.
[[nodiscard]] Result<EthereumAddress> DecodeEthereumAddress(std::string_view text);

// The EIP-55 checksummed form "0x..." of `bytes`.
std::string ToEip55(const EthAddress& bytes);

}  // namespace segverify::chain
