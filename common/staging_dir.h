// Staging directories: outputs are all or nothing (DESIGN.md "Outputs are all or nothing").
//
// A run prepares its output (a file or a directory) at "<parent>/.segverify-tmp-<pid>-<16 hex>/out",
// beside the final path, and renames it onto the final path at the end: readers see the old
// output or the new one, never a mixture, and a run that fails leaves the old one as it was.
//
// Nothing is left behind for long:
//  - a StagingDir that is destroyed unpublished removes itself;
//  - on SIGINT/SIGTERM the handler of InstallInterruptCleanup() removes every live one, then the
//    signal takes its course;
//  - a run killed with -9 (or a power loss) leaves one behind; creating a StagingDir first removes
//    those of dead runs in the same parent. A directory is removed only when its name has exactly
//    the pattern above, it holds the marker file kStagingMarker, and no process with that pid is
//    alive — nothing else can match.
#pragma once

#include <memory>
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
  // step (renameat2 RENAME_EXCHANGE), so `target` never goes missing; the old output ends up
  // here and is removed with the staging directory.
  [[nodiscard]] Status PublishReplacing(const std::string& target);

  // Removes the staging directory and everything in it (also done by the destructor).
  void Remove();

 private:
  explicit StagingDir(std::string path);
  std::string path_;
  int slot_ = -1;  // in the interrupt-cleanup registry
};

// True for a name of the staging pattern (".segverify-tmp-<digits>-<16 lower-case hex>").
bool IsStagingDirName(std::string_view name);

// Removes the staging directories of dead runs in `parent`; errors are ignored (best effort).
void RemoveStaleStagingDirs(const std::string& parent);

// Installs SIGINT/SIGTERM handlers that remove every live StagingDir, then let the signal do what
// it did before (the earlier handler, or the default: the process ends with that signal). Call
// it once, before starting threads. A signal that was ignored stays ignored.
void InstallInterruptCleanup();

}  // namespace segverify
