// segverify serve --report DIR [--port 8080] [--bind 127.0.0.1]: the status server (see
// verifier/server/status_server.h). Prints one line with the URL once listening, then serves
// until SIGINT or SIGTERM (exit 0), or exits 2 when it cannot start.
#include <csignal>
#include <iostream>
#include <thread>

#include <pthread.h>

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
  std::cout << "segverify: serving " << options.report_dir << " at http://" << options.bind << ":"
            << status_server.port() << "/" << std::endl;
  const Status ran = status_server.Run();
  // Wake the waiter if Run() ended on its own (listener error).
  pthread_kill(signal_waiter.native_handle(), SIGTERM);
  signal_waiter.join();
  if (!ran) return ReportError(ran.message());
  return kExitHolds;
}

}  // namespace

void AddServeCommands(CLI::App& root, int& exit_code) {
  auto options = std::make_shared<server::ServerOptions>();
  CLI::App* serve = root.add_subcommand("serve", "Serve the latest report: status page, API, badge, proof check");
  serve->add_option("--report", options->report_dir,
                    "Report directory: DIR/report.json and/or DIR/<run>/report.json (the greatest id is current)")
      ->required();
  serve->add_option("--port", options->port, "TCP port (0 = any free port; the URL is printed)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  serve->add_option("--bind", options->bind, "Address to listen on")->capture_default_str();
  serve->callback([options, &exit_code] { exit_code = RunServe(*options); });
}

}  // namespace segverify::cli
