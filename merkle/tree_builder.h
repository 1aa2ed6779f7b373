// Builds a pool's Merkle-sum tree from a liabilities CSV into a tree directory (tree_layout.h).
//
// Memory stays bounded whatever the number of accounts: rows are streamed to disk, scattered into
// buckets of at most `bucket_bytes` by leaf position (a keyed permutation, leaf_permutation.h),
// and each bucket is hashed in memory on `threads` threads; upper levels are computed by streaming
// the level below. Duplicate account ids are found when the account index is sorted (also per
// bucket). Everything is written under DIR/.build-*/ and renamed into DIR at the end, root.json
// last: a failed build leaves no new file behind.
//
// Nonces: nonce = HMAC-SHA256(K, account_id). With a nonce key, K is that key (reproducible
// builds); without one, K is 32 fresh bytes from the OS CSPRNG, used only in memory and never
// written, so nonces are unpredictable. Neither key appears in any output or message.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "merkle/asset.h"
#include "merkle/published_root.h"

namespace segverify::merkle {

struct TreeBuildOptions {
  std::string liabilities_path;
  std::vector<AssetSpec> assets;
  std::string out_dir;
  std::string pool = "default";
  std::optional<std::array<std::uint8_t, 32>> nonce_key;
  bool shuffle = true;
  unsigned threads = 0;                       // 0: one per core
  std::size_t bucket_bytes = std::size_t{256} << 20;  // bound on in-memory data per step
  // Called now and then with a stage name and its progress (done of total; total 0 if unknown).
  std::function<void(std::string_view stage, std::uint64_t done, std::uint64_t total)> progress;
};

struct TreeBuildResult {
  PublishedRoot root;
  std::uint64_t accounts = 0;
};

[[nodiscard]] Result<TreeBuildResult> BuildTree(const TreeBuildOptions& options);

}  // namespace segverify::merkle
