#!/usr/bin/env python3
"""A TLS-terminating reverse proxy for loopback tests: https in front of an http node.

Tests put it in front of anvil or tests/support/servers/bitcoin_test_server.py to talk https to a real
node. Each client connection is served by its own thread with HTTP/1.1 keep-alive and keeps one
keep-alive connection to the upstream, so a benchmark of a few hundred JSON-RPC batches pays one
TLS handshake per client connection, not per request. Requests (any method, with a
Content-Length body) are forwarded as they are, headers included (Authorization passes through),
except the hop-by-hop headers (Connection, Keep-Alive, Proxy-*, TE, Trailer, Transfer-Encoding,
Upgrade) and Host, which names the upstream. Answers come back whole with their status and
headers (a chunked upstream answer is re-sent with a Content-Length). An upstream that cannot be
reached, or that fails mid-answer, is HTTP 502; a request is never sent upstream twice.

Usage: tls_proxy.py --upstream http://127.0.0.1:PORT --cert PEM --key PEM [--request-log FILE]
Prints the bound port on stdout once listening on 127.0.0.1 (https), stops on SIGTERM.
  --upstream URL   the http origin to forward to (scheme://host:port; a path is ignored)
  --cert, --key    PEM certificate (chain) and key served to clients
  --request-log F  append one JSON line per request: {"method","path","status"}
  --timeout S      seconds to wait for the upstream's answer (default 600: slow scans pass)
"""
import argparse
import http.client
import os
import select
import socket
import sys
import urllib.parse

sys.dont_write_bytecode = True  # tests leave no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server_common  # noqa: E402

HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te",
              "trailer", "transfer-encoding", "upgrade", "host", "content-length"}


class ProxyHandler(server_common.BaseHandler):
    upstream_conn = None  # per client connection (the handler lives as long as the connection)

    def upstream(self):
        if self.upstream_conn is not None and self.upstream_conn.sock is not None:
            # An idle keep-alive connection that is readable was closed by the upstream: replace it
            # before sending (a request is never sent twice, so `scantxoutset start` stays single).
            if select.select([self.upstream_conn.sock], [], [], 0)[0]:
                self.close_upstream()
        if self.upstream_conn is None:
            host, port = self.server.upstream
            conn = http.client.HTTPConnection(host, port, timeout=self.server.timeout_s)
            conn.connect()
            conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.upstream_conn = conn
        return self.upstream_conn

    def forward(self):
        length = int(self.headers.get("Content-Length", "0") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        try:
            conn = self.upstream()
            conn.request(self.command, self.path, body=body, headers=headers)
            answer = conn.getresponse()
            data = answer.read()
        except (OSError, http.client.HTTPException):
            self.close_upstream()
            return self.send_answer(502, [("Content-Type", "text/plain")], b"upstream unreachable")
        if answer.will_close:
            self.close_upstream()
        kept = [(k, v) for k, v in answer.getheaders() if k.lower() not in HOP_BY_HOP]
        self.send_answer(answer.status, kept, data, answer.reason)

    def send_answer(self, status, headers, data, reason=None):
        self.server.request_log.write({"method": self.command, "path": self.path.split("?", 1)[0], "status": status})
        self.send_response(status, reason)
        for k, v in headers:
            if k.lower() not in ("server", "date"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def close_upstream(self):
        if self.upstream_conn is not None:
            self.upstream_conn.close()
            self.upstream_conn = None

    def finish(self):
        self.close_upstream()
        super().finish()

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = do_PATCH = forward


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--request-log")
    parser.add_argument("--timeout", type=float, default=600.0)
    opts = parser.parse_args()
    url = urllib.parse.urlsplit(opts.upstream)
    if url.scheme != "http" or not url.hostname:
        parser.error("--upstream must be http://host:port")
    opts.tls_cert, opts.tls_key = opts.cert, opts.key
    server = server_common.make_server(ProxyHandler, opts)
    server.upstream = (url.hostname, url.port or 80)
    server.timeout_s = opts.timeout
    server_common.serve(server)


if __name__ == "__main__":
    main()
