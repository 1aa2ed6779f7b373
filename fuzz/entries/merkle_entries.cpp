// Fuzz entries for the files a client or an exchange hands to segverify: proof JSON, root JSON,
// liabilities CSV.
#include "fuzz/entries/fuzz_entries.h"
#include "fuzz/entries/fuzz_support.h"
#include "merkle/inclusion_proof.h"
#include "merkle/liabilities_csv.h"
#include "merkle/published_root.h"

namespace segverify::fuzz {

void FuzzProofJson(FuzzInput data) {
  auto proof = merkle::ParseInclusionProof(AsText(data), "fuzz.json");
  if (!proof) {
    FuzzRequire(!proof.error().message.empty(), "proof error without a message");
    return;
  }
  // The invariants ParseInclusionProof documents.
  const auto height = proof->root.height;
  FuzzRequire(proof->path.size() == height, "path length != height");
  FuzzRequire(height >= 64 || proof->leaf_index < (std::uint64_t{1} << height), "leaf_index out of range");
  FuzzRequire(proof->balances.size() == proof->assets.size(), "balances/assets size");
  for (const auto& node : proof->path) FuzzRequire(node.sums.size() == proof->assets.size(), "sibling sums size");

  // Serializing and re-parsing is lossless.
  const std::string json = merkle::InclusionProofToJson(*proof);
  auto again = merkle::ParseInclusionProof(json, "fuzz-roundtrip.json");
  FuzzRequire(again.ok(), "re-parse of a serialized proof failed");
  FuzzRequire(merkle::InclusionProofToJson(*again) == json, "proof JSON round trip differs");

  const merkle::ProofCheck alone = merkle::VerifyInclusionProof(*proof, {});
  merkle::ExpectedRoot own_hash;
  own_hash.hash = proof->root.hash;
  const merkle::ProofCheck against_hash = merkle::VerifyInclusionProof(*proof, own_hash);
  FuzzRequire(alone.verdict == against_hash.verdict, "expected-hash equal to the embedded hash changed the verdict");
  if (alone.verdict == merkle::ProofVerdict::kValid) {
    FuzzRequire(alone.computed_root.hash == proof->root.hash, "valid proof whose path does not recompute the root");
    FuzzRequire(alone.computed_root.sums == proof->root.sums, "valid proof whose sums differ from the root's");
  } else {
    FuzzRequire(!alone.reason.empty(), "invalid proof without a reason");
  }
  merkle::ExpectedRoot other_hash;
  other_hash.hash = proof->root.hash;
  other_hash.hash->front() ^= 1;
  FuzzRequire(merkle::VerifyInclusionProof(*proof, other_hash).verdict != merkle::ProofVerdict::kValid,
              "proof valid against a different published hash");
}

void FuzzRootJson(FuzzInput data) {
  auto root = merkle::ParsePublishedRoot(AsText(data), "fuzz-root.json");
  if (!root) return;
  FuzzRequire(root->sums.size() == root->assets.size(), "root sums/assets size");
  const std::string json = merkle::PublishedRootToJson(*root);
  auto again = merkle::ParsePublishedRoot(json, "fuzz-root-roundtrip.json");
  FuzzRequire(again.ok(), "re-parse of a serialized root failed");
  FuzzRequire(*again == *root, "root JSON round trip differs");
}

void FuzzLiabilitiesCsv(FuzzInput data) {
  const std::string path = WriteScratchFile("liabilities.csv", data);
  auto assets = merkle::ParseAssetList("BTC:8,ETH:18");
  FuzzRequire(assets.ok(), "fixed asset list");
  auto reader = merkle::LiabilitiesReader::Open(path, *assets);
  if (!reader) return;
  merkle::LiabilityRow row;
  std::vector<u128> sums(2, 0);
  while (true) {
    auto more = reader->Next(row);
    if (!more || !*more) break;
    FuzzRequire(row.amounts.size() == 2, "row amounts size");
    FuzzRequire(!row.account_id.empty() && row.account_id.size() <= merkle::kMaxAccountIdBytes, "account id size");
    FuzzRequire(merkle::IsValidUtf8(row.account_id), "account id not UTF-8");
    for (std::size_t i = 0; i < 2; ++i) {
      auto sum = CheckedAdd(sums[i], row.amounts[i]);
      FuzzRequire(sum.has_value(), "accepted rows whose total overflows");
      sums[i] = *sum;
    }
    FuzzRequire(reader->totals() == sums, "reader totals differ from the sum of its rows");
  }
}

}  // namespace segverify::fuzz
