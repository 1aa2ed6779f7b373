// The file system's floor for `proof export --out-dir`: creates COUNT files of BYTES bytes each in
// 256 folders on THREADS threads (openat + write + close, as the export does), then syncfs, and
// prints files per second. Compiled and run by bench/proof_export_bench.sh:
//   g++ -O2 -pthread bench/file_create_floor.cpp -o floor && ./floor DIR COUNT BYTES THREADS
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s DIR COUNT BYTES THREADS\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const long count = std::atol(argv[2]);
  const std::string content(static_cast<std::size_t>(std::atol(argv[3])), 'x');
  const int threads = std::atoi(argv[4]);
  ::mkdir(dir.c_str(), 0777);
  std::vector<int> folders(256);
  for (int i = 0; i < 256; ++i) {
    char name[8];
    std::snprintf(name, sizeof name, "/%02x", i);
    ::mkdir((dir + name).c_str(), 0777);
    folders[static_cast<std::size_t>(i)] = ::open((dir + name).c_str(), O_RDONLY | O_DIRECTORY);
  }
  const auto start = std::chrono::steady_clock::now();
  std::atomic<long> next{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (long i; (i = next++) < count;) {
        char name[80];
        std::snprintf(name, sizeof name, "%016lx%048x.json", static_cast<unsigned long>(i) * 2654435761UL, 0);
        const int fd = ::openat(folders[static_cast<std::size_t>(i % 256)], name, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd < 0 || ::write(fd, content.data(), content.size()) != static_cast<ssize_t>(content.size())) std::abort();
        ::close(fd);
      }
    });
  }
  for (auto& t : pool) t.join();
  ::syncfs(folders[0]);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%ld files of %zu bytes in %.2f s = %.0f files/s (%d threads, syncfs included)\n", count, content.size(),
              seconds, static_cast<double>(count) / seconds, threads);
  return 0;
}
