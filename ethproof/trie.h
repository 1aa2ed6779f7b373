// Merkle-Patricia trie proofs (Ethereum Yellow Paper, Appendix D; EIP-1186 eth_getProof): the
// nodes on the path from a root hash to a key, each node's Keccak-256 being the reference its
// parent holds. A proof shows the key's value, or that the key is absent (the path ends at an
// empty branch slot or at a leaf or extension whose path diverges).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/hex.h"
#include "common/result.h"
#include "common/sha256.h"

namespace segverify::ethproof {

// Keccak-256 of RLP("") (0x56e81f17...b421): the root of an empty trie.
const Hash256& EmptyTrieRoot();

// Walks `key` (the trie's path bytes: for Ethereum's state and storage tries, Keccak-256 of the
// address or the 32-byte slot) from `root` through `proof` (the RLP nodes, root first). Returns
// the value stored under the key (the leaf's raw bytes), std::nullopt when the proof shows the key
// is absent, or an Error naming the first node that does not check (wrong hash, malformed RLP,
// a node kind that is neither branch, extension nor leaf, a proof too short or with unused nodes).
// Nodes under 32 bytes are embedded in their parent rather than referenced by hash; both forms
// are followed.
[[nodiscard]] Result<std::optional<Bytes>> VerifyTrieProof(const Hash256& root, std::span<const std::uint8_t> key,
                                                           const std::vector<Bytes>& proof);

}  // namespace segverify::ethproof
