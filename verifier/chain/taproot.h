// Taproot outputs (BIP-341) and who can spend them: the commitment of an output key to an internal
// key and a script tree, and the keys of the tapscript leaves whose shape says who signs.
//
// A key-path BIP-322 proof shows only the tweaked output key Q = P + t·G. Who else can spend the
// output — the holder of the internal key P, or the signers of any leaf of the tree committed in t —
// is only known from a disclosure of P and the tree, checked here against Q (docs/FORMAT.md §7,
// docs/DESIGN.md §Taproot).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/hashes.h"
#include "common/hex.h"
#include "common/result.h"

namespace segverify::chain {

using XOnlyKey = std::array<std::uint8_t, 32>;

// BIP-342: leaf version 0xc0 is tapscript; other versions have no defined meaning yet.
inline constexpr std::uint8_t kTapscriptLeafVersion = 0xc0;

struct TapLeaf {
  std::uint8_t version = kTapscriptLeafVersion;  // even, as BIP-341 requires (the low bit is the parity)
  Bytes script;

  bool operator==(const TapLeaf&) const = default;
};

// A script tree: a leaf, or a branch of two subtrees (BIP-341 "Constructing and spending Taproot
// outputs"). Invariant (kept by whoever builds it, checked by the config parser): exactly one of
// `leaf` is set or `branches` holds two trees.
struct TapTree {
  std::optional<TapLeaf> leaf;
  std::vector<TapTree> branches;

  bool operator==(const TapTree&) const = default;
};

// BIP-341 depth limit of a script tree (control blocks hold at most 128 nodes).
inline constexpr std::size_t kTapTreeMaxDepth = 128;

// How a P2TR output can be spent, as its owner discloses it: the internal key and the script tree
// (none: no script path, as BIP-86 outputs).
struct TaprootDisclosure {
  XOnlyKey internal_key{};
  std::optional<TapTree> tree;

  bool operator==(const TaprootDisclosure&) const = default;
};

// TaggedHash("TapLeaf", version || compact_size(len) || script).
Hash256 TapLeafHash(std::uint8_t version, std::span<const std::uint8_t> script);
// TaggedHash("TapBranch", min(a, b) || max(a, b)): children in lexicographic order.
Hash256 TapBranchHash(const Hash256& a, const Hash256& b);
// TaggedHash("TapTweak", internal_key || merkle_root), or of the internal key alone without a tree.
Hash256 TapTweakHash(std::span<const std::uint8_t, 32> internal_key, const std::optional<Hash256>& merkle_root);
// The Merkle root of a tree: a leaf's TapLeafHash, a branch's TapBranchHash of its children's.
Hash256 TapTreeHash(const TapTree& tree);

// The x-only output key internal_key + TapTweak(internal_key || root)·G (BIP-341 taproot_tweak_pubkey),
// computed by libsecp256k1's extrakeys module. nullopt when `internal_key` is not the x coordinate
// of a curve point (or, with negligible probability, the tweak is out of range).
std::optional<XOnlyKey> TaprootOutputKey(const TaprootDisclosure& disclosure);

// Every leaf of `tree`, depth first, left before right (the order the config lists them).
std::vector<const TapLeaf*> TapLeaves(const TapTree& tree);

// Who can spend a tapscript leaf: `threshold` signatures of distinct `keys` (32-byte x-only).
struct TapscriptPolicy {
  int threshold = 0;
  std::vector<Bytes> keys;

  bool operator==(const TapscriptPolicy&) const = default;
};

// The two leaf shapes whose signers are known from the script alone (BIP-342 semantics):
//  - `<32-byte key> OP_CHECKSIG` → 1 of that key;
//  - miniscript's multi_a, `<key1> OP_CHECKSIG <key2> OP_CHECKSIGADD ... <keyn> OP_CHECKSIGADD <k>
//    OP_NUMEQUAL` with 1 <= k <= n <= 999 and k a minimal number push → k of the n keys.
// Every key a direct 32-byte push of a valid x-only key. Any other script or a leaf version other
// than tapscript's → Error naming why: callers must not guess who controls such a leaf.
[[nodiscard]] Result<TapscriptPolicy> KeysInTapscript(const TapLeaf& leaf);

}  // namespace segverify::chain
