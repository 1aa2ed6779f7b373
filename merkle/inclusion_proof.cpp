#include "merkle/inclusion_proof.h"

#include "common/file_io.h"
#include "common/hex.h"
#include "merkle/amount.h"
#include "merkle/json_fields.h"

namespace segverify::merkle {

namespace {

void AppendHex(std::string& out, const Hash256& hash) {
  static constexpr char kDigits[] = "0123456789abcdef";
  char text[64];
  for (std::size_t i = 0; i < hash.size(); ++i) {
    text[2 * i] = kDigits[hash[i] >> 4];
    text[2 * i + 1] = kDigits[hash[i] & 0xF];
  }
  out.push_back('"');
  out.append(text, sizeof text);
  out.push_back('"');
}

void AppendAmounts(std::string& out, const std::vector<u128>& amounts, const std::vector<int>& decimals) {
  out.push_back('[');
  for (std::size_t i = 0; i < amounts.size(); ++i) {
    if (i != 0) out.push_back(',');
    out.push_back('"');
    AppendAmount(out, amounts[i], i < decimals.size() ? decimals[i] : 0);
    out.push_back('"');
  }
  out.push_back(']');
}

}  // namespace

ProofJsonWriter::ProofJsonWriter(std::string_view pool, const std::vector<AssetSpec>& assets) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("format");
  WriteJsonString(w, kProofFormat);
  w.Key("pool");
  WriteJsonString(w, pool);
  w.Key("assets");
  WriteAssets(w, assets);
  w.Key("account_id");
  prefix_.assign(buffer.GetString(), buffer.GetSize());
  prefix_ += ':';  // the writer would put it before the next value, written separately below
  for (const AssetSpec& a : assets) decimals_.push_back(a.decimals);
}

void ProofJsonWriter::Append(const InclusionProof& proof, std::string& out) const {
  out += prefix_;
  {
    // The account id is the one string that changes: escaped by the JSON writer.
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    WriteJsonString(w, proof.account_id);
    out.append(buffer.GetString(), buffer.GetSize());
  }
  out += ",\"nonce\":";
  AppendHex(out, proof.nonce);
  out += ",\"balances\":";
  AppendAmounts(out, proof.balances, decimals_);
  out += ",\"leaf_index\":";
  out += std::to_string(proof.leaf_index);
  out += ",\"path\":[";
  for (std::size_t i = 0; i < proof.path.size(); ++i) {
    out += i == 0 ? "{\"hash\":" : ",{\"hash\":";
    AppendHex(out, proof.path[i].hash);
    out += ",\"sums\":";
    AppendAmounts(out, proof.path[i].sums, decimals_);
    out.push_back('}');
  }
  out += "],\"root\":{\"hash\":";
  AppendHex(out, proof.root.hash);
  out += ",\"sums\":";
  AppendAmounts(out, proof.root.sums, decimals_);
  out += ",\"height\":";
  out += std::to_string(proof.root.height);
  out += "}}";
}

std::string InclusionProofToJson(const InclusionProof& proof) {
  std::string out;
  ProofJsonWriter(proof.pool, proof.assets).Append(proof, out);
  return out;
}

Result<InclusionProof> ParseInclusionProof(std::string_view json, std::string_view origin) {
  if (auto proof = ParseCanonicalProof(json)) return std::move(*proof);
  return ParseInclusionProofGeneric(json, origin);
}

Result<InclusionProof> ParseInclusionProofGeneric(std::string_view json, std::string_view origin) {
  auto doc = ParseJson(json, origin, JsonLimits{kMaxProofBytes, 16});
  if (!doc) return doc.error();
  const std::string where(origin);
  JsonObjectReader reader(**doc, where, "");
  if (Status s = reader.CheckFormat(kProofFormat); !s) return s.error();
  if (Status s = reader.CheckOnlyKeys(
          {"format", "pool", "assets", "account_id", "nonce", "balances", "leaf_index", "path", "root"});
      !s) {
    return s.error();
  }
  InclusionProof proof;
  auto pool = reader.String("pool");
  if (!pool) return pool.error();
  proof.pool = std::move(*pool);
  auto assets = ReadAssets(reader, "assets");
  if (!assets) return assets.error();
  proof.assets = std::move(*assets);
  auto account = reader.String("account_id");
  if (!account) return account.error();
  if (account->empty()) return reader.FieldError("account_id", "empty account id");
  proof.account_id = std::move(*account);
  auto nonce = ReadHash(reader, "nonce");
  if (!nonce) return nonce.error();
  proof.nonce = *nonce;
  auto balances = ReadAmounts(reader, "balances", proof.assets);
  if (!balances) return balances.error();
  proof.balances = std::move(*balances);
  auto leaf_index = reader.Uint64("leaf_index");
  if (!leaf_index) return leaf_index.error();
  proof.leaf_index = *leaf_index;

  auto root_object = reader.Object("root");
  if (!root_object) return root_object.error();
  JsonObjectReader root_reader(**root_object, where, "root");
  if (Status s = root_reader.CheckOnlyKeys({"hash", "sums", "height"}); !s) return s.error();
  auto root = ReadRootFields(root_reader, proof.assets);
  if (!root) return root.error();
  proof.root = std::move(*root);

  if (proof.leaf_index >= (std::uint64_t{1} << proof.root.height)) {
    return reader.FieldError("leaf_index", "leaf index " + std::to_string(proof.leaf_index) +
                                               " out of range for height " + std::to_string(proof.root.height));
  }
  auto path = reader.Array("path");
  if (!path) return path.error();
  if ((*path)->Size() != proof.root.height) {
    return reader.FieldError("path", "path has " + std::to_string((*path)->Size()) + " entries, root height is " +
                                         std::to_string(proof.root.height));
  }
  for (rapidjson::SizeType i = 0; i < (*path)->Size(); ++i) {
    JsonObjectReader node_reader((**path)[i], where, JsonIndex("path", i));
    if (Status s = node_reader.CheckOnlyKeys({"hash", "sums"}); !s) return s.error();
    SumNode node;
    auto hash = ReadHash(node_reader, "hash");
    if (!hash) return hash.error();
    node.hash = *hash;
    auto sums = ReadAmounts(node_reader, "sums", proof.assets);
    if (!sums) return sums.error();
    node.sums = std::move(*sums);
    proof.path.push_back(std::move(node));
  }
  return proof;
}

Result<InclusionProof> ReadInclusionProofFile(const std::string& path) {
  auto text = ReadFileLimited(path, kMaxProofBytes);
  if (!text) return text.error();
  return ParseInclusionProof(*text, path);
}

std::string_view ProofVerdictName(ProofVerdict verdict) {
  switch (verdict) {
    case ProofVerdict::kValid:
      return "valid";
    case ProofVerdict::kMalformed:
      return "malformed";
    case ProofVerdict::kSumOverflow:
      return "sum-overflow";
    case ProofVerdict::kRootHashMismatch:
      return "root-hash-mismatch";
    case ProofVerdict::kRootSumsMismatch:
      return "root-sums-mismatch";
    case ProofVerdict::kNotExpectedRoot:
      return "not-the-published-root";
  }
  return "invalid";
}

namespace {

// Why `proof` breaks the invariants ParseInclusionProof establishes, or empty when it keeps them.
std::string InvariantViolation(const InclusionProof& proof) {
  const std::size_t k = proof.assets.size();
  if (k == 0) return "no assets";
  if (proof.balances.size() != k) return "balances do not match the assets";
  if (proof.root.sums.size() != k || proof.root.assets != proof.assets)
    return "root assets or sums do not match the assets";
  if (proof.root.height < 1 || proof.root.height > kMaxTreeHeight) return "height out of range";
  if (proof.path.size() != proof.root.height) {
    return "path has " + std::to_string(proof.path.size()) + " nodes, height is " + std::to_string(proof.root.height);
  }
  if ((proof.leaf_index >> proof.root.height) != 0) return "leaf index beyond the tree";
  for (const SumNode& node : proof.path) {
    if (node.sums.size() != k) return "a path node's sums do not match the assets";
  }
  return "";
}

}  // namespace

ProofCheck VerifyInclusionProof(const InclusionProof& proof, const ExpectedRoot& expected) {
  ProofCheck check;
  if (std::string violation = InvariantViolation(proof); !violation.empty()) {
    check.reason = "malformed proof: " + violation;
    return check;  // kMalformed
  }
  thread_local TreeHasher hasher;  // one hashing context per thread, reused by every check
  SumNode current, parent;         // two buffers, swapped at each level
  current.sums = proof.balances;
  current.hash = hasher.Leaf(hasher.AccountCommitment(proof.nonce, proof.account_id), proof.balances);
  for (std::size_t level = 0; level < proof.path.size(); ++level) {
    // Bit `level` of leaf_index is 1 when the node at that level is a right child.
    const bool is_right = ((proof.leaf_index >> level) & 1u) != 0;
    const SumNode& sibling = proof.path[level];
    const bool fits = is_right ? CombineNodesInto(hasher, sibling, current, parent)
                               : CombineNodesInto(hasher, current, sibling, parent);
    if (!fits) {
      check.verdict = ProofVerdict::kSumOverflow;
      check.reason = "a sum exceeds 2^128-1 at level " + std::to_string(level + 1);
      return check;
    }
    std::swap(current, parent);
  }
  check.computed_root = current;
  if (current.hash != proof.root.hash) {
    check.verdict = ProofVerdict::kRootHashMismatch;
    check.reason = "path recomputes to root " + ToHex(current.hash) + ", proof says " + ToHex(proof.root.hash);
    return check;
  }
  if (current.sums != proof.root.sums) {
    check.verdict = ProofVerdict::kRootSumsMismatch;
    check.reason = "path sums do not add up to the root's sums";
    return check;
  }
  if (expected.hash && *expected.hash != proof.root.hash) {
    check.verdict = ProofVerdict::kNotExpectedRoot;
    check.reason = "proof's root " + ToHex(proof.root.hash) + " is not the published root " + ToHex(*expected.hash);
    return check;
  }
  if (expected.root) {
    const PublishedRoot& published = *expected.root;
    if (!published.pool.empty() && published.pool != proof.pool) {
      check.verdict = ProofVerdict::kNotExpectedRoot;
      check.reason = "the proof is for pool " + proof.pool + ", the root is pool " + published.pool + "'s";
      return check;
    }
    std::string differs;
    if (published.assets != proof.assets)
      differs = "assets";
    else if (published.height != proof.root.height)
      differs = "height";
    else if (published.hash != proof.root.hash)
      differs = "hash";
    else if (published.sums != proof.root.sums)
      differs = "sums";
    if (!differs.empty()) {
      check.verdict = ProofVerdict::kNotExpectedRoot;
      check.reason = "proof's root differs from the published root (" + differs + ")";
      return check;
    }
  }
  check.verdict = ProofVerdict::kValid;
  return check;
}

}  // namespace segverify::merkle
