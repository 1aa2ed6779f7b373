// The fast reader of proofs in the exact layout ProofJsonWriter writes (what `proof export`
// produces, one per line in an export of millions): a single pass over the text with no JSON
// document, no per-field error strings and no allocation beyond the proof itself.
//
// It accepts a strict subset of what the generic parser (ParseInclusionProofGeneric) accepts and
// builds the same value: the keys in the writer's order (so none is missing, unknown or
// repeated), strings of printable ASCII without escapes (so valid UTF-8 with nothing to decode),
// integers as plain digits, amounts and hashes through the same converters, and the same
// invariants (assets valid and unique, k amounts everywhere, path length = height, leaf_index <
// 2^height). Anything else, valid or not, is left to the generic parser, which decides and names
// the field at fault: this reader never refuses a proof and never accepts one the generic
// parser would refuse (tests/merkle/proof_fast_parse_test.cpp holds the two equal on mutations).
#include <cstring>
#include <set>

#include "common/hex.h"
#include "merkle/amount.h"
#include "merkle/inclusion_proof.h"
#include "merkle/json_fields.h"

namespace segverify::merkle {
namespace {

class Cursor {
 public:
  explicit Cursor(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  bool Literal(std::string_view s) {
    if (static_cast<std::size_t>(end_ - p_) < s.size() || std::memcmp(p_, s.data(), s.size()) != 0) return false;
    p_ += s.size();
    return true;
  }

  // A string of printable ASCII (0x20..0x7e) without escapes; `out` views its contents.
  bool PlainString(std::string_view& out) {
    if (p_ == end_ || *p_ != '"') return false;
    const char* const start = ++p_;
    while (p_ != end_ && *p_ != '"') {
      const auto c = static_cast<unsigned char>(*p_);
      if (c < 0x20 || c > 0x7e || c == '\\') return false;
      ++p_;
    }
    if (p_ == end_) return false;
    out = std::string_view(start, static_cast<std::size_t>(p_ - start));
    ++p_;
    return true;
  }

  // Plain digits, no leading zero, at most 19 of them (below 2^64; longer ones are left to the
  // generic parser).
  bool Uint(std::uint64_t& out) {
    const char* const start = p_;
    std::uint64_t value = 0;
    while (p_ != end_ && *p_ >= '0' && *p_ <= '9' && p_ - start < 19)
      value = value * 10 + static_cast<unsigned>(*p_++ - '0');
    const std::size_t digits = static_cast<std::size_t>(p_ - start);
    if (digits == 0 || (digits > 1 && *start == '0')) return false;
    if (p_ != end_ && *p_ >= '0' && *p_ <= '9') return false;  // a 20th digit
    out = value;
    return true;
  }

  bool Hash(Hash256& out) {
    std::string_view text;
    return PlainString(text) && FromHexExact(text, out);
  }

  // ["amount",…] with one amount per asset.
  bool Amounts(const std::vector<AssetSpec>& assets, std::vector<u128>& out) {
    if (!Literal("[")) return false;
    out.resize(assets.size());
    for (std::size_t i = 0; i < assets.size(); ++i) {
      std::string_view text;
      if ((i != 0 && !Literal(",")) || !PlainString(text)) return false;
      const AmountParse amount = ParseAmountText(text, assets[i].decimals);
      if (!amount.ok) return false;
      out[i] = amount.value;
    }
    return Literal("]");
  }

  void SkipWhitespace() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\r' || *p_ == '\n')) ++p_;
  }
  bool AtEnd() const { return p_ == end_; }

 private:
  const char* p_;
  const char* end_;
};

bool ReadAssets(Cursor& in, std::vector<AssetSpec>& assets) {
  if (!in.Literal("[")) return false;
  std::set<std::string_view> seen;
  do {
    std::string_view symbol;
    std::uint64_t decimals = 0;
    if (!in.Literal("{\"symbol\":") || !in.PlainString(symbol) || !in.Literal(",\"decimals\":") || !in.Uint(decimals) ||
        !in.Literal("}")) {
      return false;
    }
    auto asset = MakeAsset(symbol, decimals > 1000 ? 1000 : static_cast<long long>(decimals));
    if (!asset || !seen.insert(symbol).second) return false;
    assets.push_back(std::move(*asset));
  } while (in.Literal(","));
  return in.Literal("]");
}

}  // namespace

bool ParseCanonicalProofInto(std::string_view json, InclusionProof& proof) {
  if (json.size() > kMaxProofBytes) return false;
  Cursor in(json);
  std::string_view pool, account;
  std::uint64_t height = 0;
  proof.assets.clear();
  in.SkipWhitespace();
  if (!in.Literal("{\"format\":\"segverify-proof/1\",\"pool\":") || !in.PlainString(pool) ||
      !in.Literal(",\"assets\":") || !ReadAssets(in, proof.assets) || !in.Literal(",\"account_id\":") ||
      !in.PlainString(account) || account.empty() || !in.Literal(",\"nonce\":") || !in.Hash(proof.nonce) ||
      !in.Literal(",\"balances\":") || !in.Amounts(proof.assets, proof.balances) || !in.Literal(",\"leaf_index\":") ||
      !in.Uint(proof.leaf_index) || !in.Literal(",\"path\":[")) {
    return false;
  }
  proof.pool.assign(pool);
  proof.account_id.assign(account);
  std::size_t nodes = 0;  // path nodes read; earlier nodes of `proof` are reused (their storage too)
  if (!in.Literal("]")) {
    do {
      if (nodes == proof.path.size()) proof.path.emplace_back();
      SumNode& node = proof.path[nodes++];
      if (!in.Literal("{\"hash\":") || !in.Hash(node.hash) || !in.Literal(",\"sums\":") ||
          !in.Amounts(proof.assets, node.sums) || !in.Literal("}")) {
        return false;
      }
    } while (in.Literal(","));
    if (!in.Literal("]")) return false;
  }
  proof.path.resize(nodes);
  if (!in.Literal(",\"root\":{\"hash\":") || !in.Hash(proof.root.hash) || !in.Literal(",\"sums\":") ||
      !in.Amounts(proof.assets, proof.root.sums) || !in.Literal(",\"height\":") || !in.Uint(height) ||
      !in.Literal("}}")) {
    return false;
  }
  in.SkipWhitespace();
  if (!in.AtEnd()) return false;
  if (height < 1 || height > kMaxTreeHeight || proof.path.size() != height ||
      proof.leaf_index >= (std::uint64_t{1} << height)) {
    return false;
  }
  proof.root.height = static_cast<unsigned>(height);
  proof.root.assets = proof.assets;
  proof.root.pool.clear();
  return true;
}

std::optional<InclusionProof> ParseCanonicalProof(std::string_view json) {
  InclusionProof proof;
  if (!ParseCanonicalProofInto(json, proof)) return std::nullopt;
  return proof;
}

}  // namespace segverify::merkle
