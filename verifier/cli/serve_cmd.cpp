// segverify serve --report DIR [--port 8080] [--bind 127.0.0.1] [--state FILE]: the status
// server (see verifier/server/status_server.h). Prints one line with the URL once listening, then
// serves until SIGINT or SIGTERM (exit 0), or exits 2 when it cannot start (the port in use
// included).
#include <pthread.h>

#include <csignal>
#include <iostream>
#include <thread>

#include "verifier/attest/public_attestation.h"
#include "verifier/cli/commands.h"
#include "verifier/cli/exit_codes.h"
#include "verifier/server/status_server.h"

namespace segverify::cli {
namespace {

int RunServe(const server::ServerOptions& options) {
  // Signals are taken by one waiting thread (set before any server thread exists, so all inherit
  // the mask); it stops the server, which makes Run() return.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto created = server::StatusServer::Create(options);
  if (!created) return ReportError(created.error().message);
  server::StatusServer& status_server = **created;
  std::thread signal_waiter([&] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    status_server.Stop();
  });
  std::cout << "segverify: serving " << options.report_dir << " at http://"
            << (options.bind.find(':') != std::string::npos ? "[" + options.bind + "]" : options.bind) << ":"
            << status_server.port() << "/ (at most " << status_server.max_connections() << " connections)" << std::endl;
  const Status ran = status_server.Run();
  // Wake the waiter if Run() ended on its own (the server could not start).
  pthread_kill(signal_waiter.native_handle(), SIGTERM);
  signal_waiter.join();
  if (!ran) return ReportError(ran.message());
  return kExitHolds;
}

}  // namespace

void AddServeCommands(CLI::App& root, int& exit_code) {
  auto options = std::make_shared<server::ServerOptions>();
  options->read_attestation = attest::PublicAttestationId;
  CLI::App* serve = root.add_subcommand(
      "serve", "Serve the status site of the report in DIR (the same files as `publish`, plus the API)");
  serve->add_option("--report", options->report_dir, "Report directory: its report.json is the current attestation")
      ->required();
  serve->add_option("--port", options->port, "TCP port (0 = any free port; the URL is printed)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  serve->add_option("--bind", options->bind, "Numeric address to listen on (IPv4 or IPv6)")->capture_default_str();
  serve->add_option("--state", options->history_path,
                    "History file (SQLite) of every attestation seen; the only file serve writes "
                    "(default: DIR/.segverify-history.sqlite)");
  serve
      ->add_option("--max-connections", options->max_connections, "Connection cap (lowered to fit the open-file limit)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1 << 20));
  auto idle = std::make_shared<unsigned>(static_cast<unsigned>(options->idle_timeout.count()));
  serve->add_option("--idle-timeout", *idle, "Seconds after which an idle connection is closed")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  serve
      ->add_option("--max-connections-per-ip", options->max_connections_per_ip,
                   "Connections one client address may hold at once")
      ->capture_default_str()
      ->check(CLI::Range(1, 1 << 20));
  auto head = std::make_shared<unsigned>(static_cast<unsigned>(options->head_timeout.count()));
  serve->add_option("--head-timeout", *head, "Seconds a request's line and headers may take in all (then closed)")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  auto body = std::make_shared<unsigned>(static_cast<unsigned>(options->body_timeout.count()));
  serve->add_option("--body-timeout", *body, "Seconds a request body may take in all (then closed)")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  serve->callback([options, idle, head, body, &exit_code] {
    options->idle_timeout = std::chrono::seconds(*idle);
    options->head_timeout = std::chrono::seconds(*head);
    options->body_timeout = std::chrono::seconds(*body);
    exit_code = RunServe(*options);
  });
}

}  // namespace segverify::cli
