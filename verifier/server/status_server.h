// `segverify serve`: the read-only HTTP status server (DESIGN.md "Status server").
//
// Routes: GET / (page), /api/status, /api/roots, /badge.svg, /embed.js and the page's own
// scripts/styles (embedded, web/assets.h); POST /api/verify-proof. Nothing else: every other path
// is 404 without touching the file system, so no traversal (plain, %2e%2e, absolute) can reach a
// file. Limits: request bodies at most 1 MiB (413; a chunked body is cut off at 1 MiB, never
// buffered whole), bodies to any other route are refused unread, read/write timeouts, a fixed
// pool of worker threads. This is the only file of verifier/ that uses cpp-httplib.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "common/result.h"

namespace segverify::server {

struct ServerOptions {
  std::string report_dir;
  std::string bind = "127.0.0.1";
  int port = 8080;  // 0 = any free port (see StatusServer::port())
  std::size_t worker_threads = 16;
  std::size_t max_body_bytes = 1u << 20;
  std::chrono::seconds read_timeout{5};
  std::chrono::seconds write_timeout{5};
  std::chrono::milliseconds rescan_interval{500};
  std::string history_path;  // empty = DIR/.segverify-history.sqlite
};

class StatusServer {
 public:
  // Opens the report directory and its history, and binds the socket (not yet serving).
  [[nodiscard]] static Result<std::unique_ptr<StatusServer>> Create(const ServerOptions& options);
  ~StatusServer();
  StatusServer(const StatusServer&) = delete;
  StatusServer& operator=(const StatusServer&) = delete;

  int port() const;  // the bound port
  // Serves until Stop() (from any thread). Returns an error if the listener fails.
  [[nodiscard]] Status Run();
  void Stop();

 private:
  struct Impl;
  explicit StatusServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace segverify::server
