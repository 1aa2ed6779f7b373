// Inclusion proofs (format "segverify-proof/1"): one account's leaf, its path to the root, and
// the check a client runs (docs/FORMAT.md §5).
//
// Parsing refuses anything malformed (wrong format version, bad hex, amounts that do not fit the
// asset's decimals, path length != height, leaf_index >= 2^height): the caller cannot check such a
// proof (exit 2). A well-formed proof is then verified by recomputing every node and every sum with
// overflow checks; the result is a ProofVerdict value (exit 0 or 1 at the CLI edge).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/sha256.h"
#include "common/u128.h"
#include "merkle/asset.h"
#include "merkle/published_root.h"
#include "merkle/tree_hash.h"

namespace segverify::merkle {

inline constexpr std::string_view kProofFormat = "segverify-proof/1";
inline constexpr std::size_t kMaxProofBytes = 1u << 20;

// Invariants after ParseInclusionProof: balances.size() == assets.size() == every sums.size();
// path.size() == root.height; leaf_index < 2^root.height; root.assets == assets.
struct InclusionProof {
  std::string pool;
  std::vector<AssetSpec> assets;
  std::string account_id;
  Hash256 nonce{};
  std::vector<u128> balances;  // base units
  std::uint64_t leaf_index = 0;
  std::vector<SumNode> path;  // siblings, bottom-up
  PublishedRoot root;
  bool operator==(const InclusionProof&) const = default;
};

std::string InclusionProofToJson(const InclusionProof& proof);

// Formats proofs of one tree (one pool, one asset list) quickly: what every proof shares is
// rendered once, strings go through the JSON writer, hashes and amounts are appended directly.
// InclusionProofToJson is this writer's output for a single proof.
class ProofJsonWriter {
 public:
  ProofJsonWriter(std::string_view pool, const std::vector<AssetSpec>& assets);
  // Appends `proof` (whose pool and assets are the writer's) to `out`, no newline.
  void Append(const InclusionProof& proof, std::string& out) const;

 private:
  std::string prefix_;  // {"format":…,"pool":…,"assets":[…],"account_id":
  std::vector<int> decimals_;
};
[[nodiscard]] Result<InclusionProof> ParseInclusionProof(std::string_view json, std::string_view origin);

// The two readers behind ParseInclusionProof, public for the test that holds them equal.
// ParseCanonicalProof reads only the exact layout ProofJsonWriter writes, in one pass (a million
// exported proofs are checked in seconds); nullopt for anything else, valid or not, which
// ParseInclusionProofGeneric (a checked JSON document, errors naming the field) then decides.
// Whenever the first returns a proof, the second returns the same proof.
[[nodiscard]] std::optional<InclusionProof> ParseCanonicalProof(std::string_view json);
// The same into `proof`, reusing its storage (a thread checking many proofs allocates once);
// false leaves `proof` unspecified.
[[nodiscard]] bool ParseCanonicalProofInto(std::string_view json, InclusionProof& proof);
[[nodiscard]] Result<InclusionProof> ParseInclusionProofGeneric(std::string_view json, std::string_view origin);
[[nodiscard]] Result<InclusionProof> ReadInclusionProofFile(const std::string& path);

enum class ProofVerdict {
  kValid,
  kMalformed,         // the proof breaks its own invariants (path length != height, leaf index
                      // out of range, counts of assets, balances and sums differ)
  kSumOverflow,       // a recomputed sum exceeds 2^128-1
  kRootHashMismatch,  // recomputed root hash != the proof's root hash
  kRootSumsMismatch,  // recomputed root sums != the proof's root sums
  kNotExpectedRoot,   // the proof's root is not the published root given by the caller
};

std::string_view ProofVerdictName(ProofVerdict verdict);

// The root the client trusts (published by the exchange). Either or neither may be given; with
// neither the proof is only checked against its own embedded root, which proves nothing about
// what was published (the CLI says so).
struct ExpectedRoot {
  std::optional<PublishedRoot> root;  // compares assets, height, hash and sums
  std::optional<Hash256> hash;        // compares the hash only (it commits to the sums)
};

struct ProofCheck {
  ProofVerdict verdict = ProofVerdict::kMalformed;  // never valid unless every check passed
  std::string reason;                               // for a person; empty when valid
  SumNode computed_root;                            // what the path recomputes to
};

// Checks the proof's invariants itself (whoever built the value, parser or not), then recomputes
// the path. Valid only when every step holds.
[[nodiscard]] ProofCheck VerifyInclusionProof(const InclusionProof& proof, const ExpectedRoot& expected);

}  // namespace segverify::merkle
