// A block header checked against its hash: the fields of an eth_getBlockByHash answer,
// RLP-encoded in the order the chain's forks define, must Keccak-256 to the block hash. Only
// then is the header's stateRoot the root every account proof of that block is checked against.
//
// Field order (Ethereum Yellow Paper §4.3, then each fork's EIP appending its field):
// parentHash, sha3Uncles, miner, stateRoot, transactionsRoot, receiptsRoot, logsBloom,
// difficulty, number, gasLimit, gasUsed, timestamp, extraData, mixHash, nonce; London
// baseFeePerGas (EIP-1559); Shanghai withdrawalsRoot (EIP-4895); Cancun blobGasUsed,
// excessBlobGas (EIP-4844), parentBeaconBlockRoot (EIP-4788); Prague requestsHash (EIP-7685).
// Of the fork fields, those the answer has are encoded, in that order. Other members of the
// answer (hash, size, totalDifficulty, transactions, withdrawals, uncles, an L2's extras) are not
// header fields.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "common/hex.h"
#include "common/json.h"
#include "common/result.h"
#include "common/sha256.h"

namespace segverify::ethproof {

struct ProvenHeader {
  Hash256 hash{};
  std::uint64_t number = 0;
  std::uint64_t timestamp = 0;
  Hash256 state_root{};
};

// The RLP header of an eth_getBlockByHash(H, false) answer (`block`: its "result" object). Errors
// name the field ("<origin>: result.stateRoot: expected 32 bytes of hex").
[[nodiscard]] Result<Bytes> EncodeHeader(const JsonValue& block, const std::string& origin);

// EncodeHeader, then Keccak-256 must equal `expected_hash`; else an Error saying the header does
// not hash to the block hash (what a node answering another block, or altering a field, gives).
[[nodiscard]] Result<ProvenHeader> VerifyHeader(const JsonValue& block, const Hash256& expected_hash,
                                                const std::string& origin);

// Chains whose headers hash as above, by chain id, each with the reason in header.cpp; nullopt
// for the others (their reads can only be agreed, never proven).
std::optional<std::string> KnownHeaderEncoding(std::uint64_t chain_id);

}  // namespace segverify::ethproof
