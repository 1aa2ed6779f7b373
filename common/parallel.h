// Fan-out over threads: the one place the project starts worker threads for a batch of work
// (tree hashing, proof export, reading every source of a quorum at once).
//
// Contract: `job` runs once for every index in [0, count), on up to `threads` threads, and
// RunParallel returns after all of them finished. Jobs must not throw: an exception escaping a
// job is a bug and terminates the process (libraries turn errors into values inside the job).
#pragma once

#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

namespace segverify {

// The number of worker threads to use by default: the machine's cores, at least 1.
inline unsigned DefaultThreads() { return std::max(1u, std::thread::hardware_concurrency()); }

// Calls job(i) for each i in [0, count), `count` jobs spread over min(threads, count) threads in
// contiguous ranges; with one thread (or one job) everything runs on the calling thread.
template <typename Job>
void RunParallel(std::size_t count, unsigned threads, Job&& job) {
  const std::size_t workers = std::min<std::size_t>(std::max(1u, threads), count);
  if (workers <= 1) {
    for (std::size_t i = 0; i < count; ++i) job(i);
    return;
  }
  const std::size_t per = (count + workers - 1) / workers;
  std::vector<std::thread> pool;
  pool.reserve(workers);
  for (std::size_t w = 0; w < workers; ++w) {
    const std::size_t begin = std::min(count, w * per), end = std::min(count, begin + per);
    pool.emplace_back([&job, begin, end] {
      for (std::size_t i = begin; i < end; ++i) job(i);
    });
  }
  for (std::thread& t : pool) t.join();
}

}  // namespace segverify
