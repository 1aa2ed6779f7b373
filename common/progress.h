// Progress of long work (docs/DESIGN.md §Command line → Progress).
//
// Libraries report progress as work done through a ProgressCallback and never print; the CLI
// renders it with a ProgressPrinter:
//  - on a terminal, one line rewritten in place: step, percent, done/total (bytes in KiB/MiB/GiB),
//    the estimated time left once 1 s has passed and 5 % is done, and the time so far (redrawn at
//    most every 100 ms); a finished step says how long it took ("done in 3 s");
//  - to a pipe or a file, at most one line per 10 % of each step (and the step's first line); a step
//    still in its first second prints no line between its first and its last;
//  - with --quiet, nothing (no printer at all).
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace segverify {

// A step whose name ends with this counts bytes: shown as "reading liabilities 15% (16.0 MiB of
// 104.7 MiB)", the suffix itself not shown. Other counts are shown with thousands separators.
inline constexpr std::string_view kBytesUnit = " [bytes]";
// A step whose name ends with this counts percent of work someone else measures (Bitcoin Core's
// scans say how far they are, not of what): "scantxoutset 40%, 3 s so far", no count shown.
inline constexpr std::string_view kPercentUnit = " [%]";

// `step` names the work ("hashing leaves"), `done` of `total` units are finished (total 0: unknown).
// May be called from several threads; implementations serialise.
using ProgressCallback = std::function<void(std::string_view step, std::uint64_t done, std::uint64_t total)>;

class ProgressPrinter {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // Writes to `out` (not owned). `terminal`: rewrite one line in place; else sparse lines.
  ProgressPrinter(std::FILE* out, bool terminal, Clock clock = std::chrono::steady_clock::now);
  ~ProgressPrinter();

  // A printer on stderr, in terminal mode when stderr is a terminal; nullptr when `quiet`.
  static std::unique_ptr<ProgressPrinter> ForStderr(bool quiet);

  void Update(std::string_view step, std::uint64_t done, std::uint64_t total);
  // A line of its own (e.g. "attest: reading 12 bitcoin addresses"), below any progress line.
  void Note(std::string_view line);
  // Ends the in-place line (terminal mode); further updates start a new one.
  void Finish();

  ProgressCallback Callback();

 private:
  void ClearLine();  // caller holds mutex_

  std::FILE* out_;
  bool terminal_;
  Clock clock_;
  std::mutex mutex_;
  std::string step_;
  std::chrono::steady_clock::time_point step_start_{};
  std::chrono::steady_clock::time_point last_draw_{};
  int last_decile_ = -1;
  bool line_open_ = false;
};

// "3 s", "2 min 5 s", "1 h 4 min": a duration for people.
std::string FormatDuration(std::chrono::seconds duration);

}  // namespace segverify
