// Builds a pool's Merkle-sum tree from a liabilities CSV into a tree directory (tree_layout.h).
//
// Every step runs on all cores: the CSV is parsed in slices (liabilities_scan.h), leaves and
// nodes are hashed in parallel ranges, the account index is sorted in parallel groups. Memory
// stays within about `memory_bytes` whatever the number of accounts: when the accounts do not fit,
// rows are spilled to disk in buckets of 2^s leaf positions (a keyed shuffle decides positions,
// leaf_permutation.h) and each bucket is hashed in memory up to its subtree's root; the levels
// above the buckets are small. Duplicate account ids are found when the index is sorted.
//
// All or nothing (docs/DESIGN.md §Outputs are all or nothing): everything is written in a staging
// directory beside `out_dir` (common/staging_dir.h), made durable, and renamed onto `out_dir` at
// the end — exchanged with it when it holds an earlier tree. A failed or killed build leaves
// `out_dir` as it was.
//
// Nonces: nonce = HMAC-SHA256(K, account_id). With a nonce key, K is that key (reproducible
// builds); without one, K is 32 fresh bytes from the OS CSPRNG, used only in memory and never
// written, so nonces are unpredictable. Neither key appears in any output or message.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/progress.h"
#include "common/result.h"
#include "merkle/asset.h"
#include "merkle/published_root.h"

namespace segverify::merkle {

// What to do when `out_dir` already holds a tree.
enum class ExistingTree {
  kRefuse,   // an error (`tree build` without --force)
  kReplace,  // replace it whole (`tree build --force`; attest, which owns its output directory)
};

struct TreeBuildOptions {
  std::string liabilities_path;
  std::vector<AssetSpec> assets;
  std::string out_dir;
  std::string pool = "default";
  std::optional<std::array<std::uint8_t, 32>> nonce_key;
  bool shuffle = true;
  ExistingTree existing = ExistingTree::kReplace;
  unsigned threads = 0;                                // 0: one per core
  std::size_t memory_bytes = std::size_t{512} << 20;   // bound on the data held in memory at once
  std::size_t csv_chunk_bytes = std::size_t{8} << 20;  // CSV slice size (tests make it tiny)
  // Steps: "scanning liabilities", "reading liabilities" (bytes), "hashing leaves and nodes"
  // (nodes), "sorting the account index" (accounts), "writing" (files made durable).
  ProgressCallback progress;
};

struct TreeBuildResult {
  PublishedRoot root;
  std::uint64_t accounts = 0;
};

[[nodiscard]] Result<TreeBuildResult> BuildTree(const TreeBuildOptions& options);

}  // namespace segverify::merkle
