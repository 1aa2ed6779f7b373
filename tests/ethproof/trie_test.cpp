// Merkle-Patricia proofs against ethereum/tests' published roots
// (fixtures/vectors/trie-ethereum-tests.json, TrieTests/trieanyorder.json and its secure-trie
// twin). The test builds each trie with a small reference builder here, checks the builder's root
// equals the published root (so the builder encodes nodes as Ethereum does), then asks the
// verifier to walk proofs cut from it: every key gives its value, keys not in the set are proven
// absent, and a proof with a node altered, missing or added is refused.
#include "ethproof/trie.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "common/hashes.h"
#include "common/json.h"
#include "ethproof/rlp.h"
#include "tests/support/test_support.h"

namespace segverify::ethproof {
namespace {

using testing::SourcePath;

struct Entry {
  std::vector<std::uint8_t> path;  // nibbles
  Bytes value;
};

std::vector<std::uint8_t> ToNibbles(const Bytes& key) {
  std::vector<std::uint8_t> out;
  for (std::uint8_t b : key) {
    out.push_back(static_cast<std::uint8_t>(b >> 4));
    out.push_back(static_cast<std::uint8_t>(b & 15));
  }
  return out;
}

Bytes HexPrefix(std::span<const std::uint8_t> nibbles, bool leaf) {
  Bytes out;
  const bool odd = nibbles.size() % 2 == 1;
  std::uint8_t flag = static_cast<std::uint8_t>((leaf ? 2 : 0) + (odd ? 1 : 0));
  std::size_t i = 0;
  if (odd) {
    out.push_back(static_cast<std::uint8_t>(flag << 4 | nibbles[0]));
    i = 1;
  } else {
    out.push_back(static_cast<std::uint8_t>(flag << 4));
  }
  for (; i < nibbles.size(); i += 2) out.push_back(static_cast<std::uint8_t>(nibbles[i] << 4 | nibbles[i + 1]));
  return out;
}

Bytes Ref(const Bytes& node) {
  if (node.size() < 32) return node;
  Hash256 h = Keccak256(node);
  return RlpEncodeString(h);
}

std::size_t CommonPrefix(const std::vector<Entry>& entries, std::size_t depth) {
  std::size_t c = 0;
  for (;;) {
    for (const Entry& e : entries) {
      if (e.path.size() <= depth + c || e.path[depth + c] != entries[0].path[depth + c]) return c;
    }
    ++c;
  }
}

// The node holding `entries` (sorted, unique paths) below `depth` nibbles.
Bytes Node(const std::vector<Entry>& entries, std::size_t depth) {
  if (entries.size() == 1) {
    const Entry& e = entries[0];
    return RlpEncodeList(
        {RlpEncodeString(HexPrefix(std::span(e.path).subspan(depth), true)), RlpEncodeString(e.value)});
  }
  if (std::size_t c = CommonPrefix(entries, depth); c > 0) {
    return RlpEncodeList({RlpEncodeString(HexPrefix(std::span(entries[0].path).subspan(depth, c), false)),
                          Ref(Node(entries, depth + c))});
  }
  std::vector<Bytes> slots(17, RlpEncodeString({}));
  for (std::uint8_t n = 0; n < 16; ++n) {
    std::vector<Entry> group;
    for (const Entry& e : entries)
      if (e.path.size() > depth && e.path[depth] == n) group.push_back(e);
    if (!group.empty()) slots[n] = Ref(Node(group, depth + 1));
  }
  for (const Entry& e : entries)
    if (e.path.size() == depth) slots[16] = RlpEncodeString(e.value);
  return RlpEncodeList(slots);
}

// The nodes a proof of `key` carries: the root and every hashed node on its path.
void Prove(const std::vector<Entry>& entries, std::size_t depth, const std::vector<std::uint8_t>& key, bool root,
           std::vector<Bytes>& out) {
  Bytes node = Node(entries, depth);
  if (root || node.size() >= 32) out.push_back(node);
  if (entries.size() == 1) return;
  if (std::size_t c = CommonPrefix(entries, depth); c > 0) {
    if (key.size() < depth + c || !std::equal(key.begin() + static_cast<std::ptrdiff_t>(depth),
                                              key.begin() + static_cast<std::ptrdiff_t>(depth + c),
                                              entries[0].path.begin() + static_cast<std::ptrdiff_t>(depth))) {
      return;
    }
    Prove(entries, depth + c, key, false, out);
    return;
  }
  if (key.size() == depth) return;
  std::vector<Entry> group;
  for (const Entry& e : entries)
    if (e.path.size() > depth && e.path[depth] == key[depth]) group.push_back(e);
  if (!group.empty()) Prove(group, depth + 1, key, false, out);
}

Bytes FixtureBytes(const JsonValue& v) {
  std::string_view s(v.GetString(), v.GetStringLength());
  if (s.starts_with("0x")) return *FromHex(s.substr(2));
  return Bytes(s.begin(), s.end());
}

struct Trie {
  std::vector<Entry> entries;
  Hash256 root{};
  bool secure = false;

  Bytes Key(const Bytes& key) const {
    if (!secure) return key;
    Hash256 h = Keccak256(key);
    return Bytes(h.begin(), h.end());
  }
  std::vector<Bytes> ProofOf(const Bytes& key) const {
    std::vector<Bytes> proof;
    Prove(entries, 0, ToNibbles(Key(key)), true, proof);
    return proof;
  }
};

Trie Build(const JsonValue& in, bool secure) {
  Trie t;
  t.secure = secure;
  std::map<Bytes, Bytes> sorted;
  for (const auto& kv : in.GetObject()) sorted[t.Key(FixtureBytes(kv.name))] = FixtureBytes(kv.value);
  for (const auto& [k, v] : sorted) t.entries.push_back({ToNibbles(k), v});
  t.root = Keccak256(Node(t.entries, 0));
  return t;
}

void CheckCase(const std::string& name, const JsonValue& c, bool secure) {
  SCOPED_TRACE(name + (secure ? " (secure)" : ""));
  Trie trie = Build(c["in"], secure);
  ASSERT_EQ("0x" + ToHex(trie.root), std::string(c["root"].GetString())) << "reference builder disagrees";
  for (const auto& kv : c["in"].GetObject()) {
    const Bytes key = FixtureBytes(kv.name);
    auto proof = trie.ProofOf(key);
    auto value = VerifyTrieProof(trie.root, trie.Key(key), proof);
    ASSERT_TRUE(value) << value.error().message;
    ASSERT_TRUE(value->has_value());
    EXPECT_EQ(ToHex(**value), ToHex(FixtureBytes(kv.value)));
    // A node altered, the last node dropped, a node added: refused, never another value.
    for (std::size_t i = 0; i < proof.size(); ++i) {
      auto altered = proof;
      altered[i].back() ^= 1;
      EXPECT_FALSE(VerifyTrieProof(trie.root, trie.Key(key), altered)) << "node " << i;
    }
    auto shorter = proof;
    shorter.pop_back();
    if (!shorter.empty()) {
      EXPECT_FALSE(VerifyTrieProof(trie.root, trie.Key(key), shorter));
    }
    auto longer = proof;
    longer.push_back(proof.back());
    EXPECT_FALSE(VerifyTrieProof(trie.root, trie.Key(key), longer));
  }
  for (std::string absent : {"", "d", "do", "dogz", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", "horsey", "A1"}) {
    const Bytes key(absent.begin(), absent.end());
    if (c["in"].HasMember(absent.c_str())) continue;
    auto proof = trie.ProofOf(key);
    auto value = VerifyTrieProof(trie.root, trie.Key(key), proof);
    ASSERT_TRUE(value) << absent << ": " << value.error().message;
    EXPECT_FALSE(value->has_value()) << absent;
  }
}

TEST(Trie, PublishedRootsAndProofsOfEveryKey) {
  auto doc = ParseJsonFile(SourcePath("fixtures/vectors/trie-ethereum-tests.json"));
  ASSERT_TRUE(doc) << doc.error().message;
  int count = 0;
  for (const char* kind : {"plain", "secure"}) {
    for (const auto& c : (**doc)[kind].GetObject()) {
      CheckCase(c.name.GetString(), c.value, std::string(kind) == "secure");
      ++count;
    }
  }
  EXPECT_EQ(count, 14);
}

TEST(Trie, EmptyTrieProvesEveryKeyAbsent) {
  const Bytes key{1, 2, 3};
  auto value = VerifyTrieProof(EmptyTrieRoot(), key, {});
  ASSERT_TRUE(value) << value.error().message;
  EXPECT_FALSE(value->has_value());
  EXPECT_EQ(ToHex(EmptyTrieRoot()), "56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");
  Hash256 other{};
  EXPECT_FALSE(VerifyTrieProof(other, key, {}));  // no nodes for a non-empty root
}

}  // namespace
}  // namespace segverify::ethproof
