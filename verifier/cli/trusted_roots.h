// The published root(s) `proof verify` checks proofs against (docs/FORMAT.md §5, "How to verify a
// proof", step 4): a proof checked only against the root it carries proves nothing, so one of
// these is required.
//
//   --root FILE      a root.json (one pool's root) or a site's roots.json (every published root;
//                    with its `superseded` list, roots of runs that were replaced)
//   --root-hash HEX  the root hash alone (it commits to the sums)
//   --site URL|DIR   a published status site: its roots.json
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clients/http_transport.h"
#include "common/result.h"
#include "common/sha256.h"
#include "merkle/inclusion_proof.h"
#include "merkle/published_root.h"
#include "verifier/report/roots_json.h"

namespace segverify::cli {

class TrustedRoots {
 public:
  static TrustedRoots FromRoot(merkle::PublishedRoot root);
  static TrustedRoots FromHash(const Hash256& hash);
  // A roots.json as the status site reads it (docs/FORMAT.md §13): the plain array of older sites, or
  // the segverify-roots/2 object with its current and superseded roots.
  [[nodiscard]] static Result<TrustedRoots> FromRootsJson(std::string_view text, std::string_view origin);

  // Verifies the proof's path, then that its root is a trusted one (for roots.json: the listed
  // root with the proof's hash, compared in full: pool, assets, height, sums). Thread-safe.
  merkle::ProofCheck Check(const merkle::InclusionProof& proof) const;

  // "root 3f2a… of root.json", "the 12 roots of roots.json": what the summary says proofs were
  // checked against.
  const std::string& description() const { return description_; }

 private:
  std::optional<merkle::PublishedRoot> root_;   // --root root.json
  std::optional<Hash256> hash_;                 // --root-hash
  std::vector<merkle::PublishedRoot> listed_;   // roots.json, sorted by hash
  std::vector<report::ListedRoot> superseded_;  // roots.json's superseded list: runs replaced by a later run
  bool is_list_ = false;
  std::string description_;
};

struct RootOptions {
  std::string root;       // --root FILE
  std::string root_hash;  // --root-hash HEX
  std::string site;       // --site URL|DIR
};

// Exactly one of the three must be given: none (or two) is an Error naming the options.
[[nodiscard]] Result<TrustedRoots> LoadTrustedRoots(const RootOptions& options, const clients::HttpOptions& http);

}  // namespace segverify::cli
