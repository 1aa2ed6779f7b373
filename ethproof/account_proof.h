// EIP-1186 (https://eips.ethereum.org/EIPS/eip-1186): an eth_getProof answer verified against a
// block's stateRoot. The account is the value under Keccak-256(address) in the state trie,
// RLP [nonce, balance, storageRoot, codeHash]; each storage slot the value under
// Keccak-256(slot) in the account's storage trie, RLP of the word without leading zeros. Absent
// accounts and slots are proven absent (zero). The answer's plain fields (balance, nonce,
// codeHash, storageHash, each slot's value) must equal what its proofs prove, whichever way they
// differ: a node that says one thing and proves another is not to be believed on either.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "common/evm.h"
#include "common/json.h"
#include "common/result.h"
#include "common/sha256.h"

namespace segverify::ethproof {

using Word = std::array<std::uint8_t, 32>;  // a 256-bit big-endian value, or a storage slot

struct ProvenSlot {
  Word slot{};
  Word value{};  // zero when the slot is proven absent
};

struct ProvenAccount {
  EthAddress address{};
  bool exists = false;  // false: proven absent (everything below is the empty account's)
  std::uint64_t nonce = 0;
  Word balance{};
  Hash256 code_hash{};            // Keccak-256 of the code; of no bytes for an account without code
  Hash256 storage_root{};         // the empty trie's root for an account without storage
  std::vector<ProvenSlot> slots;  // in the order asked
  std::size_t proof_bytes = 0;    // the proof nodes' total size (account and storage)
};

// The storage slot of `key`'s entry in a mapping declared at slot `slot`: Solidity places it at
// keccak256(pad32(key) ‖ pad32(slot)) (Solidity docs, "Layout of State Variables in Storage",
// mappings), Vyper at keccak256(pad32(slot) ‖ pad32(key)) (Vyper docs, "Storage layout").
enum class MappingLayout { kSolidity, kVyper };
Word MappingSlot(const EthAddress& key, std::uint64_t slot, MappingLayout layout);

// Keccak-256 of no bytes: the code hash of an account without code.
const Hash256& EmptyCodeHash();

// Verifies `answer` (eth_getProof's "result") for `address` and exactly `slots` (in that order)
// against `state_root`. Errors say which proof or which plain field does not check.
[[nodiscard]] Result<ProvenAccount> VerifyAccountProof(const JsonValue& answer, const Hash256& state_root,
                                                       const EthAddress& address, const std::vector<Word>& slots,
                                                       const std::string& origin);

}  // namespace segverify::ethproof
