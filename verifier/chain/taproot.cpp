#include "verifier/chain/taproot.h"

#include <algorithm>
#include <string>

#include "verifier/chain/bitcoin_tx.h"
#include "verifier/chain/opcodes.h"
#include "verifier/chain/signature_checks.h"

namespace segverify::chain {
namespace {

// BIP-342 opcodes of the multi_a shape.
constexpr std::uint8_t kOpNumEqual = 0x9c;
constexpr std::uint8_t kOpCheckSigAdd = 0xba;
constexpr std::uint8_t kXOnlyPush = 32;  // direct push of a 32-byte key
// miniscript's multi_a limit: at most 999 keys (BIP-342 bounds a script by its signature budget).
constexpr int kMaxMultiAKeys = 999;

void CollectLeaves(const TapTree& tree, std::vector<const TapLeaf*>& out) {
  if (tree.leaf) {
    out.push_back(&*tree.leaf);
    return;
  }
  for (const TapTree& branch : tree.branches) CollectLeaves(branch, out);
}

// Reads `<32-byte key> OPCODE` at `pos`; appends the key and advances past the opcode.
bool ReadKeyThen(std::span<const std::uint8_t> script, std::size_t& pos, std::uint8_t opcode,
                 std::vector<Bytes>& keys) {
  if (script.size() - pos < 1 + kXOnlyPush + 1 || script[pos] != kXOnlyPush) return false;
  const auto key = script.subspan(pos + 1, kXOnlyPush);
  if (script[pos + 1 + kXOnlyPush] != opcode) return false;
  keys.emplace_back(key.begin(), key.end());
  pos += 1 + kXOnlyPush + 1;
  return true;
}

// A minimally encoded positive script number (OP_1..OP_16, or a 1-2 byte push of a value above 16,
// as BIP-342's MINIMALDATA rule requires) at `pos`; nullopt otherwise. Advances past it.
std::optional<int> ReadSmallNumber(std::span<const std::uint8_t> script, std::size_t& pos) {
  if (pos >= script.size()) return std::nullopt;
  if (IsSmallIntegerOpcode(script[pos])) return SmallIntegerValue(script[pos++]);
  const std::uint8_t size = script[pos];
  if (size < 1 || size > 2 || script.size() - pos - 1 < size) return std::nullopt;
  const auto bytes = script.subspan(pos + 1, size);
  // Little endian, the top bit of the last byte is the sign; minimal: no needless last byte.
  if (bytes.back() & 0x80) return std::nullopt;
  if (size == 2 && bytes[1] == 0 && !(bytes[0] & 0x80)) return std::nullopt;
  const int value = size == 1 ? bytes[0] : bytes[0] | (bytes[1] << 8);
  if (value <= 16) return std::nullopt;  // OP_0..OP_16 are the minimal encodings of those
  pos += 1 + size;
  return value;
}

}  // namespace

Hash256 TapLeafHash(std::uint8_t version, std::span<const std::uint8_t> script) {
  Bytes data{version};
  AppendCompactSize(data, script.size());
  data.insert(data.end(), script.begin(), script.end());
  return TaggedHash("TapLeaf", data);
}

Hash256 TapBranchHash(const Hash256& a, const Hash256& b) {
  const bool a_first = std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
  std::array<std::uint8_t, 64> pair{};
  std::copy(a.begin(), a.end(), pair.begin() + (a_first ? 0 : 32));
  std::copy(b.begin(), b.end(), pair.begin() + (a_first ? 32 : 0));
  return TaggedHash("TapBranch", pair);
}

Hash256 TapTweakHash(std::span<const std::uint8_t, 32> internal_key, const std::optional<Hash256>& merkle_root) {
  Bytes data(internal_key.begin(), internal_key.end());
  if (merkle_root) data.insert(data.end(), merkle_root->begin(), merkle_root->end());
  return TaggedHash("TapTweak", data);
}

Hash256 TapTreeHash(const TapTree& tree) {
  if (tree.leaf) return TapLeafHash(tree.leaf->version, tree.leaf->script);
  return TapBranchHash(TapTreeHash(tree.branches.at(0)), TapTreeHash(tree.branches.at(1)));
}

std::optional<XOnlyKey> TaprootOutputKey(const TaprootDisclosure& disclosure) {
  const std::optional<Hash256> root =
      disclosure.tree ? std::optional<Hash256>(TapTreeHash(*disclosure.tree)) : std::nullopt;
  return TweakXOnlyKey(disclosure.internal_key, TapTweakHash(disclosure.internal_key, root));
}

std::vector<const TapLeaf*> TapLeaves(const TapTree& tree) {
  std::vector<const TapLeaf*> out;
  CollectLeaves(tree, out);
  return out;
}

Result<TapscriptPolicy> KeysInTapscript(const TapLeaf& leaf) {
  if (leaf.version != kTapscriptLeafVersion) {
    return Error{"leaf version " + std::to_string(leaf.version) + " is not tapscript (192)"};
  }
  const std::span<const std::uint8_t> script = leaf.script;
  TapscriptPolicy policy;
  std::size_t pos = 0;
  if (!ReadKeyThen(script, pos, kOpCheckSig, policy.keys)) {
    return Error{
        "the leaf is neither <key> OP_CHECKSIG nor a multi_a k-of-n (it does not start with a 32-byte key "
        "and OP_CHECKSIG)"};
  }
  if (pos == script.size()) {
    policy.threshold = 1;
  } else {
    while (ReadKeyThen(script, pos, kOpCheckSigAdd, policy.keys)) {
    }
    const auto k = ReadSmallNumber(script, pos);
    if (!k || pos + 1 != script.size() || script[pos] != kOpNumEqual) {
      return Error{
          "the leaf is neither <key> OP_CHECKSIG nor a multi_a k-of-n (<key> OP_CHECKSIG <key> "
          "OP_CHECKSIGADD ... <k> OP_NUMEQUAL)"};
    }
    if (*k > static_cast<int>(policy.keys.size()) || policy.keys.size() > static_cast<std::size_t>(kMaxMultiAKeys)) {
      return Error{"multi_a threshold " + std::to_string(*k) + " of " + std::to_string(policy.keys.size()) +
                   " keys is not 1 <= k <= n <= 999"};
    }
    policy.threshold = *k;
  }
  for (std::size_t i = 0; i < policy.keys.size(); ++i) {
    if (!IsValidXOnlyKey(policy.keys[i])) {
      return Error{"key " + std::to_string(i + 1) + " of the leaf is not a valid x-only key"};
    }
  }
  return policy;
}

}  // namespace segverify::chain
