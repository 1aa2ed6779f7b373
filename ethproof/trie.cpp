#include "ethproof/trie.h"

#include <algorithm>
#include <string>

#include "common/hashes.h"
#include "ethproof/rlp.h"

namespace segverify::ethproof {
namespace {

std::vector<std::uint8_t> Nibbles(std::span<const std::uint8_t> key) {
  std::vector<std::uint8_t> out;
  out.reserve(key.size() * 2);
  for (std::uint8_t b : key) {
    out.push_back(static_cast<std::uint8_t>(b >> 4));
    out.push_back(static_cast<std::uint8_t>(b & 0x0f));
  }
  return out;
}

// Hex-prefix encoding (Yellow Paper, Appendix C): the first nibble's bit 1 says leaf (else
// extension), bit 0 odd length; an even path carries a zero nibble after the flag.
struct HexPrefixPath {
  bool leaf = false;
  std::vector<std::uint8_t> nibbles;
};

Result<HexPrefixPath> DecodeHexPrefix(std::span<const std::uint8_t> encoded) {
  if (encoded.empty()) return Error{"empty hex-prefix path"};
  const std::uint8_t flag = static_cast<std::uint8_t>(encoded[0] >> 4);
  if (flag > 3) return Error{"hex-prefix flag " + std::to_string(flag) + " is not 0-3"};
  HexPrefixPath path;
  path.leaf = (flag & 2) != 0;
  if (flag & 1) {
    path.nibbles.push_back(static_cast<std::uint8_t>(encoded[0] & 0x0f));
  } else if ((encoded[0] & 0x0f) != 0) {
    return Error{"even hex-prefix path with a non-zero padding nibble"};
  }
  auto rest = Nibbles(encoded.subspan(1));
  path.nibbles.insert(path.nibbles.end(), rest.begin(), rest.end());
  return path;
}

// What a parent holds for a child: a 32-byte hash, or (under 32 bytes) the child node itself.
struct ChildRef {
  bool embedded = false;
  Hash256 hash{};
  std::span<const std::uint8_t> node;  // when embedded
};

Result<ChildRef> ReadChild(const RlpItem& item) {
  if (item.is_list) {
    if (item.encoded.size() >= 32) return Error{"an embedded node of 32 bytes or more (must be hashed)"};
    return ChildRef{true, {}, item.encoded};
  }
  if (item.payload.size() != 32) return Error{"a child reference of " + std::to_string(item.payload.size()) + " bytes"};
  ChildRef ref;
  std::copy(item.payload.begin(), item.payload.end(), ref.hash.begin());
  return ref;
}

}  // namespace

const Hash256& EmptyTrieRoot() {
  static const Hash256 root = Keccak256(RlpEncodeString({}));
  return root;
}

Result<std::optional<Bytes>> VerifyTrieProof(const Hash256& root, std::span<const std::uint8_t> key,
                                             const std::vector<Bytes>& proof) {
  const std::vector<std::uint8_t> nibbles = Nibbles(key);
  std::size_t depth = 0;  // nibbles of the key consumed
  std::size_t used = 0;   // proof nodes consumed
  ChildRef next{false, root, {}};
  // An empty trie has no nodes: its only proof is none at all (or the empty node 0x80 itself).
  if (root == EmptyTrieRoot() && (proof.empty() || (proof.size() == 1 && proof[0] == Bytes{0x80}))) {
    return std::optional<Bytes>();
  }
  auto done = [&](std::optional<Bytes> value) -> Result<std::optional<Bytes>> {
    if (used != proof.size()) {
      return Error{"trie proof: " + std::to_string(proof.size() - used) + " nodes after the end of the path"};
    }
    return value;
  };
  for (;;) {
    std::span<const std::uint8_t> encoded;
    if (next.embedded) {
      encoded = next.node;
    } else {
      if (used == proof.size()) return Error{"trie proof: ends after " + std::to_string(used) + " nodes, path goes on"};
      const Bytes& node = proof[used];
      if (Keccak256(node) != next.hash) {
        return Error{"trie proof: node " + std::to_string(used) + " does not hash to the reference " +
                     (used == 0 ? "(the root)" : "in node " + std::to_string(used - 1))};
      }
      encoded = node;
      ++used;
    }
    const std::string where = "trie proof: node " + std::to_string(used == 0 ? 0 : used - 1) + ": ";
    auto item = RlpDecode(encoded);
    if (!item) return Error{where + item.error().message};
    auto fields = RlpListItems(*item);
    if (!fields) return Error{where + fields.error().message};
    if (fields->size() == 17) {  // branch: 16 children and a value
      if (depth == nibbles.size()) {
        const RlpItem& value = (*fields)[16];
        if (value.is_list) return Error{where + "branch value is a list"};
        if (value.payload.empty()) return done(std::nullopt);
        return done(Bytes(value.payload.begin(), value.payload.end()));
      }
      const RlpItem& child = (*fields)[nibbles[depth]];
      ++depth;
      if (!child.is_list && child.payload.empty()) return done(std::nullopt);
      auto ref = ReadChild(child);
      if (!ref) return Error{where + ref.error().message};
      next = *ref;
      continue;
    }
    if (fields->size() != 2) return Error{where + "a node of " + std::to_string(fields->size()) + " items"};
    const RlpItem& path_item = (*fields)[0];
    if (path_item.is_list) return Error{where + "path is a list"};
    auto path = DecodeHexPrefix(path_item.payload);
    if (!path) return Error{where + path.error().message};
    const std::size_t remaining = nibbles.size() - depth;
    const bool matches =
        path->nibbles.size() <= remaining &&
        std::equal(path->nibbles.begin(), path->nibbles.end(), nibbles.begin() + static_cast<std::ptrdiff_t>(depth));
    if (path->leaf) {
      if (!matches || path->nibbles.size() != remaining) return done(std::nullopt);
      const RlpItem& value = (*fields)[1];
      if (value.is_list) return Error{where + "leaf value is a list"};
      if (value.payload.empty()) return Error{where + "leaf with an empty value"};
      return done(Bytes(value.payload.begin(), value.payload.end()));
    }
    if (path->nibbles.empty()) return Error{where + "extension with an empty path"};
    if (!matches) return done(std::nullopt);
    depth += path->nibbles.size();
    auto ref = ReadChild((*fields)[1]);
    if (!ref) return Error{where + ref.error().message};
    next = *ref;
  }
}

}  // namespace segverify::ethproof
