#include "merkle/tree_store.h"

#include <cstring>
#include <utility>
#include <vector>

#include "common/mapped_range.h"
#include "merkle/json_fields.h"
#include "merkle/tree_hash.h"
#include "merkle/tree_layout.h"

namespace segverify::merkle {

struct TreeStore::Impl {
  std::string dir;
  std::string pool;
  PublishedRoot root;
  std::uint64_t n = 0;
  std::size_t k = 0;
  std::size_t node_bytes = 0;
  std::vector<std::uint64_t> level_offsets;
  std::vector<Hash256> padding;
  MappedRange tree, accounts_idx, accounts_dat, index;

  std::uint64_t AccountOffset(std::uint64_t position) const { return GetLe64(accounts_idx.data() + 8 * position); }
  // The account record at `position`; nullopt if the offsets are corrupt (checked per access, so
  // opening a 100M-account tree does not read the whole offset table).
  std::optional<std::string_view> AccountId(std::uint64_t position) const {
    const std::uint64_t begin = AccountOffset(position), end = AccountOffset(position + 1);
    if (begin > end || end - begin < kNonceBytes || end > accounts_dat.size()) return std::nullopt;
    return std::string_view(reinterpret_cast<const char*>(accounts_dat.data() + begin + kNonceBytes),
                            end - begin - kNonceBytes);
  }
  SumNode Node(unsigned level, std::uint64_t index_at_level) const {
    SumNode node;
    ReadNode(level, index_at_level, node);
    return node;
  }
  void ReadNode(unsigned level, std::uint64_t index_at_level, SumNode& node) const {
    node.sums.assign(k, 0);
    if (index_at_level >= StoredNodes(n, level)) {
      node.hash = padding[level];
      return;
    }
    const std::uint8_t* p = tree.data() + level_offsets[level] + index_at_level * node_bytes;
    std::memcpy(node.hash.data(), p, 32);
    for (std::size_t a = 0; a < k; ++a) node.sums[a] = LoadBe128(p + 32 + 16 * a);
  }
};

TreeStore::TreeStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TreeStore::~TreeStore() = default;
TreeStore::TreeStore(TreeStore&&) noexcept = default;
TreeStore& TreeStore::operator=(TreeStore&&) noexcept = default;

Result<TreeStore> TreeStore::Open(const std::string& dir) {
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  const std::string meta_path = dir + "/tree.json";
  auto meta = ParseJsonFile(meta_path, JsonLimits{1u << 20, 8});
  if (!meta) return meta.error();
  JsonObjectReader reader(**meta, meta_path, "");
  if (Status s = reader.CheckOnlyKeys({"format", "pool", "assets", "accounts", "height"}); !s) return s.error();
  auto format = reader.String("format");
  if (!format) return format.error();
  if (*format != kTreeMetaFormat) return reader.FieldError("format", "unsupported tree format \"" + *format + "\"");
  auto pool = reader.String("pool");
  if (!pool) return pool.error();
  impl->pool = *pool;
  auto assets = ReadAssets(reader, "assets");
  if (!assets) return assets.error();
  auto accounts = reader.Uint64("accounts");
  if (!accounts) return accounts.error();
  auto root = ReadPublishedRootFile(dir + "/root.json");
  if (!root) return root.error();
  impl->root = std::move(*root);
  impl->n = *accounts;
  impl->k = assets->size();
  impl->node_bytes = NodeBytes(impl->k);
  if (impl->root.assets != *assets || impl->n == 0 || TreeHeight(impl->n) != impl->root.height ||
      (!impl->root.pool.empty() && impl->root.pool != impl->pool)) {
    return Error{dir + ": tree.json does not match root.json"};
  }
  const unsigned h = impl->root.height;
  for (unsigned j = 0; j <= h; ++j) impl->level_offsets.push_back(LevelOffset(impl->n, j, impl->k));
  impl->padding = PaddingHashes(impl->k, h);

  for (auto [file, name] : {std::pair{&impl->tree, "tree.bin"}, std::pair{&impl->accounts_idx, "accounts.idx"},
                            std::pair{&impl->accounts_dat, "accounts.dat"}, std::pair{&impl->index, "index.bin"}}) {
    auto map = MappedRange::Open(dir + "/" + name);
    if (!map) return map.error();
    *file = std::move(*map);
  }
  const auto header = TreeHeader(static_cast<std::uint32_t>(impl->k), h, impl->n);
  const std::uint64_t tree_size = LevelOffset(impl->n, h + 1, impl->k);
  if (impl->tree.size() != tree_size || std::memcmp(impl->tree.data(), header.data(), header.size()) != 0) {
    return Error{dir + "/tree.bin: size or header does not match tree.json"};
  }
  if (impl->accounts_idx.size() != 8 * (impl->n + 1) || impl->accounts_dat.size() != impl->AccountOffset(impl->n)) {
    return Error{dir + "/accounts.idx: does not match accounts.dat or tree.json"};
  }
  if (impl->index.size() != kIndexHeaderBytes + kIndexEntryBytes * impl->n ||
      std::memcmp(impl->index.data(), kIndexMagic, 8) != 0 || GetLe64(impl->index.data() + 8) != impl->n) {
    return Error{dir + "/index.bin: size or header does not match tree.json"};
  }
  const SumNode top = impl->Node(h, 0);
  if (top.hash != impl->root.hash || top.sums != impl->root.sums) {
    return Error{dir + ": tree.bin's root does not match root.json"};
  }
  return TreeStore(std::move(impl));
}

std::optional<std::uint64_t> TreeStore::FindAccount(std::string_view account_id) const {
  const Impl& t = *impl_;
  const std::uint64_t key = AccountIndexKey(account_id);
  const std::uint8_t* entries = t.index.data() + kIndexHeaderBytes;
  std::uint64_t lo = 0, hi = t.n;  // first entry with entry.key >= key
  while (lo < hi) {
    const std::uint64_t mid = lo + (hi - lo) / 2;
    if (GetLe64(entries + kIndexEntryBytes * mid) < key)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (std::uint64_t i = lo; i < t.n && GetLe64(entries + kIndexEntryBytes * i) == key; ++i) {
    const std::uint64_t position = GetLe64(entries + kIndexEntryBytes * i + 8);
    if (position < t.n && t.AccountId(position) == std::optional<std::string_view>(account_id)) return position;
  }
  return std::nullopt;
}

Result<InclusionProof> TreeStore::ExportProof(std::uint64_t position) const {
  InclusionProof proof;
  if (Status s = ExportProofInto(position, proof); !s) return s.error();
  return proof;
}

Status TreeStore::ExportProofInto(std::uint64_t position, InclusionProof& proof) const {
  const Impl& t = *impl_;
  if (position >= t.n) return Error{"leaf position " + std::to_string(position) + " out of range"};
  const auto id = t.AccountId(position);
  if (!id) return Error{t.dir + "/accounts.idx: corrupt entry " + std::to_string(position)};
  proof.pool = t.pool;
  proof.assets = t.root.assets;
  proof.account_id.assign(*id);
  std::memcpy(proof.nonce.data(), t.accounts_dat.data() + t.AccountOffset(position), kNonceBytes);
  const std::uint8_t* leaf = t.tree.data() + t.level_offsets[0] + position * t.node_bytes;
  proof.balances.resize(t.k);
  for (std::size_t a = 0; a < t.k; ++a) proof.balances[a] = LoadBe128(leaf + 32 + 16 * a);
  proof.leaf_index = position;
  proof.path.resize(t.root.height);
  for (unsigned level = 0; level < t.root.height; ++level)
    t.ReadNode(level, (position >> level) ^ 1u, proof.path[level]);
  proof.root = t.root;
  return Status::Ok();
}

std::uint64_t TreeStore::accounts() const { return impl_->n; }
const PublishedRoot& TreeStore::root() const { return impl_->root; }
const std::string& TreeStore::pool() const { return impl_->pool; }

}  // namespace segverify::merkle
