// Helpers for tests: run the segverify binary as a user would, temporary directories, fixtures.
#pragma once

#include <string>
#include <vector>

namespace segverify::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs `segverify args...` (no shell; arguments passed verbatim), optionally feeding `stdin_text`.
CommandResult RunSegverify(const std::vector<std::string>& args, const std::string& stdin_text = "");

// Runs any program with arguments (no shell).
CommandResult RunProgram(const std::string& program, const std::vector<std::string>& args,
                         const std::string& stdin_text = "");

// A fresh directory under the system temp dir, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::string SourcePath(const std::string& relative);  // <repo>/relative
std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& content);
bool FileExists(const std::string& path);
// Names in `dir` of the staging pattern (".segverify-tmp-…", common/staging_dir.h) that a run left.
std::vector<std::string> StagingDirsIn(const std::string& dir);

}  // namespace segverify::testing
