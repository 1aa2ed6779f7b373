// Output directories that are all or nothing (DESIGN.md "Outputs are all or nothing").
//
// A command that writes a directory (attest --out, tree build --out) prepares it in a sibling
// temporary directory and swaps it in at the end, so DIR always holds one complete run: the new
// one after Commit(), the earlier one (untouched) after a crash, a kill, a full disk or an error.
//
// Every temporary made here is named "<parent>/.segverify-tmp-<pid>-<16 hex>" (plus a suffix
// for the short-lived copies of Commit and the signal cleanup), a pattern no other file of
// segverify or of the user matches. What a run leaves behind when it is killed with SIGKILL is
// removed by the next StagedDirectory::Create in the same parent (RemoveStaleTemporaries), and
// only once the process that made it is gone. SIGINT, SIGTERM and SIGHUP remove what the run
// made at once (InstallStagingSignalCleanup).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "common/result.h"

namespace segverify {

// The file-name prefix of every temporary made by this module.
inline constexpr std::string_view kStagingPrefix = ".segverify-tmp-";

class StagedDirectory {
 public:
  StagedDirectory() = default;
  // Abandon()s the staging directory unless it was committed.
  ~StagedDirectory();
  StagedDirectory(const StagedDirectory&) = delete;
  StagedDirectory& operator=(const StagedDirectory&) = delete;
  StagedDirectory(StagedDirectory&& other) noexcept;
  StagedDirectory& operator=(StagedDirectory&& other) noexcept;

  // Creates an empty staging directory beside `final_path` (the parent is created when missing;
  // a symbolic link at `final_path` is followed, so the swap replaces its target). Stale
  // temporaries of dead processes in that parent are removed first. `final_path` itself is not
  // touched. Fails when `final_path` exists and is not a directory.
  [[nodiscard]] static Result<StagedDirectory> Create(const std::string& final_path);

  // Where the run writes everything; becomes final_path() on Commit().
  const std::string& path() const { return path_; }
  const std::string& final_path() const { return final_path_; }

  // Makes the staged content final: every file is flushed to disk, then the staging directory
  // and final_path are exchanged in one step (renameat2 RENAME_EXCHANGE; on a filesystem without
  // it, the old directory is renamed aside and put back if the second rename fails), then the old
  // content is removed. A new directory takes the old one's permission bits. On failure
  // final_path is as it was and the staging directory is removed.
  [[nodiscard]] Status Commit();

  // Removes the staging directory and everything in it (also done by the destructor).
  void Abandon();

 private:
  std::string path_;
  std::string final_path_;
};

// Removes the temporaries of this module in `parent` whose process no longer runs. Never fails:
// what cannot be removed now is tried again by the next run.
void RemoveStaleTemporaries(const std::string& parent);

// Fails unless `dir` may be replaced whole: it does not exist, is an empty directory, or holds
// one of `markers` (names a previous run of the same command wrote, e.g. "report.json"). Keeps
// `--out ~` from replacing a home directory. `option` names the flag in the error.
[[nodiscard]] Status CheckReplaceable(const std::string& dir, std::initializer_list<std::string_view> markers,
                                      std::string_view option);

// On SIGINT, SIGTERM or SIGHUP: removes every staging directory not yet committed or abandoned,
// then ends the process by that signal as it would have ended without this cleanup. Idempotent;
// call it before creating the first StagedDirectory. The handler itself only writes one byte to
// a pipe (async-signal-safe); a watcher thread does the removal, under the same lock as Commit(),
// so a signal during a swap sees either the old or the new directory, never half of each.
void InstallStagingSignalCleanup();

}  // namespace segverify
