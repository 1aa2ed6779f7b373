// Signature hashes for segwit inputs: BIP-143 (witness v0, ECDSA) and BIP-341 (taproot key path).
//
// Only the hash types BIP-322 permits are implemented (SIGHASH_ALL; for taproot also
// SIGHASH_DEFAULT). Anything else is refused by the callers before a hash is computed, so these
// functions never silently compute a hash for a type they do not implement.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/hex.h"
#include "common/sha256.h"
#include "verifier/chain/bitcoin_tx.h"

namespace segverify::chain {

inline constexpr std::uint8_t kSighashDefault = 0x00;  // taproot only: same as ALL, 64-byte signature
inline constexpr std::uint8_t kSighashAll = 0x01;

// BIP-143 SIGHASH_ALL digest for input `input_index` of `tx`, which spends an output of `amount`
// satoshi; `script_code` is the scriptCode (P2WPKH: the P2PKH script of the key hash; P2WSH: the
// witness script). Precondition: input_index < tx.inputs.size().
Hash256 SegwitV0SighashAll(const Transaction& tx, std::size_t input_index, std::span<const std::uint8_t> script_code,
                           std::uint64_t amount);

// BIP-341 key-path digest (ext_flag 0) for input `input_index`, with hash_type kSighashDefault or
// kSighashAll. `spent_outputs` are the outputs every input spends, in input order (amounts and
// scriptPubKeys are committed to). `annex` is the annex including its 0x50 byte, if the witness
// has one. Preconditions: spent_outputs.size() == tx.inputs.size(), input_index in range,
// hash_type is one of the two above.
Hash256 TaprootKeyPathSighash(const Transaction& tx, std::size_t input_index, std::span<const TxOut> spent_outputs,
                              std::uint8_t hash_type, const std::optional<Bytes>& annex);

}  // namespace segverify::chain
