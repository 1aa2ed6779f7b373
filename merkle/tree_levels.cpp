#include "merkle/tree_levels.h"

#include <cstring>

#include "merkle/tree_hash.h"
#include "merkle/tree_layout.h"

namespace segverify::merkle {
namespace {

constexpr std::uint64_t kBlock = 8192;

}  // namespace

void EncodeRowRecord(std::uint8_t* out, std::uint64_t position, std::string_view id, const std::vector<u128>& amounts) {
  std::memcpy(out, &position, 8);  // as DecodeRowRecord reads it
  out[8] = static_cast<std::uint8_t>(id.size());
  out[9] = static_cast<std::uint8_t>(id.size() >> 8);
  std::uint8_t* p = out + kRowRecordHeader;
  for (u128 a : amounts) {
    StoreBe128(a, p);
    p += 16;
  }
  std::memcpy(p, id.data(), id.size());
}

void HashLeaves(const std::uint8_t* const* rows, std::uint64_t count, std::size_t asset_count,
                const std::array<std::uint8_t, 32>& nonce_key, const LeafOutputs& out, unsigned threads,
                StepProgress& progress) {
  const std::size_t node_bytes = NodeBytes(asset_count);
  const NonceHasher prototype(nonce_key);
  struct State {
    NonceHasher nonce;
    TreeHasher tree;
  };
  ForBlocks(
      count, threads, kBlock,
      [&] {
        return State{prototype, TreeHasher()};
      },
      [&](State& s, std::uint64_t begin, std::uint64_t end) {
        for (std::uint64_t i = begin; i < end; ++i) {
          // Rows sit in input order, leaves in shuffled order: fetch a few rows ahead.
          if (i + 8 < end) {
            __builtin_prefetch(rows[i + 8]);
            __builtin_prefetch(rows[i + 8] + 64);
          }
          const RowRecord row = DecodeRowRecord(rows[i], asset_count);
          const Hash256 nonce = s.nonce.Nonce(row.id);
          const Hash256 leaf =
              s.tree.LeafFromSerialized(s.tree.AccountCommitment(nonce, row.id), {row.amounts, 16 * asset_count});
          std::uint8_t* node = out.nodes + i * node_bytes;
          std::memcpy(node, leaf.data(), 32);
          std::memcpy(node + 32, row.amounts, 16 * asset_count);
          PutLe64(out.idx + 8 * i, out.dat_offset + out.dat_starts[i]);
          std::uint8_t* record = out.dat + out.dat_starts[i];
          std::memcpy(record, nonce.data(), 32);
          std::memcpy(record + 32, row.id.data(), row.id.size());
        }
        progress.Add(end - begin);
      });
}

Status HashLevel(const std::uint8_t* children, std::uint64_t child_count, std::size_t asset_count,
                 const Hash256& padding, std::uint8_t* parents, unsigned threads, StepProgress& progress) {
  const std::size_t node_bytes = NodeBytes(asset_count);
  const std::uint64_t parent_count = (child_count + 1) / 2;
  std::vector<std::uint8_t> padding_node(node_bytes, 0);
  std::memcpy(padding_node.data(), padding.data(), 32);
  std::atomic<bool> overflow{false};
  ForBlocks(
      parent_count, parent_count < 2 * kBlock ? 1 : threads, kBlock, [] { return TreeHasher(); },
      [&](TreeHasher& hasher, std::uint64_t begin, std::uint64_t end) {
        for (std::uint64_t p = begin; p < end; ++p) {
          const std::uint8_t* left = children + 2 * p * node_bytes;
          const std::uint8_t* right = 2 * p + 1 < child_count ? left + node_bytes : padding_node.data();
          std::uint8_t* out = parents + p * node_bytes;
          const Hash256 h = hasher.NodeFromSerialized({left, node_bytes}, {right, node_bytes});
          std::memcpy(out, h.data(), 32);
          for (std::size_t a = 0; a < asset_count; ++a) {
            u128 sum;
            if (__builtin_add_overflow(LoadBe128(left + 32 + 16 * a), LoadBe128(right + 32 + 16 * a), &sum)) {
              overflow = true;
              return;
            }
            StoreBe128(sum, out + 32 + 16 * a);
          }
        }
        progress.Add(end - begin);
      });
  if (overflow) return Error{"internal error: node sum overflow"};
  return Status::Ok();
}

}  // namespace segverify::merkle
