#include "merkle/proof_export.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <mutex>

#include "common/file_io.h"
#include "common/hex.h"
#include "common/parallel.h"
#include "common/sha256.h"
#include "common/staging_dir.h"
#include "common/test_hook.h"
#include "merkle/inclusion_proof.h"
#include "merkle/step_progress.h"
#include "merkle/tree_levels.h"

namespace segverify::merkle {
namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t kBlock = 4096;  // proofs formatted per turn (~15 MB for 4 assets, 1M accounts)

unsigned Threads(const ProofExportOptions& options) {
  return options.threads != 0 ? options.threads : DefaultThreads();
}

// One worker's formatting state, reused for every proof it formats.
class ProofFormatter {
 public:
  explicit ProofFormatter(const TreeStore& tree) : tree_(tree), writer_(tree.pool(), tree.root().assets) {}

  // The proof at `position` as one line (with its newline), appended to `out`.
  Status AppendLine(std::uint64_t position, std::string& out) {
    if (Status s = tree_.ExportProofInto(position, proof_); !s) return s;
    writer_.Append(proof_, out);
    out.push_back('\n');
    return Status::Ok();
  }
  const InclusionProof& last() const { return proof_; }

 private:
  const TreeStore& tree_;
  ProofJsonWriter writer_;
  InclusionProof proof_;
};

// Formats blocks of proofs on every thread and hands each block's lines to `write` with its
// offset in the output, in leaf order. `in_turn`: call `write` while holding the block's turn
// (for a stream, where order is position); otherwise only the offset is taken in turn and the
// writes of different blocks run at once (for a file, with positioned writes).
Status ExportLines(const TreeStore& tree, const ProofExportOptions& options,
                   const std::function<Status(const std::string& lines, std::uint64_t offset)>& write, bool in_turn) {
  const std::uint64_t n = tree.accounts();
  const std::uint64_t blocks = (n + kBlock - 1) / kBlock;
  StepProgress progress(options.progress, "exporting proofs", n);
  std::atomic<std::uint64_t> next{0};
  std::mutex mutex;
  std::condition_variable turn_changed;
  std::uint64_t turn = 0, offset = 0;
  Status failure;
  auto fail = [&](Status s) {
    std::lock_guard lock(mutex);
    if (failure.ok()) failure = std::move(s);
    turn_changed.notify_all();
  };
  const unsigned threads = Threads(options);
  RunParallel(threads, threads, [&](std::size_t) {
    ProofFormatter formatter(tree);
    std::string lines;
    for (std::uint64_t b; (b = next++) < blocks;) {
      lines.clear();
      const std::uint64_t begin = b * kBlock, end = std::min(n, begin + kBlock);
      Status formatted;
      for (std::uint64_t p = begin; p < end && formatted.ok(); ++p) formatted = formatter.AppendLine(p, lines);
      std::uint64_t at = 0;
      {
        std::unique_lock lock(mutex);
        turn_changed.wait(lock, [&] { return turn == b || !failure.ok(); });
        if (!failure.ok()) return;
        if (!formatted.ok()) {
          failure = formatted;
          turn_changed.notify_all();
          return;
        }
        at = offset;
        offset += lines.size();
        if (in_turn) {
          if (Status s = write(lines, at); !s) {
            failure = s;
            turn_changed.notify_all();
            return;
          }
        }
        ++turn;
      }
      turn_changed.notify_all();
      if (!in_turn) {
        if (Status s = write(lines, at); !s) return fail(s);
      }
      progress.Add(end - begin);
    }
  });
  return failure;
}

// What a directory holds before an export: nothing, or an earlier export (two-hex-digit folders).
enum class ExportDir { kMissing, kEmpty, kExport };

Result<ExportDir> InspectExportDir(const std::string& dir) {
  std::error_code ec;
  const fs::file_status status = fs::symlink_status(dir, ec);
  if (ec || status.type() == fs::file_type::not_found) return ExportDir::kMissing;
  if (status.type() != fs::file_type::directory) return Error{dir + ": exists and is not a directory"};
  bool any = false;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const bool export_folder = name.size() == 2 && std::isxdigit(static_cast<unsigned char>(name[0])) &&
                               std::isxdigit(static_cast<unsigned char>(name[1])) && it->is_directory();
    if (!export_folder) return Error{dir + ": not empty and not a proof export (it holds \"" + name + "\")"};
    any = true;
  }
  if (ec) return Error{dir + ": cannot read directory: " + ec.message()};
  return any ? ExportDir::kExport : ExportDir::kEmpty;
}

class DirFds {
 public:
  ~DirFds() {
    for (int fd : fds_) {
      if (fd >= 0) ::close(fd);
    }
  }
  // Creates and opens the 256 folders of `dir`.
  Status Open(const std::string& dir) {
    fds_.fill(-1);
    for (std::size_t i = 0; i < fds_.size(); ++i) {
      const std::string sub = dir + "/" + ToHex(std::array<std::uint8_t, 1>{static_cast<std::uint8_t>(i)});
      if (::mkdir(sub.c_str(), 0777) != 0 && errno != EEXIST)
        return Error{sub + ": cannot create: " + std::strerror(errno)};
      fds_[i] = ::open(sub.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (fds_[i] < 0) return Error{sub + ": cannot open: " + std::strerror(errno)};
    }
    return Status::Ok();
  }
  int operator[](std::size_t i) const { return fds_[i]; }
  // Makes every file written below durable, then the folders' entries.
  Status Sync(const std::string& dir) const {
    if (::syncfs(fds_[0]) != 0) return Error{dir + ": cannot sync: " + std::strerror(errno)};
    for (int fd : fds_) {
      if (::fsync(fd) != 0) return Error{dir + ": cannot sync: " + std::strerror(errno)};
    }
    return SyncDirectory(dir);
  }

 private:
  std::array<int, 256> fds_{};
};

Status WriteProofFile(int dir_fd, const std::string& name, const std::string& text, const std::string& shown) {
  const int fd = ::openat(dir_fd, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) return Error{shown + ": cannot create: " + std::strerror(errno)};
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string error = n < 0 ? std::strerror(errno) : "no space left";
      ::close(fd);
      return Error{shown + ": write failed: " + error};
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) return Error{shown + ": write failed: " + std::strerror(errno)};
  return Status::Ok();
}

std::string WithoutTrailingSlashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

}  // namespace

std::string ProofFileName(std::string_view account_id) {
  const std::string hex = ToHex(Sha256(account_id));
  return hex.substr(0, 2) + "/" + hex + ".json";
}

Status ExportProofsToFile(const TreeStore& tree, const std::string& path, const ProofExportOptions& options) {
  auto file = AtomicFile::Create(path);
  if (!file) return file.error();
  const OutputFile& out = file->file();
  Status s = ExportLines(
      tree, options,
      [&out](const std::string& lines, std::uint64_t offset) {
        if (Status w = out.WriteAt(offset, lines.data(), lines.size()); !w) return w;
        out.StartWriteback();  // so that the fsync before the rename has little left to do
        return Status::Ok();
      },
      /*in_turn=*/false);
  if (!s.ok()) return s;
  TestPausePoint("proof-export-before-commit");
  return file->Commit();
}

Status ExportProofsToStream(const TreeStore& tree, const std::function<Status(std::string_view)>& write,
                            const ProofExportOptions& options) {
  return ExportLines(
      tree, options, [&write](const std::string& lines, std::uint64_t) { return write(lines); }, /*in_turn=*/true);
}

Status ExportProofsToDirectory(const TreeStore& tree, const std::string& dir_given, const ProofExportOptions& options) {
  const std::string dir = WithoutTrailingSlashes(dir_given);
  auto existing = InspectExportDir(dir);
  if (!existing) return existing.error();
  if (*existing == ExportDir::kExport && !options.replace)
    return Error{dir + ": already holds proofs (--force replaces them)"};
  const fs::path target(dir);
  const std::string parent = target.has_parent_path() ? target.parent_path().string() : ".";
  std::error_code ec;
  fs::create_directories(parent, ec);
  auto staging = StagingDir::Create(parent);
  if (!staging) return staging.error();
  if (::mkdir(staging->out().c_str(), 0777) != 0) return Error{parent + ": cannot create a temporary directory"};
  DirFds folders;
  if (Status s = folders.Open(staging->out()); !s) return s;

  StepProgress progress(options.progress, "exporting proofs", tree.accounts());
  std::mutex mutex;
  Status failure;
  ForBlocks(
      tree.accounts(), Threads(options), 1024,
      [&] { return std::pair<ProofFormatter, std::string>(ProofFormatter(tree), std::string()); },
      [&](std::pair<ProofFormatter, std::string>& state, std::uint64_t begin, std::uint64_t end) {
        {
          std::lock_guard lock(mutex);
          if (!failure.ok()) return;
        }
        auto& [formatter, text] = state;
        for (std::uint64_t p = begin; p < end; ++p) {
          text.clear();
          Status s = formatter.AppendLine(p, text);
          if (s.ok()) {
            const std::string name = ProofFileName(formatter.last().account_id);
            s = WriteProofFile(folders[static_cast<std::size_t>(std::stoul(name.substr(0, 2), nullptr, 16))],
                               name.substr(3), text, dir + "/" + name);
          }
          if (!s.ok()) {
            std::lock_guard lock(mutex);
            if (failure.ok()) failure = s;
            return;
          }
        }
        progress.Add(end - begin);
      });
  if (!failure.ok()) return failure;
  TestPausePoint("proof-export-dir-before-publish");
  if (Status s = folders.Sync(staging->out()); !s) return s;
  const Status published = *existing == ExportDir::kExport ? staging->PublishReplacing(dir) : staging->Publish(dir);
  if (!published.ok()) return published;
  staging->Remove();
  return Status::Ok();
}

}  // namespace segverify::merkle
