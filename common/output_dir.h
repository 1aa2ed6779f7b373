// Output directories that are all or nothing (docs/DESIGN.md §Outputs are all or nothing).
//
// A command that writes a directory (attest --out, publish --out) prepares it in a staging
// directory beside it (staging_dir.h) and swaps it in at the end, so DIR always holds one
// complete run: the new one after Commit(), the earlier one (untouched) after a crash, a kill, a
// full disk or an error. Interrupts and stale temporaries are handled as staging_dir.h says
// (call InstallInterruptCleanup() once before creating the first StagedDirectory).
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/staging_dir.h"

namespace segverify {

class StagedDirectory {
 public:
  // Creates an empty directory to stage into, beside `final_path` (the parent is created when
  // missing; a symbolic link at `final_path` is followed, so the swap replaces its target).
  // `final_path` itself is not touched. Fails when `final_path` exists and is not a directory.
  [[nodiscard]] static Result<StagedDirectory> Create(const std::string& final_path);

  // Where the run writes everything; becomes final_path() on Commit(). Empty once committed or
  // abandoned.
  std::string path() const { return staging_ ? staging_->out() : std::string(); }
  const std::string& final_path() const { return final_path_; }

  // Makes the staged content final: every file is flushed to disk, then the staged directory
  // and final_path are exchanged in one step (StagingDir::PublishReplacing), then the old
  // content is removed. A new directory takes the old one's permission bits. On failure
  // final_path is as it was and the staging directory is removed.
  [[nodiscard]] Status Commit();

  // Removes the staging directory and everything in it (also done by the destructor).
  void Abandon() { staging_.reset(); }

 private:
  StagedDirectory(std::string final_path, StagingDir staging)
      : final_path_(std::move(final_path)), staging_(std::move(staging)) {}

  std::string final_path_;
  std::optional<StagingDir> staging_;
};

// Fails unless `dir` may be replaced whole: it does not exist, is an empty directory, or holds
// one of `markers` (names a previous run of the same command wrote, e.g. "report.json"). Keeps
// `--out ~` from replacing a home directory. `option` names the flag in the error.
[[nodiscard]] Status CheckReplaceable(const std::string& dir, std::initializer_list<std::string_view> markers,
                                      std::string_view option);

}  // namespace segverify
