#include "merkle/tree_builder.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <thread>

#include <crypto++/osrng.h>
#include <fcntl.h>
#include <unistd.h>

#include "common/file_io.h"
#include "common/sha256.h"
#include "merkle/json_fields.h"
#include "merkle/leaf_permutation.h"
#include "merkle/liabilities_csv.h"
#include "merkle/tree_hash.h"
#include "merkle/tree_layout.h"

namespace segverify::merkle {
namespace {

namespace fs = std::filesystem;

// A write-only file with a large buffer; errors carry the final file name.
class OutputFile {
 public:
  OutputFile() = default;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile() {
    if (file_ != nullptr) std::fclose(file_);  // failure path: the file is discarded anyway
  }

  Status Open(const std::string& path, const std::string& label) {
    label_ = label;
    file_ = std::fopen(path.c_str(), "wb");
    if (file_ == nullptr) return Error{label + ": cannot create: " + std::strerror(errno)};
    std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
    return Status::Ok();
  }
  Status Write(const void* data, std::size_t size) {
    if (size != 0 && std::fwrite(data, 1, size, file_) != size) {
      return Error{label_ + ": write failed: " + std::strerror(errno)};
    }
    written_ += size;
    return Status::Ok();
  }
  Status Flush() {
    if (std::fflush(file_) != 0) return Error{label_ + ": write failed: " + std::strerror(errno)};
    return Status::Ok();
  }
  // durable: fsync before closing (for files that are published; temporaries skip it).
  Status Close(bool durable = false) {
    if (file_ == nullptr) return Status::Ok();
    const bool ok = std::fflush(file_) == 0 && (!durable || ::fsync(::fileno(file_)) == 0);
    const bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    if (!ok || !closed) return Error{label_ + ": write failed: " + std::strerror(errno)};
    return Status::Ok();
  }
  std::uint64_t written() const { return written_; }

 private:
  std::FILE* file_ = nullptr;
  std::string label_;
  std::uint64_t written_ = 0;
};

Result<std::vector<std::uint8_t>> ReadWholeFile(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Error{path + ": cannot open: " + std::strerror(errno)};
  // Sized once from the file: buckets are up to hundreds of MiB.
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  std::vector<std::uint8_t> data(ec ? 0 : static_cast<std::size_t>(size));
  const bool complete = !ec && std::fread(data.data(), 1, data.size(), f) == data.size();
  std::fclose(f);
  if (!complete) return Error{path + ": read error"};
  return data;
}

// Removes the build's temporary directory unless the build succeeded and moved its files out.
class BuildDirGuard {
 public:
  explicit BuildDirGuard(std::string path) : path_(std::move(path)) {}
  ~BuildDirGuard() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string File(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

// Runs fn(begin, end) over [0, count) split across up to `threads` threads.
template <typename Fn>
void ParallelFor(unsigned threads, std::size_t count, Fn fn) {
  if (threads <= 1 || count < 1024) {
    fn(std::size_t{0}, count);
    return;
  }
  std::vector<std::thread> workers;
  const std::size_t per = (count + threads - 1) / threads;
  for (unsigned t = 0; t < threads; ++t) {
    const std::size_t begin = std::min(count, per * t);
    const std::size_t end = std::min(count, begin + per);
    if (begin < end) workers.emplace_back([=, &fn] { fn(begin, end); });
  }
  for (auto& w : workers) w.join();
}

// Row record, as spilled to disk: [position u64][line u64][id length u32][id][amounts, 16-byte BE each].
struct RowView {
  std::uint64_t position;
  std::uint64_t line;
  std::string_view id;
  const std::uint8_t* amounts_be;
};

constexpr std::size_t kRowHeaderBytes = 20;

RowView DecodeRow(const std::uint8_t* p, std::size_t asset_count, std::size_t* size) {
  RowView row;
  row.position = GetLe64(p);
  row.line = GetLe64(p + 8);
  const std::uint32_t id_len = GetLe32(p + 16);
  row.id = std::string_view(reinterpret_cast<const char*>(p + kRowHeaderBytes), id_len);
  row.amounts_be = p + kRowHeaderBytes + id_len;
  *size = kRowHeaderBytes + id_len + 16 * asset_count;
  return row;
}

class TreeBuild {
 public:
  TreeBuild(const TreeBuildOptions& options, std::string temp_dir)
      : options_(options), guard_(std::move(temp_dir)), k_(options.assets.size()), node_bytes_(NodeBytes(k_)) {
    threads_ = options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  }

  Result<TreeBuildResult> Run();

 private:
  void Progress(std::string_view stage, std::uint64_t done, std::uint64_t total) const {
    if (options_.progress) options_.progress(stage, done, total);
  }
  Status ReadLiabilities();
  Status ScatterRows();
  Status HashLeaves();
  Status HashBucket(std::vector<std::uint8_t>& data, std::uint64_t base, std::uint64_t count);
  Status SortIndex();
  Status HashUpperLevels();
  Status Publish();

  const TreeBuildOptions& options_;
  BuildDirGuard guard_;
  std::size_t k_;
  std::size_t node_bytes_;
  unsigned threads_ = 1;
  std::array<std::uint8_t, 32> nonce_key_{};
  LeafPermutation permutation_ = LeafPermutation::Identity(0);

  std::uint64_t n_ = 0;
  std::uint64_t rows_bytes_ = 0;
  std::vector<u128> totals_;
  unsigned height_ = 1;
  std::uint64_t position_buckets_ = 1;
  std::uint64_t bucket_span_ = 0;
  unsigned index_bucket_bits_ = 0;

  OutputFile tree_file_, accounts_idx_, accounts_dat_;
  std::vector<std::unique_ptr<OutputFile>> index_buckets_;
  std::uint64_t accounts_offset_ = 0;
  PublishedRoot root_;
};

Status TreeBuild::ReadLiabilities() {
  auto reader = LiabilitiesReader::Open(options_.liabilities_path, options_.assets);
  if (!reader) return reader.error();
  OutputFile rows;
  if (Status s = rows.Open(guard_.File("rows.tmp"), "temporary rows file"); !s) return s;
  LiabilityRow row;
  std::vector<std::uint8_t> record;
  while (true) {
    auto more = reader->Next(row);
    if (!more) return more.error();
    if (!*more) break;
    record.resize(kRowHeaderBytes + row.account_id.size() + 16 * k_);
    PutLe64(record.data(), n_);  // ordinal for now; the position is assigned when scattering
    PutLe64(record.data() + 8, row.line);
    PutLe32(record.data() + 16, static_cast<std::uint32_t>(row.account_id.size()));
    std::memcpy(record.data() + kRowHeaderBytes, row.account_id.data(), row.account_id.size());
    std::uint8_t* amounts = record.data() + kRowHeaderBytes + row.account_id.size();
    for (std::size_t i = 0; i < k_; ++i) U128ToBigEndian(row.amounts[i], amounts + 16 * i);
    if (Status s = rows.Write(record.data(), record.size()); !s) return s;
    ++n_;
    if (n_ % 1000000 == 0) Progress("reading liabilities", n_, 0);
  }
  if (n_ == 0) return Error{options_.liabilities_path + ": no accounts (only a header)"};
  rows_bytes_ = rows.written();
  totals_ = reader->totals();
  Progress("reading liabilities", n_, n_);
  return rows.Close();
}

// Moves every row to the bucket of its leaf position, so each bucket can be hashed in memory.
Status TreeBuild::ScatterRows() {
  height_ = TreeHeight(n_);
  if (height_ > kMaxTreeHeight) return Error{"too many accounts for one tree"};
  position_buckets_ = std::max<std::uint64_t>(1, (rows_bytes_ + n_ * 8 + options_.bucket_bytes - 1) / options_.bucket_bytes);
  bucket_span_ = (n_ + position_buckets_ - 1) / position_buckets_;
  position_buckets_ = (n_ + bucket_span_ - 1) / bucket_span_;
  if (position_buckets_ == 1) {
    // Everything fits in one bucket: hash straight from the rows file (positions are assigned
    // when it is loaded), without writing and reading it a second time.
    std::error_code ec;
    fs::rename(guard_.File("rows.tmp"), guard_.File("bucket-0.tmp"), ec);
    if (ec) return Error{"temporary rows file: cannot rename: " + ec.message()};
    return Status::Ok();
  }

  std::vector<std::unique_ptr<OutputFile>> buckets(position_buckets_);
  for (std::uint64_t b = 0; b < position_buckets_; ++b) {
    buckets[b] = std::make_unique<OutputFile>();
    if (Status s = buckets[b]->Open(guard_.File("bucket-" + std::to_string(b) + ".tmp"), "temporary bucket file"); !s) {
      return s;
    }
  }
  std::FILE* in = std::fopen(guard_.File("rows.tmp").c_str(), "rb");
  if (in == nullptr) return Error{"temporary rows file: cannot open: " + std::string(std::strerror(errno))};
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(in, &std::fclose);
  std::setvbuf(in, nullptr, _IOFBF, 1 << 20);
  std::vector<std::uint8_t> record(kRowHeaderBytes);
  for (std::uint64_t i = 0; i < n_; ++i) {
    if (std::fread(record.data(), 1, kRowHeaderBytes, in) != kRowHeaderBytes) return Error{"temporary rows file: short read"};
    const std::size_t rest = GetLe32(record.data() + 16) + 16 * k_;
    record.resize(kRowHeaderBytes + rest);
    if (std::fread(record.data() + kRowHeaderBytes, 1, rest, in) != rest) return Error{"temporary rows file: short read"};
    const std::uint64_t position = permutation_(i);
    PutLe64(record.data(), position);
    if (Status s = buckets[position / bucket_span_]->Write(record.data(), record.size()); !s) return s;
    record.resize(kRowHeaderBytes);
  }
  closer.reset();
  std::error_code ec;
  fs::remove(guard_.File("rows.tmp"), ec);
  for (auto& b : buckets) {
    if (Status s = b->Close(); !s) return s;
  }
  return Status::Ok();
}

Status TreeBuild::HashBucket(std::vector<std::uint8_t>& data, std::uint64_t base, std::uint64_t count) {
  // slot[p - base] = offset of the row whose leaf position is p.
  std::vector<std::size_t> slot(count, SIZE_MAX);
  for (std::size_t offset = 0; offset < data.size();) {
    std::size_t size;
    const RowView row = DecodeRow(data.data() + offset, k_, &size);
    // A single bucket is the rows file itself, whose position field still holds the ordinal.
    const std::uint64_t position = position_buckets_ == 1 ? permutation_(row.position) : row.position;
    if (position < base || position - base >= count || slot[position - base] != SIZE_MAX) {
      return Error{"internal error: leaf permutation is not a bijection"};
    }
    slot[position - base] = offset;
    offset += size;
  }
  {
    // Copy the rows into leaf order once (one pass of random reads), so that hashing and writing
    // below read memory sequentially instead of jumping around the shuffled bucket twice.
    std::vector<std::uint8_t> ordered(data.size());
    std::size_t at = 0;
    for (std::size_t i = 0; i < count; ++i) {
      std::size_t size;
      DecodeRow(data.data() + slot[i], k_, &size);
      std::memcpy(ordered.data() + at, data.data() + slot[i], size);
      slot[i] = at;
      at += size;
    }
    data.swap(ordered);
  }
  std::vector<std::uint8_t> nodes(count * node_bytes_);
  std::vector<Hash256> nonces(count);
  std::vector<std::uint64_t> keys(count);
  ParallelFor(threads_, count, [&](std::size_t begin, std::size_t end) {
    HmacSha256 hmac(nonce_key_);
    TreeHasher hasher;
    for (std::size_t i = begin; i < end; ++i) {
      std::size_t size;
      const RowView row = DecodeRow(data.data() + slot[i], k_, &size);
      nonces[i] = hmac.Mac(row.id);
      const Hash256 leaf = hasher.LeafFromSerialized(hasher.AccountCommitment(nonces[i], row.id),
                                                     {row.amounts_be, 16 * k_});
      std::uint8_t* node = nodes.data() + i * node_bytes_;
      std::memcpy(node, leaf.data(), 32);
      std::memcpy(node + 32, row.amounts_be, 16 * k_);
      keys[i] = AccountIndexKey(row.id);
    }
  });
  if (Status s = tree_file_.Write(nodes.data(), nodes.size()); !s) return s;
  std::uint8_t le[8];
  std::uint8_t index_record[24];
  for (std::size_t i = 0; i < count; ++i) {
    std::size_t size;
    const RowView row = DecodeRow(data.data() + slot[i], k_, &size);
    PutLe64(le, accounts_offset_);
    if (Status s = accounts_idx_.Write(le, 8); !s) return s;
    if (Status s = accounts_dat_.Write(nonces[i].data(), kNonceBytes); !s) return s;
    if (Status s = accounts_dat_.Write(row.id.data(), row.id.size()); !s) return s;
    accounts_offset_ += kNonceBytes + row.id.size();
    PutLe64(index_record, keys[i]);
    PutLe64(index_record + 8, base + i);
    PutLe64(index_record + 16, row.line);
    const std::uint64_t bucket = index_bucket_bits_ == 0 ? 0 : keys[i] >> (64 - index_bucket_bits_);
    if (Status s = index_buckets_[bucket]->Write(index_record, sizeof index_record); !s) return s;
  }
  return Status::Ok();
}

Status TreeBuild::HashLeaves() {
  if (Status s = tree_file_.Open(guard_.File("tree.bin"), "tree.bin"); !s) return s;
  const auto header = TreeHeader(static_cast<std::uint32_t>(k_), height_, n_);
  if (Status s = tree_file_.Write(header.data(), header.size()); !s) return s;
  if (Status s = accounts_idx_.Open(guard_.File("accounts.idx"), "accounts.idx"); !s) return s;
  if (Status s = accounts_dat_.Open(guard_.File("accounts.dat"), "accounts.dat"); !s) return s;
  while ((n_ * 24 >> index_bucket_bits_) > options_.bucket_bytes && index_bucket_bits_ < 16) ++index_bucket_bits_;
  index_buckets_.resize(std::size_t{1} << index_bucket_bits_);
  for (std::size_t b = 0; b < index_buckets_.size(); ++b) {
    index_buckets_[b] = std::make_unique<OutputFile>();
    if (Status s = index_buckets_[b]->Open(guard_.File("index-" + std::to_string(b) + ".tmp"), "temporary index file"); !s) {
      return s;
    }
  }
  for (std::uint64_t b = 0; b < position_buckets_; ++b) {
    const std::string path = guard_.File("bucket-" + std::to_string(b) + ".tmp");
    auto data = ReadWholeFile(path);
    if (!data) return data.error();
    std::error_code ec;
    fs::remove(path, ec);
    const std::uint64_t base = b * bucket_span_;
    if (Status s = HashBucket(*data, base, std::min(bucket_span_, n_ - base)); !s) return s;
    Progress("hashing leaves", std::min(n_, base + bucket_span_), n_);
  }
  std::uint8_t le[8];
  PutLe64(le, accounts_offset_);
  if (Status s = accounts_idx_.Write(le, 8); !s) return s;
  if (Status s = accounts_idx_.Close(true); !s) return s;
  if (Status s = accounts_dat_.Close(true); !s) return s;
  for (auto& b : index_buckets_) {
    if (Status s = b->Close(); !s) return s;
  }
  return tree_file_.Flush();
}

// Sorts the index by key and finds duplicate account ids (equal keys with equal stored ids).
Status TreeBuild::SortIndex() {
  OutputFile index;
  if (Status s = index.Open(guard_.File("index.bin"), "index.bin"); !s) return s;
  std::uint8_t header[kIndexHeaderBytes] = {};
  std::memcpy(header, kIndexMagic, 8);
  PutLe64(header + 8, n_);
  if (Status s = index.Write(header, sizeof header); !s) return s;

  const int idx_fd = ::open(guard_.File("accounts.idx").c_str(), O_RDONLY);
  const int dat_fd = ::open(guard_.File("accounts.dat").c_str(), O_RDONLY);
  auto close_fds = [&] {
    if (idx_fd >= 0) ::close(idx_fd);
    if (dat_fd >= 0) ::close(dat_fd);
  };
  if (idx_fd < 0 || dat_fd < 0) {
    close_fds();
    return Error{"accounts files: cannot reopen"};
  }
  auto read_id = [&](std::uint64_t position) -> std::string {
    std::uint8_t offsets[16];
    if (::pread(idx_fd, offsets, 16, static_cast<off_t>(position * 8)) != 16) return {};
    const std::uint64_t begin = GetLe64(offsets) + kNonceBytes, end = GetLe64(offsets + 8);
    std::string id(end - begin, '\0');
    if (::pread(dat_fd, id.data(), id.size(), static_cast<off_t>(begin)) != static_cast<ssize_t>(id.size())) return {};
    return id;
  };
  struct Entry {
    std::uint64_t key, position, line;
  };
  Status status;
  for (std::size_t b = 0; b < index_buckets_.size() && status.ok(); ++b) {
    const std::string path = guard_.File("index-" + std::to_string(b) + ".tmp");
    auto data = ReadWholeFile(path);
    if (!data) {
      status = data.error();
      break;
    }
    std::vector<Entry> entries(data->size() / 24);
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const std::uint8_t* p = data->data() + 24 * i;
      entries[i] = {GetLe64(p), GetLe64(p + 8), GetLe64(p + 16)};
    }
    data->clear();
    data->shrink_to_fit();
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b2) { return a.key != b2.key ? a.key < b2.key : a.line < b2.line; });
    std::vector<std::uint8_t> out(entries.size() * kIndexEntryBytes);
    for (std::size_t i = 0; i < entries.size(); ++i) {
      // Equal keys: compare the ids (a key collision between different ids is legitimate).
      for (std::size_t j = i; j > 0 && entries[j - 1].key == entries[i].key; --j) {
        if (read_id(entries[j - 1].position) == read_id(entries[i].position)) {
          status = Error{options_.liabilities_path + ":" + std::to_string(entries[i].line) + ":1: duplicate account id \"" +
                         read_id(entries[i].position) + "\" (first on line " + std::to_string(entries[j - 1].line) + ")"};
          break;
        }
      }
      if (!status.ok()) break;
      PutLe64(out.data() + kIndexEntryBytes * i, entries[i].key);
      PutLe64(out.data() + kIndexEntryBytes * i + 8, entries[i].position);
    }
    if (status.ok()) status = index.Write(out.data(), out.size());
    std::error_code ec;
    fs::remove(path, ec);
  }
  close_fds();
  if (!status.ok()) return status;
  Progress("indexing accounts", n_, n_);
  return index.Close(true);
}

// Computes levels 1..height from the level below, streaming through tree.bin.
Status TreeBuild::HashUpperLevels() {
  const int fd = ::open(guard_.File("tree.bin").c_str(), O_RDONLY);
  if (fd < 0) return Error{"tree.bin: cannot reopen"};
  std::unique_ptr<int, void (*)(int*)> closer(new int(fd), [](int* p) {
    ::close(*p);
    delete p;
  });
  const std::vector<Hash256> padding = PaddingHashes(k_, height_);
  std::vector<std::uint8_t> padding_node(node_bytes_, 0);
  constexpr std::uint64_t kChunkParents = 1 << 16;
  std::vector<std::uint8_t> children, parents;
  std::vector<unsigned char> overflow(threads_, 0);
  for (unsigned level = 0; level < height_; ++level) {
    if (Status s = tree_file_.Flush(); !s) return s;
    const std::uint64_t child_count = StoredNodes(n_, level);
    const std::uint64_t parent_count = StoredNodes(n_, level + 1);
    const std::uint64_t child_offset = LevelOffset(n_, level, k_);
    std::memcpy(padding_node.data(), padding[level].data(), 32);
    for (std::uint64_t first = 0; first < parent_count; first += kChunkParents) {
      const std::uint64_t count = std::min(kChunkParents, parent_count - first);
      const std::uint64_t first_child = 2 * first;
      const std::uint64_t children_here = std::min(2 * count, child_count - first_child);
      children.resize(children_here * node_bytes_);
      const auto want = static_cast<ssize_t>(children.size());
      if (::pread(fd, children.data(), children.size(), static_cast<off_t>(child_offset + first_child * node_bytes_)) != want) {
        return Error{"tree.bin: short read"};
      }
      parents.resize(count * node_bytes_);
      std::fill(overflow.begin(), overflow.end(), 0);
      ParallelFor(threads_, count, [&](std::size_t begin, std::size_t end) {
        TreeHasher hasher;
        for (std::size_t p = begin; p < end; ++p) {
          const std::uint8_t* left = children.data() + 2 * p * node_bytes_;
          const std::uint8_t* right = 2 * p + 1 < children_here ? left + node_bytes_ : padding_node.data();
          std::uint8_t* out = parents.data() + p * node_bytes_;
          const Hash256 h = hasher.NodeFromSerialized({left, node_bytes_}, {right, node_bytes_});
          std::memcpy(out, h.data(), 32);
          for (std::size_t a = 0; a < k_; ++a) {
            auto sum = CheckedAdd(U128FromBigEndian(left + 32 + 16 * a), U128FromBigEndian(right + 32 + 16 * a));
            if (!sum) {
              overflow[0] = 1;  // cannot happen: column totals were checked; kept as a guard
              return;
            }
            U128ToBigEndian(*sum, out + 32 + 16 * a);
          }
        }
      });
      if (overflow[0] != 0) return Error{"internal error: node sum overflow"};
      if (Status s = tree_file_.Write(parents.data(), parents.size()); !s) return s;
    }
    Progress("hashing nodes", level + 1, height_);
  }
  // The last node written is the root.
  if (Status s = tree_file_.Flush(); !s) return s;
  std::vector<std::uint8_t> root(node_bytes_);
  if (::pread(fd, root.data(), node_bytes_, static_cast<off_t>(LevelOffset(n_, height_, k_))) !=
      static_cast<ssize_t>(node_bytes_)) {
    return Error{"tree.bin: short read"};
  }
  root_.assets = options_.assets;
  root_.height = height_;
  std::memcpy(root_.hash.data(), root.data(), 32);
  root_.sums.resize(k_);
  for (std::size_t a = 0; a < k_; ++a) root_.sums[a] = U128FromBigEndian(root.data() + 32 + 16 * a);
  if (root_.sums != totals_) return Error{"internal error: root sums differ from the column totals"};
  return tree_file_.Close(true);
}

Status TreeBuild::Publish() {
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
  if (Status s = WriteFileAtomic(guard_.File("tree.json"), meta); !s) return s;
  if (Status s = WriteFileAtomic(guard_.File("root.json"), PublishedRootToJson(root_) + "\n"); !s) return s;
  // A previous root.json goes first, so a reader never pairs an old root with new tree files.
  std::error_code ec;
  fs::remove(options_.out_dir + "/root.json", ec);
  for (const char* name : {"tree.bin", "accounts.idx", "accounts.dat", "index.bin", "tree.json", "root.json"}) {
    fs::rename(guard_.File(name), options_.out_dir + "/" + name, ec);
    if (ec) return Error{options_.out_dir + "/" + name + ": cannot move into place: " + ec.message()};
  }
  return Status::Ok();
}

Result<TreeBuildResult> TreeBuild::Run() {
  // The key for nonces: the given one, or a fresh random one that is never written anywhere.
  if (options_.nonce_key) {
    nonce_key_ = *options_.nonce_key;
  } else {
    CryptoPP::OS_GenerateRandomBlock(false, nonce_key_.data(), nonce_key_.size());
  }
  if (Status s = ReadLiabilities(); !s) return s.error();
  if (options_.shuffle) {
    // The shuffle key derives from the nonce key, so --nonce-key builds are reproducible.
    const Hash256 derived = HmacSha256(nonce_key_).Mac("segverify/leaf-permutation");
    std::array<std::uint8_t, 16> key;
    std::memcpy(key.data(), derived.data(), key.size());
    permutation_ = LeafPermutation::Keyed(n_, key);
  } else {
    permutation_ = LeafPermutation::Identity(n_);
  }
  if (Status s = ScatterRows(); !s) return s.error();
  if (Status s = HashLeaves(); !s) return s.error();
  if (Status s = SortIndex(); !s) return s.error();
  if (Status s = HashUpperLevels(); !s) return s.error();
  if (Status s = Publish(); !s) return s.error();
  return TreeBuildResult{root_, n_};
}

}  // namespace

Result<TreeBuildResult> BuildTree(const TreeBuildOptions& options) {
  if (options.assets.empty()) return Error{"no assets given"};
  std::error_code ec;
  fs::create_directories(options.out_dir, ec);
  if (ec || !fs::is_directory(options.out_dir)) return Error{options.out_dir + ": cannot create directory"};
  std::string temp = options.out_dir + "/.build-XXXXXX";
  if (::mkdtemp(temp.data()) == nullptr) return Error{options.out_dir + ": cannot create a temporary directory"};
  TreeBuild build(options, temp);
  return build.Run();
}

}  // namespace segverify::merkle
