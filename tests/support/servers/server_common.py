"""Pieces shared by the loopback test servers (stdlib only).

Used by tests/support/servers/bitcoin_test_server.py, tests/support/servers/tls_proxy.py and
tests/support/faulty_eth_node.py so that every server behaves the same way towards the tests:
  - binds 127.0.0.1 on a free port (port 0) and prints that port as the first stdout line;
  - answers with TCP_NODELAY (headers and body go out in separate writes; without it Nagle's
    algorithm and the client's delayed ACK hold every answer for ~40 ms);
  - serves https when given a certificate and key (the TLS handshake runs in the connection's own
    thread, so a client that never finishes it cannot block the accept loop);
  - stops on SIGTERM (and Ctrl-C), running its cleanup (e.g. removing a cookie file);
  - is quiet about clients that hang up, fail the handshake or reset the connection (tests provoke
    all of these on purpose);
  - can append every request as one JSON line to a log file (--request-log), so tests can count
    what a client sent. Credentials never go into that log.
"""
import http.server
import json
import signal
import socket
import ssl
import sys
import threading
import time

# Errors a client causes by going away or refusing our certificate: expected in these tests.
_CLIENT_GONE = (ConnectionError, ssl.SSLError, socket.timeout, TimeoutError, OSError)


class QuietThreadingHTTPServer(http.server.ThreadingHTTPServer):
    """ThreadingHTTPServer (one daemon thread per connection) that does not print tracebacks
    for connections the client dropped."""

    daemon_threads = True

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], _CLIENT_GONE):
            return
        super().handle_error(request, client_address)


class BaseHandler(http.server.BaseHTTPRequestHandler):
    """Request handler with the common settings: HTTP/1.1 keep-alive, TCP_NODELAY, no access
    log, and the TLS handshake done here (in the connection's thread) when serving https."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    handshake_timeout = 10.0

    def setup(self):
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(self.handshake_timeout)
            self.request.do_handshake()
            self.request.settimeout(None)
        super().setup()

    def log_message(self, *args):
        pass


class RequestLog:
    """Appends one JSON object per line to a file; does nothing without a path. Thread-safe; each
    line is flushed before the answer goes out, so a test that reads the log after its client
    returned sees every request."""

    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()

    def write(self, entry):
        if not self.path:
            return
        entry = dict(entry, time=round(time.time(), 3))
        line = json.dumps(entry, sort_keys=True) + "\n"
        with self.lock, open(self.path, "a") as f:
            f.write(line)


def add_common_arguments(parser):
    parser.add_argument("--tls-cert", help="PEM certificate (chain): serve https instead of http")
    parser.add_argument("--tls-key", help="PEM private key of --tls-cert")
    parser.add_argument("--request-log", help="append every request as one JSON line to this file")


def make_server(handler_class, opts):
    """A threaded server on 127.0.0.1:0; https when opts.tls_cert is set."""
    server = QuietThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    if bool(opts.tls_cert) != bool(opts.tls_key):
        raise SystemExit("--tls-cert and --tls-key go together")
    if opts.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(opts.tls_cert, opts.tls_key)
        server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    server.request_log = RequestLog(opts.request_log)
    return server


def _terminate(signum, frame):
    raise SystemExit(0)


def serve(server, cleanup=None):
    """Prints the port, serves until SIGTERM or Ctrl-C, then runs `cleanup`."""
    signal.signal(signal.SIGTERM, _terminate)
    try:
        print(server.server_address[1], flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        if cleanup:
            cleanup()
