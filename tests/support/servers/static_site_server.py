#!/usr/bin/env python3
"""A static file server for loopback tests: a published status site served as any web host or CDN
would serve it (GET and HEAD of the files in one directory, no routes, no CORS headers), over http,
or https with a test certificate (tests/support/servers/make_test_certs.sh).

Tests use it for `segverify recheck https://...` (docs/DESIGN.md §Public re-check). Only the files
directly in the directory are served; anything else (a subdirectory, "..", a missing file) is 404.

Usage: static_site_server.py --root DIR [--html-errors] [--fixed STATUS TYPE BODY] [--tls-cert PEM --tls-key PEM]
[--request-log FILE]
(--html-errors: a website where an API was expected, for tests of a wrong node URL. --fixed: every
request, GET or POST on any path, gets HTTP STATUS with Content-Type TYPE and the text BODY: a proxy's
notice or a page whose kind only its header tells.)
Prints the bound port on stdout once listening on 127.0.0.1, stops on SIGTERM.
"""
import argparse
import os
import sys
import urllib.parse

sys.dont_write_bytecode = True  # tests leave no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server_common  # noqa: E402

TYPES = {".html": "text/html; charset=utf-8", ".json": "application/json", ".js": "text/javascript; charset=utf-8",
         ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}


class StaticHandler(server_common.BaseHandler):
    def file_path(self):
        path = urllib.parse.urlsplit(self.path).path
        name = urllib.parse.unquote(path.lstrip("/")) or "index.html"
        if "/" in name or name.startswith("."):
            return None
        full = os.path.join(self.server.root, name)
        return full if os.path.isfile(full) else None

    def fixed(self, with_body):
        status, content_type, text = self.server.fixed
        body = text.encode()
        self.send_response(int(status))
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def answer(self, with_body):
        if self.server.fixed:
            return self.fixed(with_body)
        full = self.file_path()
        self.server.request_log.write({"method": self.command, "path": self.path, "status": 200 if full else 404})
        if full is None and self.server.html_errors:  # as a website answers a path it does not have
            body = b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body>Not found</body></html>\n"
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
        elif full is None:
            body = b"not found\n"
            self.send_response(404)
            self.send_header("Content-Type", "text/plain")
        else:
            with open(full, "rb") as f:
                body = f.read()
            self.send_response(200)
            self.send_header("Content-Type", TYPES.get(os.path.splitext(full)[1], "application/octet-stream"))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def do_GET(self):
        self.answer(True)

    def do_HEAD(self):
        self.answer(False)

    def do_POST(self):  # a website takes no JSON-RPC: its HTML error page
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        if self.server.fixed:
            return self.fixed(True)
        body = b"<!DOCTYPE html>\n<html><body>405 Method Not Allowed</body></html>\n"
        self.send_response(405)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", required=True)
    parser.add_argument("--html-errors", action="store_true",
                        help="answer a missing path with an HTML 404 page, as a website does")
    parser.add_argument("--fixed", nargs=3, metavar=("STATUS", "TYPE", "BODY"),
                        help="answer every request with this status, Content-Type and body")
    server_common.add_common_arguments(parser)
    opts = parser.parse_args()
    server = server_common.make_server(StaticHandler, opts)
    server.root = os.path.abspath(opts.root)
    server.html_errors = opts.html_errors
    server.fixed = opts.fixed
    server_common.serve(server)


if __name__ == "__main__":
    main()
