// Staging directories: outputs are all or nothing (docs/DESIGN.md §Outputs are all or nothing).
//
// Every output of segverify — a file (AtomicFile, `proof export --out`) or a directory (a tree,
// `proof export --out-dir`, `attest --out`, `publish --out`; see output_dir.h) — is prepared at
// "<parent>/.segverify-tmp-<pid>-<16 hex>/out", beside its final path, and renamed onto the final
// path at the end: readers see the old output or the new one, never a mixture, and a run that
// fails leaves the old one as it was.
//
// Nothing is left behind for long:
//  - a StagingDir that is destroyed unpublished removes itself;
//  - on SIGINT, SIGTERM or SIGHUP, InstallInterruptCleanup()'s watcher removes every live one,
//    then ends the process by that signal. It takes the lock Publish*() holds, so a signal during
//    a swap sees the old output or the new one in place, never neither;
//  - a run killed with -9 (or a power loss) leaves one behind; creating a StagingDir first removes
//    those of dead runs in the same parent. A directory is removed only when its name has exactly
//    the pattern above, it holds the marker file kStagingMarker, and the process of that pid is
//    gone — or the pid is ours and the directory is not one of ours (containers reuse pids).
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace segverify {

inline constexpr std::string_view kStagingPrefix = ".segverify-tmp-";
inline constexpr std::string_view kStagingMarker = "segverify-staging";

class StagingDir {
 public:
  ~StagingDir();
  StagingDir(StagingDir&& other) noexcept;
  StagingDir& operator=(StagingDir&& other) noexcept;
  StagingDir(const StagingDir&) = delete;
  StagingDir& operator=(const StagingDir&) = delete;

  // Creates a staging directory in `parent` (which must exist), after removing stale ones there.
  [[nodiscard]] static Result<StagingDir> Create(const std::string& parent);

  const std::string& path() const { return path_; }
  // Where the output is prepared: a file or directory the caller creates.
  std::string out() const { return path_ + "/out"; }

  // Renames out() onto `target` (a missing path, a file, or an empty directory) and makes the
  // rename durable. The caller has made out()'s contents durable first.
  [[nodiscard]] Status Publish(const std::string& target);
  // The same for a `target` directory that holds an earlier output: the two are exchanged in one
  // step (renameat2 RENAME_EXCHANGE; where the file system cannot, the old one is moved aside and
  // put back if the second rename fails), so `target` never goes missing; the old output ends up
  // here and is removed with the staging directory.
  [[nodiscard]] Status PublishReplacing(const std::string& target);

  // Removes the staging directory and everything in it (also done by the destructor).
  void Remove();

 private:
  explicit StagingDir(std::string path);
  std::string path_;
};

// True for a name of the staging pattern (".segverify-tmp-<digits>-<16 lower-case hex>").
bool IsStagingDirName(std::string_view name);

// Removes the staging directories of dead runs in `parent` (see above); errors are ignored (best
// effort: what cannot be removed now is tried again by the next run).
void RemoveStaleStagingDirs(const std::string& parent);

// Installs handlers for SIGINT, SIGTERM and SIGHUP that remove every live StagingDir, then end
// the process by that signal as it would have ended without them. The handler only writes one
// byte to a pipe (async-signal-safe); a watcher thread does the removal. A signal that was
// ignored (SIGHUP under nohup) stays ignored. Idempotent; call it before the first StagingDir is
// created.
void InstallInterruptCleanup();

}  // namespace segverify
