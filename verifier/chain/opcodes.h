// The Bitcoin script opcodes that address and script code reads or writes (values from Bitcoin
// Core's script/script.h). Depends on nothing, so every file of verifier/chain may use it.
#pragma once

#include <cstdint>

namespace segverify::chain {

inline constexpr std::uint8_t kOp0 = 0x00;
inline constexpr std::uint8_t kOp1 = 0x51;  // OP_1..OP_16 are 0x51..0x60
inline constexpr std::uint8_t kOp16 = 0x60;
inline constexpr std::uint8_t kOpDup = 0x76;
inline constexpr std::uint8_t kOpEqual = 0x87;
inline constexpr std::uint8_t kOpEqualVerify = 0x88;
inline constexpr std::uint8_t kOpHash160 = 0xa9;
inline constexpr std::uint8_t kOpCheckSig = 0xac;
inline constexpr std::uint8_t kOpCheckMultisig = 0xae;

// OP_n for n in 1..16 (precondition).
inline constexpr std::uint8_t SmallIntegerOpcode(int n) { return static_cast<std::uint8_t>(kOp1 + n - 1); }
inline constexpr bool IsSmallIntegerOpcode(std::uint8_t op) { return op >= kOp1 && op <= kOp16; }
// n for OP_n (precondition: IsSmallIntegerOpcode(op)).
inline constexpr int SmallIntegerValue(std::uint8_t op) { return op - kOp1 + 1; }

}  // namespace segverify::chain
