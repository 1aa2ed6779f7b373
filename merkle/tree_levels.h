// The tree builder's hashing, in memory and on several threads: leaves from rows, then each level
// from the one below (tree_hash.h gives the rules; tree_layout.h the serialized node).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "common/parallel.h"
#include "common/result.h"
#include "common/sha256.h"
#include "common/u128.h"
#include "merkle/step_progress.h"

namespace segverify::merkle {

// A row between parsing and hashing (in memory, or in a spill file):
// leaf position (u64, host order: scratch data never leaves the machine), id length (u16 LE),
// amounts (16 bytes big-endian each), id bytes.
struct RowRecord {
  std::uint64_t position;
  std::string_view id;
  const std::uint8_t* amounts;  // 16 * asset_count bytes
};

inline constexpr std::size_t kRowRecordHeader = 10;

inline std::size_t RowRecordSize(std::size_t asset_count, std::size_t id_bytes) {
  return kRowRecordHeader + 16 * asset_count + id_bytes;
}
void EncodeRowRecord(std::uint8_t* out, std::uint64_t position, std::string_view id, const std::vector<u128>& amounts);
inline RowRecord DecodeRowRecord(const std::uint8_t* in, std::size_t asset_count) {
  RowRecord row;
  std::memcpy(&row.position, in, 8);
  const std::size_t id_bytes = in[8] | (std::size_t{in[9]} << 8);
  row.amounts = in + kRowRecordHeader;
  row.id = std::string_view(reinterpret_cast<const char*>(row.amounts + 16 * asset_count), id_bytes);
  return row;
}

// Runs fn(state, begin, end) over [0, count) in blocks of `block` items, handed out to `threads`
// workers as they finish (so a worker slowed by another process does not hold the rest back);
// each worker makes its own state once with make_state().
template <typename MakeState, typename Fn>
void ForBlocks(std::uint64_t count, unsigned threads, std::uint64_t block, MakeState make_state, Fn fn) {
  const std::uint64_t blocks = (count + block - 1) / block;
  std::atomic<std::uint64_t> next{0};
  const unsigned workers = static_cast<unsigned>(std::min<std::uint64_t>(std::max(1u, threads), blocks));
  RunParallel(workers, workers, [&](std::size_t) {
    auto state = make_state();
    for (std::uint64_t b; (b = next++) < blocks;) fn(state, b * block, std::min(count, (b + 1) * block));
  });
}

// Where HashLeaves puts what it computes for leaf i: node i (leaf hash || amounts) in `nodes`, and
// the account's records (tree_layout.h) in the same pass over the rows, which are scattered in
// memory: its accounts.dat offset (dat_offset + dat_starts[i]) at idx + 8 i, its nonce and id at
// dat + dat_starts[i].
struct LeafOutputs {
  std::uint8_t* nodes;
  std::uint8_t* idx;
  std::uint8_t* dat;
  const std::uint64_t* dat_starts;
  std::uint64_t dat_offset;
};

// Leaves of rows[0..count).
void HashLeaves(const std::uint8_t* const* rows, std::uint64_t count, std::size_t asset_count,
                const std::array<std::uint8_t, 32>& nonce_key, const LeafOutputs& out, unsigned threads,
                StepProgress& progress);

// Parents of `child_count` serialized nodes: parent i = node(child 2i, child 2i+1), a missing
// right child being the padding node of the children's level (hash `padding`, zero sums).
// Fails only if a sum passes 2^128-1, which checked column totals rule out.
[[nodiscard]] Status HashLevel(const std::uint8_t* children, std::uint64_t child_count, std::size_t asset_count,
                               const Hash256& padding, std::uint8_t* parents, unsigned threads, StepProgress& progress);

}  // namespace segverify::merkle
