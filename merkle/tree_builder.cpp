#include "merkle/tree_builder.h"

#include <crypto++/osrng.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

#include "common/file_io.h"
#include "common/mapped_range.h"
#include "common/parallel.h"
#include "common/sha256.h"
#include "common/staging_dir.h"
#include "common/test_hook.h"
#include "merkle/account_index.h"
#include "merkle/big_buffer.h"
#include "merkle/json_fields.h"
#include "merkle/leaf_permutation.h"
#include "merkle/liabilities_scan.h"
#include "merkle/spill_files.h"
#include "merkle/step_progress.h"
#include "merkle/tree_hash.h"
#include "merkle/tree_layout.h"
#include "merkle/tree_levels.h"

namespace segverify::merkle {
namespace {

namespace fs = std::filesystem;

// ---- The output directory before the build ----

enum class OutDir { kMissing, kEmpty, kTree };

// What `dir` holds now: nothing, an empty directory, or a tree (tree files only). Anything else
// is refused even with --force: replacing it would delete files that are not ours.
Result<OutDir> InspectOutDir(const std::string& dir) {
  std::error_code ec;
  const fs::file_status status = fs::symlink_status(dir, ec);
  if (ec || status.type() == fs::file_type::not_found) return OutDir::kMissing;
  if (status.type() != fs::file_type::directory) return Error{dir + ": exists and is not a directory"};
  bool any = false;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const bool tree_file =
        std::any_of(std::begin(kTreeFiles), std::end(kTreeFiles), [&](const char* f) { return name == f; });
    if (!tree_file) {
      return Error{dir + ": not empty and not a tree directory (it holds \"" + name + "\"); choose another --out"};
    }
    any = true;
  }
  if (ec) return Error{dir + ": cannot read directory: " + ec.message()};
  return any ? OutDir::kTree : OutDir::kEmpty;
}

// ---- Rows in memory ----

// Row records of one worker, in fixed blocks so that a record never moves once written.
class RowArena {
 public:
  std::uint8_t* Allocate(std::size_t bytes) {
    if (blocks_.empty() || used_ + bytes > blocks_.back().size()) {
      blocks_.emplace_back();
      blocks_.back().Resize(std::max(kBlockBytes, bytes));
      used_ = 0;
    }
    std::uint8_t* p = blocks_.back().data() + used_;
    used_ += bytes;
    return p;
  }

 private:
  static constexpr std::size_t kBlockBytes = std::size_t{32} << 20;
  std::vector<BigBuffer<std::uint8_t>> blocks_;
  std::size_t used_ = 0;
};

class TreeBuild {
 public:
  TreeBuild(const TreeBuildOptions& options, std::string liabilities, std::string scratch, std::string out)
      : options_(options),
        liabilities_(std::move(liabilities)),
        scratch_(std::move(scratch)),
        out_(std::move(out)),
        k_(options.assets.size()),
        node_bytes_(NodeBytes(k_)),
        threads_(options.threads != 0 ? options.threads : DefaultThreads()) {}

  Result<TreeBuildResult> Run();

 private:
  std::string Out(const char* name) const { return out_ + "/" + name; }
  Status Plan();
  Status ReadRows();
  Status VisitRow(unsigned worker, std::uint64_t ordinal, const LiabilityRow& row);
  Status OpenOutputs();
  Status HashBuckets();
  Status LoadSpilledBucket(std::uint64_t bucket, std::uint64_t base, std::uint64_t count);
  Status HashBucket(std::uint64_t bucket, std::uint64_t base, std::uint64_t count, StepProgress& progress);
  void SumAccountSizes(std::uint64_t count);
  Status HashTopLevels(StepProgress& progress);
  Result<MappedRange> MapLevel(unsigned level, std::uint64_t base, std::uint64_t count) const;
  void Written(unsigned level, std::uint64_t base, std::uint64_t count) const;
  Status WriteIndex();
  Status Finish();

  const TreeBuildOptions& options_;
  const std::string liabilities_;  // the file read (a copy when the input was not a regular file)
  const std::string scratch_;      // spill files
  const std::string out_;          // the tree directory being prepared
  const std::size_t k_;
  const std::size_t node_bytes_;
  const unsigned threads_;

  std::array<std::uint8_t, 32> nonce_key_{};
  LeafPermutation permutation_ = LeafPermutation::Identity(0);
  LiabilitiesLayout layout_;
  std::uint64_t n_ = 0;
  unsigned height_ = 1;
  unsigned bucket_bits_ = 0;  // buckets of 2^bucket_bits leaf positions
  std::uint64_t buckets_ = 1;
  bool in_memory_ = true;
  std::vector<u128> totals_;

  // Rows: in memory (arenas + a record per leaf position) or spilled by bucket.
  std::vector<RowArena> arenas_;
  std::vector<std::vector<std::uint8_t>> encode_buffers_;
  BigBuffer<const std::uint8_t*> rows_;                             // the record of every leaf position of the bucket
  std::vector<std::vector<std::vector<IndexEntry>>> index_groups_;  // in memory: [worker][group]
  SpillFiles row_spill_, index_spill_;
  MappedRange bucket_rows_;  // the spilled rows of the bucket being hashed

  // Buffers reused across buckets.
  BigBuffer<std::uint16_t> id_sizes_;  // the account id's size at every leaf position of the bucket
  BigBuffer<std::uint64_t> account_starts_;
  std::vector<std::uint64_t> id_bytes_;    // per worker: the account ids' total size, for accounts.dat
  std::vector<std::uint8_t> bucket_tops_;  // the top node of every bucket
  std::vector<Hash256> padding_;

  OutputFile tree_, accounts_idx_, accounts_dat_, index_;
  std::uint64_t accounts_offset_ = 0;
  PublishedRoot root_;
};

// How the work is cut: everything in memory, or buckets of 2^s leaf positions that fit.
Status TreeBuild::Plan() {
  LiabilitiesReadOptions read;
  read.threads = threads_;
  read.chunk_bytes = options_.csv_chunk_bytes;
  read.progress = options_.progress;
  auto layout = ScanLiabilities(liabilities_, options_.assets, read);
  if (!layout) return layout.error();
  layout_ = std::move(*layout);
  n_ = layout_.rows;
  if (n_ == 0) return Error{liabilities_ + ": no accounts (only a header)"};
  height_ = TreeHeight(n_);
  if (height_ > kMaxTreeHeight) return Error{"too many accounts for one tree"};
  // Bytes per account while a bucket is hashed: its row (id at most a whole CSV line), its
  // pointer, two levels of nodes, its nonce, its accounts.dat record and (in memory) its index
  // entry.
  const std::uint64_t line_bytes = layout_.bytes / n_ + 1;
  const std::uint64_t per_account =
      kRowRecordHeader + 16 * k_ + line_bytes + 8 + 2 * node_bytes_ + 32 + (32 + line_bytes) + 8 + sizeof(IndexEntry);
  in_memory_ = n_ * per_account <= options_.memory_bytes;
  bucket_bits_ = height_;
  if (!in_memory_) {
    // The largest buckets that fit, but at most kMaxBuckets of them (each is an open file).
    constexpr unsigned kMaxBucketBits = 8;
    bucket_bits_ = height_ > kMaxBucketBits ? height_ - kMaxBucketBits : 0;
    while (bucket_bits_ + 1 < height_ && (std::uint64_t{2} << bucket_bits_) * per_account <= options_.memory_bytes) {
      ++bucket_bits_;
    }
  }
  buckets_ = (n_ + (std::uint64_t{1} << bucket_bits_) - 1) >> bucket_bits_;

  if (options_.shuffle) {
    // The shuffle key derives from the nonce key, so --nonce-key builds are reproducible.
    const Hash256 derived = HmacSha256(nonce_key_).Mac("segverify/leaf-permutation");
    std::array<std::uint8_t, 16> key;
    std::memcpy(key.data(), derived.data(), key.size());
    permutation_ = LeafPermutation::Keyed(n_, key);
  } else {
    permutation_ = LeafPermutation::Identity(n_);
  }
  return Status::Ok();
}

Status TreeBuild::VisitRow(unsigned worker, std::uint64_t ordinal, const LiabilityRow& row) {
  const std::uint64_t position = permutation_(ordinal);
  id_bytes_[worker] += row.account_id.size();
  const IndexEntry entry{AccountIndexKey(row.account_id), position, row.line};
  const std::size_t size = RowRecordSize(k_, row.account_id.size());
  if (in_memory_) {
    std::uint8_t* record = arenas_[worker].Allocate(size);
    EncodeRowRecord(record, position, row.account_id, row.amounts);
    rows_[position] = record;
    id_sizes_[position] = static_cast<std::uint16_t>(row.account_id.size());
    index_groups_[worker][IndexGroup(entry.key)].push_back(entry);
    return Status::Ok();
  }
  std::vector<std::uint8_t>& record = encode_buffers_[worker];
  record.resize(size);
  EncodeRowRecord(record.data(), position, row.account_id, row.amounts);
  if (Status s = row_spill_.Append(worker, position >> bucket_bits_, record.data(), size); !s) return s;
  return index_spill_.Append(worker, IndexGroup(entry.key), &entry, sizeof entry);
}

Status TreeBuild::ReadRows() {
  id_bytes_.assign(threads_, 0);
  if (in_memory_) {
    arenas_.resize(threads_);
    rows_.Resize(n_);
    std::fill(rows_.data(), rows_.data() + n_, nullptr);
    id_sizes_.Resize(n_);
    index_groups_.assign(threads_, std::vector<std::vector<IndexEntry>>(kIndexGroups));
    for (auto& groups : index_groups_) {
      for (auto& group : groups) group.reserve(n_ / threads_ / kIndexGroups * 9 / 8 + 16);
    }
  } else {
    encode_buffers_.resize(threads_);
    if (Status s = row_spill_.Create(scratch_, "rows", buckets_, threads_); !s) return s;
    if (Status s = index_spill_.Create(scratch_, "index", kIndexGroups, threads_); !s) return s;
  }
  LiabilitiesReadOptions read;
  read.threads = threads_;
  read.chunk_bytes = options_.csv_chunk_bytes;
  read.progress = options_.progress;
  auto totals = ReadLiabilitySlices(liabilities_, options_.assets, layout_, read,
                                    [this](unsigned worker, std::uint64_t ordinal, const LiabilityRow& row) {
                                      return VisitRow(worker, ordinal, row);
                                    });
  if (!totals) return totals.error();
  totals_ = std::move(*totals);
  if (!in_memory_) {
    if (Status s = row_spill_.FlushAll(); !s) return s;
    if (Status s = index_spill_.FlushAll(); !s) return s;
  }
  return Status::Ok();
}

// The four big files, their sizes known once the rows are read, with their space reserved.
Status TreeBuild::OpenOutputs() {
  std::uint64_t id_bytes = 0;
  for (std::uint64_t bytes : id_bytes_) id_bytes += bytes;
  const struct {
    OutputFile* file;
    const char* name;
    std::uint64_t size;
  } outputs[] = {{&tree_, "tree.bin", LevelOffset(n_, height_ + 1, k_)},
                 {&accounts_idx_, "accounts.idx", 8 * (n_ + 1)},
                 {&accounts_dat_, "accounts.dat", kNonceBytes * n_ + id_bytes},
                 {&index_, "index.bin", kIndexHeaderBytes + kIndexEntryBytes * n_}};
  for (const auto& output : outputs) {
    auto created = OutputFile::Create(Out(output.name), output.name);
    if (!created) return created.error();
    *output.file = std::move(*created);
    if (Status s = output.file->Reserve(output.size); !s) return s;
  }
  return Status::Ok();
}

// Reads bucket `bucket`'s spilled rows and puts each at its leaf position.
Status TreeBuild::LoadSpilledBucket(std::uint64_t bucket, std::uint64_t base, std::uint64_t count) {
  auto map = row_spill_.MapAndRemove(bucket);
  if (!map) return map.error();
  bucket_rows_ = std::move(*map);
  rows_.Resize(count);
  std::fill(rows_.data(), rows_.data() + count, nullptr);
  id_sizes_.Resize(count);
  std::uint64_t placed = 0;
  for (std::size_t offset = 0; offset < bucket_rows_.size();) {
    const RowRecord row = DecodeRowRecord(bucket_rows_.data() + offset, k_);
    if (row.position < base || row.position - base >= count || rows_[row.position - base] != nullptr) {
      return Error{"internal error: leaf permutation is not a bijection"};
    }
    rows_[row.position - base] = bucket_rows_.data() + offset;
    id_sizes_[row.position - base] = static_cast<std::uint16_t>(row.id.size());
    offset += RowRecordSize(k_, row.id.size());
    ++placed;
  }
  if (placed != count) return Error{"internal error: a bucket misses rows"};
  return Status::Ok();
}

// Where each account's record starts in the bucket's part of accounts.dat (a prefix sum of the
// record sizes, in leaf order).
void TreeBuild::SumAccountSizes(std::uint64_t count) {
  account_starts_.Resize(count + 1);
  account_starts_[0] = 0;
  for (std::uint64_t i = 0; i < count; ++i) account_starts_[i + 1] = account_starts_[i] + kNonceBytes + id_sizes_[i];
}

// Where level `level`'s nodes of the bucket starting at leaf `base` go in tree.bin.
Result<MappedRange> TreeBuild::MapLevel(unsigned level, std::uint64_t base, std::uint64_t count) const {
  return tree_.Map(LevelOffset(n_, level, k_) + (base >> level) * node_bytes_, count * node_bytes_);
}

// A level of a bucket is complete: start writing it to disk.
void TreeBuild::Written(unsigned level, std::uint64_t base, std::uint64_t count) const {
  tree_.StartWriteback(LevelOffset(n_, level, k_) + (base >> level) * node_bytes_, count * node_bytes_);
}

// Leaves of the bucket, then its levels up to the bucket's own root, each hashed straight into
// its place in tree.bin.
Status TreeBuild::HashBucket(std::uint64_t bucket, std::uint64_t base, std::uint64_t count, StepProgress& progress) {
  auto leaves = MapLevel(0, base, count);
  if (!leaves) return leaves.error();
  SumAccountSizes(count);
  const std::uint64_t dat_bytes = account_starts_[count];
  auto idx = accounts_idx_.Map(base * 8, count * 8);
  if (!idx) return idx.error();
  auto dat = accounts_dat_.Map(accounts_offset_, dat_bytes);
  if (!dat) return dat.error();
  HashLeaves(
      rows_.data(), count, k_, nonce_key_,
      {leaves->mutable_data(), idx->mutable_data(), dat->mutable_data(), account_starts_.data(), accounts_offset_},
      threads_, progress);
  *idx = MappedRange();
  *dat = MappedRange();
  accounts_idx_.StartWriteback(base * 8, count * 8);
  accounts_dat_.StartWriteback(accounts_offset_, dat_bytes);
  accounts_offset_ += dat_bytes;
  TestPausePoint("tree-build-leaves-hashed");
  MappedRange current = std::move(*leaves);
  std::uint64_t current_count = count;
  for (unsigned level = 0; level < bucket_bits_; ++level) {
    const std::uint64_t parents = (current_count + 1) / 2;
    auto next = MapLevel(level + 1, base, parents);
    if (!next) return next.error();
    if (Status s =
            HashLevel(current.data(), current_count, k_, padding_[level], next->mutable_data(), threads_, progress);
        !s) {
      return s;
    }
    current = std::move(*next);
    Written(level, base, current_count);
    current_count = parents;
  }
  std::memcpy(bucket_tops_.data() + bucket * node_bytes_, current.data(), node_bytes_);
  current = MappedRange();
  Written(bucket_bits_, base, current_count);
  return Status::Ok();
}

Status TreeBuild::HashBuckets() {
  padding_ = PaddingHashes(k_, height_);
  bucket_tops_.resize(buckets_ * node_bytes_);
  std::uint64_t nodes = 0;
  for (unsigned level = 0; level <= height_; ++level) nodes += StoredNodes(n_, level);
  StepProgress progress(options_.progress, "hashing leaves and nodes", nodes);
  for (std::uint64_t b = 0; b < buckets_; ++b) {
    const std::uint64_t base = b << bucket_bits_;
    const std::uint64_t count = std::min(std::uint64_t{1} << bucket_bits_, n_ - base);
    if (!in_memory_) {
      if (Status s = LoadSpilledBucket(b, base, count); !s) return s;
    }
    if (Status s = HashBucket(b, base, count, progress); !s) return s;
  }
  if (!in_memory_) {
    bucket_rows_ = MappedRange();
    rows_.Release();
  }
  id_sizes_.Release();
  account_starts_.Release();
  std::uint8_t end[8];
  PutLe64(end, accounts_offset_);
  if (Status s = accounts_idx_.WriteAt(n_ * 8, end, sizeof end); !s) return s;
  return HashTopLevels(progress);
}

// Levels above the buckets (none when one bucket holds the whole tree), then the root.
Status TreeBuild::HashTopLevels(StepProgress& progress) {
  std::vector<std::uint8_t> current = std::move(bucket_tops_), next;
  std::uint64_t count = buckets_;
  for (unsigned level = bucket_bits_; level < height_; ++level) {
    const std::uint64_t parents = (count + 1) / 2;
    next.resize(parents * node_bytes_);
    if (Status s = HashLevel(current.data(), count, k_, padding_[level], next.data(), 1, progress); !s) return s;
    if (Status s = tree_.WriteAt(LevelOffset(n_, level + 1, k_), next.data(), next.size()); !s) return s;
    std::swap(current, next);
    count = parents;
  }
  root_.assets = options_.assets;
  root_.height = height_;
  root_.pool = options_.pool;
  std::memcpy(root_.hash.data(), current.data(), 32);
  root_.sums.resize(k_);
  for (std::size_t a = 0; a < k_; ++a) root_.sums[a] = U128FromBigEndian(current.data() + 32 + 16 * a);
  if (root_.sums != totals_) return Error{"internal error: root sums differ from the column totals"};
  return Status::Ok();
}

Status TreeBuild::WriteIndex() {
  AccountIndexInput input;
  input.liabilities_path = options_.liabilities_path;
  input.group_sizes.assign(kIndexGroups, 0);
  int idx_fd = -1, dat_fd = -1;
  if (in_memory_) {
    for (const auto& groups : index_groups_) {
      for (std::size_t g = 0; g < kIndexGroups; ++g) input.group_sizes[g] += groups[g].size();
    }
    input.load_group = [this](std::size_t g, std::vector<IndexEntry>& out) {
      out.clear();
      for (auto& groups : index_groups_) {
        out.insert(out.end(), groups[g].begin(), groups[g].end());
        groups[g] = {};
      }
      return Status::Ok();
    };
    input.id_at = [this](std::uint64_t position) -> Result<std::string> {
      return std::string(DecodeRowRecord(rows_[position], k_).id);
    };
  } else {
    for (std::size_t g = 0; g < kIndexGroups; ++g) input.group_sizes[g] = index_spill_.Size(g) / sizeof(IndexEntry);
    input.load_group = [this](std::size_t g, std::vector<IndexEntry>& out) {
      auto map = index_spill_.MapAndRemove(g);
      if (!map) return Status(map.error());
      out.resize(map->size() / sizeof(IndexEntry));
      if (!out.empty()) std::memcpy(out.data(), map->data(), out.size() * sizeof(IndexEntry));
      return Status::Ok();
    };
    idx_fd = ::open(Out("accounts.idx").c_str(), O_RDONLY | O_CLOEXEC);
    dat_fd = ::open(Out("accounts.dat").c_str(), O_RDONLY | O_CLOEXEC);
    input.id_at = [idx_fd, dat_fd](std::uint64_t position) -> Result<std::string> {
      std::uint8_t offsets[16];
      if (::pread(idx_fd, offsets, 16, static_cast<off_t>(position * 8)) != 16)
        return Error{"accounts.idx: short read"};
      const std::uint64_t begin = GetLe64(offsets) + kNonceBytes, end = GetLe64(offsets + 8);
      std::string id(end - begin, '\0');
      if (::pread(dat_fd, id.data(), id.size(), static_cast<off_t>(begin)) != static_cast<ssize_t>(id.size())) {
        return Error{"accounts.dat: short read"};
      }
      return id;
    };
  }
  StepProgress progress(options_.progress, "sorting the account index", n_);
  Status s = WriteAccountIndex(input, index_, threads_, progress);
  if (idx_fd >= 0) ::close(idx_fd);
  if (dat_fd >= 0) ::close(dat_fd);
  return s;
}

// The small files, then every file made durable: the directory is published by a rename next.
Status TreeBuild::Finish() {
  const auto header = TreeHeader(static_cast<std::uint32_t>(k_), height_, n_);
  if (Status s = tree_.WriteAt(0, header.data(), header.size()); !s) return s;

  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("format");
  WriteJsonString(w, kTreeMetaFormat);
  w.Key("pool");
  WriteJsonString(w, options_.pool);
  w.Key("assets");
  WriteAssets(w, options_.assets);
  w.Key("accounts");
  w.Uint64(n_);
  w.Key("height");
  w.Uint(height_);
  w.EndObject();
  const std::string meta = std::string(buffer.GetString(), buffer.GetSize()) + "\n";
  StepProgress progress(options_.progress, "writing", std::size(kTreeFiles));
  for (const char* name : kTreeFiles) {
    OutputFile* big = std::string_view(name) == "tree.bin"       ? &tree_
                      : std::string_view(name) == "accounts.idx" ? &accounts_idx_
                      : std::string_view(name) == "accounts.dat" ? &accounts_dat_
                      : std::string_view(name) == "index.bin"    ? &index_
                                                                 : nullptr;
    if (big != nullptr) {
      if (Status s = big->Close(Durability::kDurable); !s) return s;
    } else {
      auto file = OutputFile::Create(Out(name), name);
      if (!file) return file.error();
      const std::string text = std::string_view(name) == "tree.json" ? meta : PublishedRootToJson(root_) + "\n";
      if (Status s = file->Write(text); !s) return s;
      if (Status s = file->Close(Durability::kDurable); !s) return s;
    }
    progress.Add(1);
  }
  return SyncDirectory(out_);
}

Result<TreeBuildResult> TreeBuild::Run() {
  // The key for nonces: the given one, or a fresh random one that is never written anywhere.
  if (options_.nonce_key) {
    nonce_key_ = *options_.nonce_key;
  } else {
    CryptoPP::OS_GenerateRandomBlock(false, nonce_key_.data(), nonce_key_.size());
  }
  if (Status s = Plan(); !s) return s.error();
  if (Status s = ReadRows(); !s) return s.error();
  TestPausePoint("tree-build-rows-read");
  if (Status s = OpenOutputs(); !s) return s.error();
  if (Status s = HashBuckets(); !s) return s.error();
  if (Status s = WriteIndex(); !s) return s.error();
  if (Status s = Finish(); !s) return s.error();
  return TreeBuildResult{root_, n_};
}

// A liabilities "file" that is a pipe or a device cannot be read twice: copy it first.
Result<std::string> RegularLiabilitiesFile(const std::string& path, const std::string& scratch) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return Error{path + ": cannot open: " + std::strerror(errno)};
  if (S_ISREG(st.st_mode)) return path;
  if (S_ISDIR(st.st_mode)) return Error{path + ": is a directory, expected a file"};
  const std::string copy = scratch + "/liabilities.csv";
  std::ifstream in(path, std::ios::binary);
  std::ofstream out(copy, std::ios::binary);
  out << in.rdbuf();
  if (!in.good() && !in.eof()) return Error{path + ": read error"};
  if (!out.flush()) return Error{"temporary copy of " + path + ": write failed"};
  return copy;
}

// Errors about a temporary copy name the file the user gave.
Error NamingInput(Error error, const std::string& read, const std::string& given) {
  if (read == given) return error;
  for (std::size_t at; (at = error.message.find(read)) != std::string::npos;)
    error.message.replace(at, read.size(), given);
  return error;
}

}  // namespace

Result<TreeBuildResult> BuildTree(const TreeBuildOptions& options) {
  if (options.assets.empty()) return Error{"no assets given"};
  std::string out_dir = options.out_dir;
  while (out_dir.size() > 1 && out_dir.back() == '/') out_dir.pop_back();  // "tree/" is "tree"
  if (out_dir.empty()) return Error{"no output directory given"};
  const fs::path out(out_dir);
  const std::string parent = out.has_parent_path() ? out.parent_path().string() : ".";
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (!fs::is_directory(parent, ec)) return Error{parent + ": cannot create directory"};
  auto existing = InspectOutDir(out_dir);
  if (!existing) return existing.error();
  if (*existing == OutDir::kTree && options.existing == ExistingTree::kRefuse) {
    return Error{out_dir + ": already holds a tree (--force replaces it)"};
  }
  auto staging = StagingDir::Create(parent);
  if (!staging) return staging.error();
  if (::mkdir(staging->out().c_str(), 0777) != 0) return Error{parent + ": cannot create a temporary directory"};
  auto liabilities = RegularLiabilitiesFile(options.liabilities_path, staging->path());
  if (!liabilities) return liabilities.error();

  TreeBuild build(options, *liabilities, staging->path(), staging->out());
  auto built = build.Run();
  if (!built) return NamingInput(built.error(), *liabilities, options.liabilities_path);
  TestPausePoint("tree-build-before-publish");
  const Status published = *existing == OutDir::kTree ? staging->PublishReplacing(out_dir) : staging->Publish(out_dir);
  if (!published.ok()) return published.error();
  staging->Remove();  // with the old tree, after a replacement
  return built;
}

}  // namespace segverify::merkle
