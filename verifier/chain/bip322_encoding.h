// BIP-322 (version 2.0.0) building blocks: the message hash, the virtual to_spend / to_sign
// transactions, and the decoding of a signature text into its variant.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/hex.h"
#include "common/result.h"
#include "common/sha256.h"
#include "verifier/chain/bitcoin_tx.h"

namespace segverify::chain {

// TaggedHash("BIP0322-signed-message", message), the message as-is (no length prefix).
Hash256 Bip322MessageHash(std::string_view message);

// to_spend: version 0, one input spending 000…000:0xFFFFFFFF with scriptSig OP_0 PUSH32[message_hash]
// and nSequence 0, one output of 0 sat paying `message_challenge` (the address's scriptPubKey),
// lock time 0.
Transaction BuildToSpend(const Hash256& message_hash, std::span<const std::uint8_t> message_challenge);

// The to_sign of the simple variant: version 0, one input spending to_spend:0 with empty scriptSig,
// nSequence 0 and `witness`, one output of 0 sat paying OP_RETURN, lock time 0.
Transaction BuildToSign(const Hash256& to_spend_txid, std::vector<Bytes> witness);

enum class Bip322Variant {
  kSimple,        // "smp" prefix, or no prefix (pre-2.0.0 signatures): a witness stack
  kFull,          // "ful": a whole to_sign transaction
  kProofOfFunds,  // "pof": a finalized PSBT (not verified here)
};

struct Bip322Signature {
  Bip322Variant variant = Bip322Variant::kSimple;
  bool prefixed = false;
  Bytes payload;  // the base64-decoded bytes after the prefix
};

// Splits off the variant prefix and decodes the strict base64 rest.
//
// Ambiguity: an unprefixed base64 text may itself begin with "smp"/"ful"/"pof". Padded base64 has
// a length that is a multiple of 4, and the prefix is 3 characters, so exactly one reading can
// have a valid length: a text starting with a prefix is prefixed iff (length - 3) % 4 == 0,
// otherwise it is read as unprefixed simple. (BIP-322's own vectors all use padded base64.)
[[nodiscard]] Result<Bip322Signature> DecodeBip322Signature(std::string_view text);

}  // namespace segverify::chain
