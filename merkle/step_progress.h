// Progress of one step of long work, counted by work done and passed on at most once per percent
// (and once at the end), so that a caller printing every update stays readable. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/progress.h"

namespace segverify::merkle {

class StepProgress {
 public:
  StepProgress(const ProgressCallback& callback, std::string_view step, std::uint64_t total)
      : callback_(callback), step_(step), total_(total) {
    if (callback_) callback_(step_, 0, total_);
  }

  void Add(std::uint64_t units) {
    if (!callback_ || total_ == 0) return;
    const std::uint64_t done = done_ += units;
    const auto percent = static_cast<int>((done >= total_ ? total_ : done) * 100 / total_);
    int last = percent_.load();
    while (percent > last) {
      if (percent_.compare_exchange_weak(last, percent)) {
        callback_(step_, done, total_);
        return;
      }
    }
  }

 private:
  const ProgressCallback& callback_;
  std::string step_;
  std::uint64_t total_;
  std::atomic<std::uint64_t> done_{0};
  std::atomic<int> percent_{0};
};

}  // namespace segverify::merkle
