#!/usr/bin/env python3
"""A forward proxy for loopback tests of HTTPS_PROXY / HTTP_PROXY handling.

  CONNECT host:port   (how clients reach https URLs through a proxy, RFC 9110 9.3.6) is answered
                      "200 Connection established" and the bytes are relayed both ways to
                      host:port; the TLS session stays end to end between client and node.
  METHOD http://host:port/path   (absolute-form, how clients send plain http through a proxy,
                      RFC 9112 3.2.2) is forwarded once to host:port with origin-form and the
                      answer relayed back.
Only 127.0.0.1 and localhost are ever connected to; any other target gets 403. Every request is
logged with --request-log as {"method","target"} (never headers, so never credentials).

Usage: connect_proxy.py [--request-log FILE]. Prints the bound port on stdout once listening on
127.0.0.1, stops on SIGTERM.
"""
import argparse
import os
import select
import socket
import sys
import urllib.parse

sys.dont_write_bytecode = True  # tests leave no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server_common  # noqa: E402

ALLOWED_HOSTS = {"127.0.0.1", "localhost"}


class ProxyHandler(server_common.BaseHandler):
    def log_request_target(self):
        self.server.request_log.write({"method": self.command, "target": self.path})

    def connect_upstream(self, host, port):
        if host not in ALLOWED_HOSTS:
            self.send_error(403, "only loopback targets")
            return None
        try:
            return socket.create_connection((host, port), timeout=10)
        except OSError:
            self.send_error(502, "cannot reach the target")
            return None

    def do_CONNECT(self):
        self.log_request_target()
        host, _, port = self.path.rpartition(":")
        upstream = self.connect_upstream(host.strip("[]"), int(port or 443))
        if upstream is None:
            return
        self.send_response(200, "Connection established")
        self.end_headers()
        self.relay(upstream)

    def relay(self, upstream):
        sockets = [self.connection, upstream]
        try:
            while True:
                readable, _, _ = select.select(sockets, [], [], 30)
                if not readable:
                    break
                for s in readable:
                    data = s.recv(65536)
                    if not data:
                        return
                    (upstream if s is self.connection else self.connection).sendall(data)
        except OSError:
            pass
        finally:
            upstream.close()
            self.close_connection = True

    def forward(self):
        self.log_request_target()
        url = urllib.parse.urlsplit(self.path)
        if url.scheme != "http" or not url.hostname:
            return self.send_error(400, "absolute http URL expected")
        upstream = self.connect_upstream(url.hostname, url.port or 80)
        if upstream is None:
            return
        length = int(self.headers.get("Content-Length", "0") or 0)
        body = self.rfile.read(length) if length else b""
        target = (url.path or "/") + ("?" + url.query if url.query else "")
        head = "%s %s HTTP/1.1\r\n" % (self.command, target)
        for name, value in self.headers.items():
            if name.lower() not in ("proxy-connection", "proxy-authorization", "connection", "keep-alive"):
                head += "%s: %s\r\n" % (name, value)
        head += "Connection: close\r\n\r\n"
        upstream.sendall(head.encode("latin-1") + body)
        self.close_connection = True
        try:
            while True:
                data = upstream.recv(65536)
                if not data:
                    break
                self.connection.sendall(data)
        except OSError:
            pass
        finally:
            upstream.close()

    do_GET = do_POST = forward


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--request-log")
    opts = parser.parse_args()
    opts.tls_cert = opts.tls_key = None
    server = server_common.make_server(ProxyHandler, opts)
    server_common.serve(server)


if __name__ == "__main__":
    main()
