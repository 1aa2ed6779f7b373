#include "merkle/account_index.h"

#include <algorithm>
#include <cstring>
#include <mutex>
#include <optional>

#include "merkle/csv_reader.h"
#include "merkle/tree_layout.h"
#include "merkle/tree_levels.h"

namespace segverify::merkle {
namespace {

struct Duplicate {
  std::uint64_t line = 0;        // the later line
  std::uint64_t first_line = 0;  // the earlier one
  std::string id;
};

// Sorts `entries` by key (then line) and finds the duplicate whose later line comes first.
Result<std::optional<Duplicate>> SortGroup(std::vector<IndexEntry>& entries, const AccountIndexInput& input) {
  std::sort(entries.begin(), entries.end(),
            [](const IndexEntry& a, const IndexEntry& b) { return a.key != b.key ? a.key < b.key : a.line < b.line; });
  std::optional<Duplicate> found;
  for (std::size_t i = 1; i < entries.size(); ++i) {
    if (entries[i].key != entries[i - 1].key) continue;
    auto id = input.id_at(entries[i].position);
    if (!id) return id.error();
    for (std::size_t j = i; j > 0 && entries[j - 1].key == entries[i].key; --j) {
      auto other = input.id_at(entries[j - 1].position);
      if (!other) return other.error();
      if (*other != *id) continue;
      if (!found || entries[i].line < found->line) found = Duplicate{entries[i].line, entries[j - 1].line, *id};
      break;
    }
  }
  return found;
}

}  // namespace

Status WriteAccountIndex(const AccountIndexInput& input, const OutputFile& file, unsigned threads,
                         StepProgress& progress) {
  const std::size_t groups = input.group_sizes.size();
  std::vector<std::uint64_t> offsets(groups + 1, 0);
  for (std::size_t g = 0; g < groups; ++g) offsets[g + 1] = offsets[g] + input.group_sizes[g];
  const std::uint64_t n = offsets[groups];

  std::uint8_t header[kIndexHeaderBytes] = {};
  std::memcpy(header, kIndexMagic, 8);
  PutLe64(header + 8, n);
  if (Status s = file.WriteAt(0, header, sizeof header); !s) return s;

  std::mutex mutex;
  Status failure;
  std::optional<Duplicate> duplicate;
  struct State {
    std::vector<IndexEntry> entries;
  };
  ForBlocks(
      groups, threads, 1, [] { return State(); },
      [&](State& s, std::uint64_t g, std::uint64_t) {
        Status status = input.load_group(g, s.entries);
        std::optional<Duplicate> found;
        if (status.ok() && s.entries.size() != input.group_sizes[g]) status = Error{"internal error: index group size"};
        if (status.ok()) {
          auto sorted = SortGroup(s.entries, input);
          if (sorted)
            found = std::move(*sorted);
          else
            status = sorted.error();
        }
        if (status.ok() && !found && !s.entries.empty()) {
          const std::uint64_t offset = kIndexHeaderBytes + kIndexEntryBytes * offsets[g];
          auto out = file.Map(offset, kIndexEntryBytes * s.entries.size());
          if (out) {
            for (std::size_t i = 0; i < s.entries.size(); ++i) {
              PutLe64(out->mutable_data() + kIndexEntryBytes * i, s.entries[i].key);
              PutLe64(out->mutable_data() + kIndexEntryBytes * i + 8, s.entries[i].position);
            }
            *out = MappedRange();
            file.StartWriteback(offset, kIndexEntryBytes * s.entries.size());
          } else {
            status = out.error();
          }
        }
        progress.Add(input.group_sizes[g]);
        std::lock_guard lock(mutex);
        if (!status.ok() && failure.ok()) failure = status;
        if (found && (!duplicate || found->line < duplicate->line)) duplicate = std::move(found);
      });
  if (duplicate) {
    return Error{input.liabilities_path + ":" + std::to_string(duplicate->line) + ":1: duplicate account id " +
                 QuoteForError(duplicate->id) + " (first on line " + std::to_string(duplicate->first_line) + ")"};
  }
  return failure;
}

}  // namespace segverify::merkle
