#include "common/progress.h"

#include <unistd.h>

#include <cstdio>
#include <iterator>

#include "common/printable.h"

namespace segverify {
namespace {

constexpr auto kRedrawInterval = std::chrono::milliseconds(100);

constexpr auto kEtaAfter = std::chrono::seconds(1);  // an estimate needs this much time and 5 % done

// "12.5 MiB" for byte counts (the step ended with kBytesUnit), "1,234,567" for other counts.
std::string Amount(std::uint64_t n, bool bytes) {
  if (bytes) {
    if (n < 1024) return std::to_string(n) + " B";
    const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
    double value = static_cast<double>(n) / 1024.0;
    std::size_t unit = 0;
    while (value >= 1024.0 && unit + 1 < std::size(units)) {
      value /= 1024.0;
      ++unit;
    }
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f %s", value, units[unit]);
    return buffer;
  }
  std::string digits = std::to_string(n);
  for (std::size_t at = digits.size(); at > 3; at -= 3) digits.insert(at - 3, ",");
  return digits;
}

std::string Line(std::string_view step, std::uint64_t done, std::uint64_t total,
                 std::chrono::steady_clock::duration elapsed, bool with_eta) {
  const bool bytes = step.ends_with(kBytesUnit);
  if (bytes) step.remove_suffix(kBytesUnit.size());
  const bool percent_only = step.ends_with(kPercentUnit);
  if (percent_only) step.remove_suffix(kPercentUnit.size());
  std::string line(step);
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(elapsed);
  const std::string so_far = elapsed >= kEtaAfter ? ", " + FormatDuration(seconds) + " so far" : std::string();
  if (total == 0) return line + " " + Amount(done, bytes) + so_far;
  const std::uint64_t shown = done > total ? total : done;
  line += " " + std::to_string(shown * 100 / total) + "%";
  if (!percent_only) line += " (" + Amount(shown, bytes) + (bytes ? " of " : "/") + Amount(total, bytes) + ")";
  if (shown >= total) return line + (elapsed >= kEtaAfter ? ", done in " + FormatDuration(seconds) : std::string());
  // An estimate from too little is noise ("about 0 s left"): only after 1 s and 5 % of the step.
  if (with_eta && shown > 0 && elapsed >= kEtaAfter && shown * 20 >= total) {
    const auto left = std::chrono::duration_cast<std::chrono::seconds>(elapsed * static_cast<double>(total - shown) /
                                                                       static_cast<double>(shown));
    line += ", about " + FormatDuration(left) + " left";
  }
  return line + so_far;
}

}  // namespace

std::string FormatDuration(std::chrono::seconds duration) {
  const long long s = duration.count();
  if (s < 60) return std::to_string(s) + " s";
  if (s < 3600) return std::to_string(s / 60) + " min " + std::to_string(s % 60) + " s";
  return std::to_string(s / 3600) + " h " + std::to_string(s % 3600 / 60) + " min";
}

ProgressPrinter::ProgressPrinter(std::FILE* out, bool terminal, Clock clock)
    : out_(out), terminal_(terminal), clock_(std::move(clock)) {}

ProgressPrinter::~ProgressPrinter() { Finish(); }

std::unique_ptr<ProgressPrinter> ProgressPrinter::ForStderr(bool quiet) {
  if (quiet) return nullptr;
  return std::make_unique<ProgressPrinter>(stderr, ::isatty(::fileno(stderr)) == 1);
}

void ProgressPrinter::ClearLine() {
  if (line_open_) {
    std::fputs("\r\x1b[K", out_);
    line_open_ = false;
  }
}

void ProgressPrinter::Update(std::string_view step, std::uint64_t done, std::uint64_t total) {
  std::lock_guard lock(mutex_);
  const auto now = clock_();
  if (step != step_) {
    step_.assign(step);
    step_start_ = now;
    last_decile_ = -1;
    last_draw_ = {};
  }
  if (terminal_) {
    const bool finished = total != 0 && done >= total;
    if (!finished && last_draw_ != std::chrono::steady_clock::time_point{} && now - last_draw_ < kRedrawInterval)
      return;
    last_draw_ = now;
    std::fputs("\r\x1b[K", out_);
    std::fputs(Printable(Line(step, done, total, now - step_start_, true)).c_str(), out_);
    line_open_ = true;
  } else {
    // One line per 10 % of the step (and its first): a log file stays readable.
    const int decile = total == 0 ? 0 : static_cast<int>((done > total ? total : done) * 10 / total);
    if (decile <= last_decile_) return;
    // A step that ends within a second gets its first and last lines only: a quick build's log
    // stays a few lines, a long one still shows it moving.
    if (decile > 0 && decile < 10 && now - step_start_ < kEtaAfter) return;
    last_decile_ = decile;
    std::fputs((Printable(Line(step, done, total, now - step_start_, false)) + "\n").c_str(), out_);
  }
  std::fflush(out_);
}

void ProgressPrinter::Note(std::string_view line) {
  std::lock_guard lock(mutex_);
  ClearLine();
  const std::string shown = Printable(line);  // notes name sources, pools and files from the config
  std::fwrite(shown.data(), 1, shown.size(), out_);
  std::fputc('\n', out_);
  std::fflush(out_);
}

void ProgressPrinter::Finish() {
  std::lock_guard lock(mutex_);
  if (line_open_) {
    std::fputc('\n', out_);
    std::fflush(out_);
    line_open_ = false;
  }
  step_.clear();
}

ProgressCallback ProgressPrinter::Callback() {
  return [this](std::string_view step, std::uint64_t done, std::uint64_t total) { Update(step, done, total); };
}

}  // namespace segverify
