// Standard output whose every write is checked (docs/DESIGN.md §Outputs are all or nothing: a
// failed
// write to stdout is exit 2). main() routes std::cout through one CheckedStdout for the whole run
// and asks Finish() at the end, so no command can forget: `segverify ... > /dev/full` fails
// whatever the command, --help and --version included.
#pragma once

#include <streambuf>
#include <string>
#include <vector>

namespace segverify::cli {

class CheckedStdout : public std::streambuf {
 public:
  explicit CheckedStdout(int fd);
  CheckedStdout(const CheckedStdout&) = delete;
  CheckedStdout& operator=(const CheckedStdout&) = delete;

  // Writes what is buffered and closes the descriptor; returns an empty string, or why some
  // output did not arrive ("No space left on device"). After a failed write the rest of the
  // output is discarded (std::cout then reports bad(), which long writers may check to stop early).
  std::string Finish();

 protected:
  int_type overflow(int_type ch) override;
  std::streamsize xsputn(const char* data, std::streamsize size) override;
  int sync() override;

 private:
  bool Drain();
  bool WriteAll(const char* data, std::size_t size);

  int fd_;
  std::vector<char> buffer_;
  int error_ = 0;  // errno of the first failed write
};

}  // namespace segverify::cli
