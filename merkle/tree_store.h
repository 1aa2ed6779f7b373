// Read access to a built tree directory (tree_layout.h), for exporting inclusion proofs.
//
// Files are memory-mapped read-only, so exporting one proof touches only the pages it needs:
// ~log2(n) index entries, one account record and `height` sibling nodes. Opening checks every
// file's size against the metadata and that tree.bin's top node equals root.json.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "merkle/inclusion_proof.h"
#include "merkle/published_root.h"

namespace segverify::merkle {

class TreeStore {
 public:
  ~TreeStore();
  TreeStore(TreeStore&&) noexcept;
  TreeStore& operator=(TreeStore&&) noexcept;

  [[nodiscard]] static Result<TreeStore> Open(const std::string& dir);

  // Leaf position of `account_id`, or nullopt if it is not in the tree.
  std::optional<std::uint64_t> FindAccount(std::string_view account_id) const;

  // The inclusion proof of the account at leaf `position` (< accounts()); fails on a corrupt file.
  [[nodiscard]] Result<InclusionProof> ExportProof(std::uint64_t position) const;
  // The same into `proof`, reusing its storage (no allocation once warm: exports make millions).
  [[nodiscard]] Status ExportProofInto(std::uint64_t position, InclusionProof& proof) const;

  std::uint64_t accounts() const;
  const PublishedRoot& root() const;
  const std::string& pool() const;

 private:
  struct Impl;
  explicit TreeStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace segverify::merkle
