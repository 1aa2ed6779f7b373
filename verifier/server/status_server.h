// `segverify serve`: the read-only HTTP status server (docs/DESIGN.md §Status server and "Public
// faces"), on libmicrohttpd: event-driven (epoll, a small pool of polling threads), so slow or
// idle clients never hold a worker.
//
// Routes: GET/HEAD every file of the status site (site.h: /index.html, /status.json, /roots.json,
// /badge.svg, /embed.js, /report.json, /report.html, /style.css, the page's scripts), GET / (the
// page), /api/status (= status.json), /api/roots (= roots.json); POST /api/verify-proof; OPTIONS
// (CORS preflight). Nothing else: every other path is 404 without touching the file system.
// Limits, each built into the server: request headers at most 64 KiB (then 431 or close), request
// bodies at most 1 MiB (413 when the length is announced; a chunked body is cut off by closing the
// connection, never buffered whole) and at most 64 MiB of bodies in flight (503), idle connections
// closed after a timeout, a connection cap and a cap per client address, a request head that must
// arrive whole within 10 s and a body within 10 s more (bytes dripped slowly do not extend either),
// two different Content-Length headers refused (400). docs/STATUS-PAGE.md lists them. The listening socket is made here
// without SO_REUSEPORT, so a second server on the same port fails to start. This is the only file of verifier/ that
// includes microhttpd.h.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "common/result.h"
#include "verifier/server/site.h"

namespace segverify::server {

struct ServerOptions {
  std::string report_dir;
  std::string bind = "127.0.0.1";
  int port = 8080;                      // 0 = any free port (see StatusServer::port())
  std::size_t threads = 0;              // polling threads; 0 = one per core, at most 4
  std::size_t max_connections = 16384;  // lowered to fit the open-file limit
  std::size_t max_header_bytes = 64u << 10;
  std::size_t max_body_bytes = 1u << 20;
  std::size_t max_bodies_in_flight = 64u << 20;
  std::chrono::seconds idle_timeout{10};
  // Connections from one client address at a time: a flood from one address cannot take the
  // whole connection cap.
  std::size_t max_connections_per_ip = 128;
  // Whole-request limits that new bytes do not extend (the idle timeout is reset by every byte):
  // the request line and headers must arrive within head_timeout of the connection opening (or
  // of the previous answer), a body within body_timeout of its headers. Past either, closed.
  std::chrono::seconds head_timeout{10};
  std::chrono::seconds body_timeout{10};
  std::chrono::milliseconds rescan_interval{500};
  std::string history_path;                  // --state; empty = DIR/.segverify-history.sqlite
  PublicAttestationReader read_attestation;  // reads DIR/attestation.json (site.h); the CLI gives attest's
};

class StatusServer {
 public:
  // Opens the report directory and its history, and binds the socket (not yet serving). Fails
  // when the address is in use or not local, or the report directory cannot be opened.
  [[nodiscard]] static Result<std::unique_ptr<StatusServer>> Create(const ServerOptions& options);
  ~StatusServer();
  StatusServer(const StatusServer&) = delete;
  StatusServer& operator=(const StatusServer&) = delete;

  int port() const;                     // the bound port
  std::size_t max_connections() const;  // the cap in force
  // Serves until Stop() (from any thread).
  [[nodiscard]] Status Run();
  void Stop();

 private:
  struct Impl;
  explicit StatusServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Raises this process's soft open-file limit to its hard limit (a server with many connections
// needs one descriptor each); returns the soft limit in force afterwards.
std::size_t RaiseOpenFileLimit();

}  // namespace segverify::server
