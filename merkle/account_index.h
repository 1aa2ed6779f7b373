// The account index (index.bin, tree_layout.h): every account's index key and leaf position,
// sorted by key. The builder collects one entry per row in 256 groups by the key's top byte; the
// groups are sorted on several threads and each is written at its own place in the file.
// Equal keys with equal ids are a duplicate account id (the error names both lines); equal keys
// with different ids are a legitimate key collision.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/file_io.h"
#include "common/result.h"
#include "merkle/step_progress.h"

namespace segverify::merkle {

struct IndexEntry {
  std::uint64_t key;
  std::uint64_t position;
  std::uint64_t line;  // in the liabilities file, for duplicate errors
};

inline constexpr std::size_t kIndexGroups = 256;
inline std::size_t IndexGroup(std::uint64_t key) { return static_cast<std::size_t>(key >> 56); }

struct AccountIndexInput {
  std::vector<std::uint64_t> group_sizes;  // entries per group
  // Puts group `group`'s entries (any order) into `out`.
  std::function<Status(std::size_t group, std::vector<IndexEntry>& out)> load_group;
  // The account id at a leaf position, to compare the ids of equal keys.
  std::function<Result<std::string>(std::uint64_t position)> id_at;
  std::string liabilities_path;  // for duplicate errors
};

// Sorts every group, refuses duplicate ids, and writes index.bin (header included) into `file`.
[[nodiscard]] Status WriteAccountIndex(const AccountIndexInput& input, const OutputFile& file, unsigned threads,
                                       StepProgress& progress);

}  // namespace segverify::merkle
