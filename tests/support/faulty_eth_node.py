#!/usr/bin/env python3
"""A loopback Ethereum JSON-RPC node that misbehaves on purpose, for fault-injection tests.

It answers the calls segverify makes (eth_chainId, eth_getBlockByNumber, eth_getBlockByHash,
eth_getBalance, eth_getCode, eth_getProof, single or batched) for mainnet (chain id 1) at any block
number (block N's timestamp is 1700000000 + 12 N), with every address an account without code
holding 10^24 wei, in the JSON-RPC 2.0 shapes of https://ethereum.org/en/developers/docs/apis/json-rpc/.
Headers hash to their block hash and eth_getProof proves (tests/support/servers/eth_state.py) for the
accounts of PROVEN_ACCOUNTS (and --account ADDRESS): other addresses are proven absent, so
eth_getBalance and a proof agree only for those.
After --after N well-answered requests, every request gets the fault named by --fault:
  none         answer correctly (the control case)
  slow         answer correctly, but only after --delay seconds
  reset        close the connection with a TCP reset, no answer
  partial      announce a 4096-byte body, send 40 bytes of it, close
  http500      HTTP 500 with a text body
  rpc-error    a JSON-RPC error object (-32000 "header not found") for every call
  pruned-state answers about blocks as usual, but every state read (eth_getProof, eth_getBalance,
               eth_getCode, eth_getStorageAt, eth_call) gets -32000 "missing trie node", as geth
               answers for state it has pruned
  wrong-ids    batch answers carry ids shifted by one; single answers carry id 99
  flip         block hashes change after the fault starts (the node moved to another branch)
  garbage      HTTP 200 with a non-JSON body
Transport faults (each bounded: it stops after --max-seconds, after --size bytes where that
applies, or as soon as the client goes away, so a test always ends):
  drip                 status line and headers at once (Content-Length = answer + --size bytes of
                       padding, default 1,000,000), then the body (the correct answer followed by
                       JSON whitespace) one byte every --delay seconds
  endless-headers      "HTTP/1.1 200 OK" then valid header lines ("X-Filler-N: aaa...") without
                       end, up to --size bytes (default 1 GiB)
  endless-header-line  "HTTP/1.1 200 OK" then one header line that never ends, up to --size bytes
                       (default 1 GiB)
  silent               reads the request and never answers (keeps the connection open)
  status429            HTTP 429 with "Retry-After: <--retry-after>" (seconds; with
                       --retry-after-date an HTTP-date that many seconds ahead; none with
                       --no-retry-after) for the first --count faulting requests, then correct
                       answers
  status503            the same with HTTP 503
  huge-body            HTTP 200, Content-Length --size (default 200,000,000) and a body of that many
                       bytes, streamed ('{"jsonrpc":"2.0","id":0,"result":"0x000...0"}'); with
                       --no-content-length the length is not announced (body ends at close)
  gzip-bomb            HTTP 200, Content-Encoding gzip, a body inflating to --size bytes (default
                       2 GiB) of the same JSON shape; one gzip layer is ~1/1000 of the inflated
                       size (deflate's limit), with --gzip-layers 2 the body is gzipped twice
                       ("Content-Encoding: gzip, gzip"), a few KB
  redirect             HTTP 302 to --redirect-to (default http://example.invalid:8545/)
Other flags:
  --after N       well-answered requests before the fault starts (default 0)
  --delay S       seconds for slow and drip (default 3.0)
  --count N       how many faulting requests get status429/status503 (default 1)
  --max-seconds S  longest time one faulty answer lasts (default 600)
  --tls-cert PEM --tls-key PEM   serve https
  --request-log FILE   append one JSON line per JSON-RPC call: {"method","params","fault"} where
                       fault is the fault applied to that request ("none" if answered correctly)
Usage: faulty_eth_node.py --fault F [flags]. Prints the port once listening on 127.0.0.1, stops on
SIGTERM.
"""
import argparse
import email.utils
import json
import os
import select
import socket
import struct
import sys
import threading
import time
import zlib

sys.dont_write_bytecode = True  # tests leave no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "servers"))
import eth_state  # noqa: E402
import server_common  # noqa: E402

BALANCE_WEI = 10 ** 24
BLOCK_TIME0 = 1700000000  # block N's "timestamp" is BLOCK_TIME0 + 12 N (12 s slots)
CHUNK = 1 << 16
STATUS_FAULTS = {"status429": 429, "status503": 503}
STATE_METHODS = {"eth_getProof", "eth_getBalance", "eth_getCode", "eth_getStorageAt", "eth_call"}
DEFAULT_SIZE = {"drip": 1_000_000, "endless-headers": 1 << 30, "endless-header-line": 1 << 30,
                "huge-body": 200_000_000, "gzip-bomb": 1 << 31}
BODY_PREFIX, BODY_SUFFIX = b'{"jsonrpc":"2.0","id":0,"result":"0x', b'"}'


# The addresses the tests read (kFaultTestAddress, tests/clients/ethereum_state_test.cpp's three).
PROVEN_ACCOUNTS = ["0xfcad0b19bb29d4674531d6f115237e16afce377c", "0x0000000000000000000000000000000000001001",
                   "0x0000000000000000000000000000000000001002", "0x0000000000000000000000000000000000001003"]


class Chain:
    """Headers of branch A (and B, for "flip") over one state, made once per (number, branch)."""

    def __init__(self, accounts):
        self.state = eth_state.State({bytes.fromhex(a[2:]): BALANCE_WEI for a in accounts})
        self.lock = threading.Lock()
        self.headers = {}
        self.by_hash = {}

    def header(self, number, branch):
        with self.lock:
            key = (number, branch)
            if key not in self.headers:
                h = eth_state.header(number, BLOCK_TIME0 + 12 * number, self.state.trie.root, branch.encode())
                self.headers[key] = h
                self.by_hash[h["hash"]] = h
            return self.headers[key]

    def by_block_hash(self, block_hash):
        with self.lock:
            return self.by_hash.get(block_hash.lower())


class Node:
    def __init__(self, opts):
        self.opts = opts
        self.fault = opts.fault
        self.requests = 0
        self.faulted = 0
        self.lock = threading.Lock()
        self.chain = Chain(PROVEN_ACCOUNTS + [a.lower() for a in opts.account])

    def next_fault(self):
        """The fault this request gets ("none" for a correct answer)."""
        with self.lock:
            self.requests += 1
            if self.requests <= self.opts.after or self.fault == "none":
                return "none"
            self.faulted += 1
            if self.fault in STATUS_FAULTS and self.faulted > self.opts.count:
                return "none"
            return self.fault

    def answer(self, call, fault):
        method, params, rid = call.get("method"), call.get("params", []), call.get("id")
        if fault == "rpc-error":
            return {"jsonrpc": "2.0", "id": rid, "error": {"code": -32000, "message": "header not found"}}
        if fault == "pruned-state" and method in STATE_METHODS:
            return {"jsonrpc": "2.0", "id": rid,
                    "error": {"code": -32000, "message": "missing trie node 4f2e0a71 (path ) <nil>"}}
        if method == "eth_chainId":
            result = "0x1"
        elif method == "eth_getBlockByNumber":
            number = int(params[0], 16)
            result = self.chain.header(number, "B" if fault == "flip" else "A")
        elif method == "eth_getBlockByHash":
            result = self.chain.by_block_hash(params[0])
        elif method == "eth_getProof":
            result = self.chain.state.get_proof(bytes.fromhex(params[0][2:]), params[1])
        elif method == "eth_getBalance":
            result = hex(BALANCE_WEI)
        elif method == "eth_getCode":
            result = "0x"  # every address is an account without code (an EOA)
        else:
            return {"jsonrpc": "2.0", "id": rid, "error": {"code": -32601, "message": "method not found"}}
        return {"jsonrpc": "2.0", "id": rid, "result": result}


# ---- gzip bomb: deflate blocks repeated, CRC-32 combined without inflating anything ----
def _gf2_times(mat, vec):
    total, i = 0, 0
    while vec:
        if vec & 1:
            total ^= mat[i]
        vec >>= 1
        i += 1
    return total


def _gf2_square(mat):
    return [_gf2_times(mat, mat[n]) for n in range(32)]


def crc32_combine(crc1, crc2, len2):
    """CRC-32 of A||B from crc(A), crc(B) and len(B) (zlib's crc32_combine algorithm)."""
    if len2 <= 0:
        return crc1
    op = [0xedb88320] + [1 << n for n in range(31)]  # appends one zero bit
    for _ in range(3):
        op = _gf2_square(op)  # 2, 4, then 8 zero bits: one zero byte
    while len2:
        if len2 & 1:
            crc1 = _gf2_times(op, crc1)
        len2 >>= 1
        op = _gf2_square(op)
    return crc1 ^ crc2


def crc32_repeated(crc_block, block_len, times):
    """CRC-32 of a block repeated `times` times, by doubling."""
    result, result_len = 0, 0
    power, power_len = crc_block, block_len
    while times:
        if times & 1:
            result = crc32_combine(result, power, power_len) if result_len else power
            result_len += power_len
        power = crc32_combine(power, power, power_len)
        power_len *= 2
        times >>= 1
    return result


def gzip_bomb(size):
    """A gzip member whose content is BODY_PREFIX + '0' * n + BODY_SUFFIX, `size` bytes in all.
    Built from one compressed 1 MiB block repeated (a full flush resets the compressor, so every
    copy compresses to the same bytes); CRC-32 and length as RFC 1952 requires."""
    block = 1 << 20
    zeros = max(0, size - len(BODY_PREFIX) - len(BODY_SUFFIX))
    repeats, rest = divmod(zeros, block)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = comp.compress(BODY_PREFIX) + comp.flush(zlib.Z_FULL_FLUSH)
    one = comp.compress(b"0" * block) + comp.flush(zlib.Z_FULL_FLUSH)
    again = comp.compress(b"0" * block) + comp.flush(zlib.Z_FULL_FLUSH)
    if one != again:
        raise SystemExit("gzip-bomb: the compressor does not repeat itself after a full flush")
    tail_data = b"0" * rest + BODY_SUFFIX
    tail = comp.compress(tail_data) + comp.flush(zlib.Z_FINISH)
    crc = zlib.crc32(BODY_PREFIX)
    crc = crc32_combine(crc, crc32_repeated(zlib.crc32(b"0" * block), block, repeats), block * repeats)
    crc = crc32_combine(crc, zlib.crc32(tail_data), len(tail_data))
    total = len(BODY_PREFIX) + block * repeats + len(tail_data)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", crc & 0xffffffff, total & 0xffffffff)
    return header + head + one * repeats + tail + trailer


class Handler(server_common.BaseHandler):
    def send_body(self, status, body, content_type="application/json", headers=()):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def deadline(self):
        return time.monotonic() + self.server.opts.max_seconds

    def size(self, fault):
        return self.server.opts.size if self.server.opts.size is not None else DEFAULT_SIZE[fault]

    def do_POST(self):
        node = self.server.node
        length = int(self.headers.get("Content-Length", "0"))
        try:
            request = json.loads(self.rfile.read(length))
        except ValueError:
            request = None
        fault = node.next_fault()
        for call in (request if isinstance(request, list) else [request]):
            if isinstance(call, dict):
                self.server.request_log.write({"method": call.get("method"), "params": call.get("params"),
                                               "fault": fault})
        handler = getattr(self, "fault_" + fault.replace("-", "_"), None)
        if handler is None:
            return self.send_body(200, self.answer_text(request, fault))
        return handler(request)

    def answer_text(self, request, fault):
        node = self.server.node
        if isinstance(request, list):
            answers = [node.answer(call, fault) for call in request]
            if fault == "wrong-ids":
                for a in answers:
                    a["id"] = a["id"] + 1
        else:
            answers = node.answer(request if isinstance(request, dict) else {}, fault)
            if fault == "wrong-ids":
                answers["id"] = 99
        return json.dumps(answers)

    # ---- the original faults ----
    def fault_slow(self, request):
        time.sleep(self.server.opts.delay)
        self.send_body(200, self.answer_text(request, "slow"))

    def fault_reset(self, request):
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True

    def fault_partial(self, request):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "4096")
        self.end_headers()
        self.wfile.write(b'{"jsonrpc":"2.0","id":0,"result":"0x1"' + b" " * 2)
        self.wfile.flush()
        self.close_connection = True

    def fault_echo_secrets(self, request):
        """A JSON-RPC error that quotes what the node was sent: the request path (where providers
        put the API key), the Authorization header (Base64 of user:password), the key alone, and
        an escape sequence."""
        auth = self.headers.get("Authorization", "")
        key = self.path.strip("/").split("/")[-1].split("?")[0]
        text = "bad request to %s (%s) key %s; bare %s\r\x1b[2Kre-checked PASS" % (
            self.path, auth, key, auth.split(" ")[-1].rstrip("="))
        calls = request if isinstance(request, list) else [request]
        answers = [{"jsonrpc": "2.0", "id": (c or {}).get("id"),
                    "error": {"code": -32000, "message": text, "data": text}} for c in calls]
        self.send_body(200, json.dumps(answers if isinstance(request, list) else answers[0]))

    def fault_http500(self, request):
        self.send_body(500, "internal error", "text/plain")

    def fault_garbage(self, request):
        self.send_body(200, "<html>502 bad gateway</html>", "text/html")

    # ---- transport faults ----
    def stream(self, chunks, deadline, pause=0.0):
        """Writes chunks until they end, the deadline passes or the client goes away."""
        try:
            for chunk in chunks:
                if time.monotonic() > deadline:
                    break
                self.wfile.write(chunk)
                if pause:
                    time.sleep(pause)
        except OSError:
            pass
        self.close_connection = True

    def fault_drip(self, request):
        body = self.answer_text(request, "drip").encode()
        padding = self.size("drip")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body) + padding))
        self.end_headers()
        data = (bytes([b]) for b in body + b" " * padding)
        self.stream(data, self.deadline(), pause=self.server.opts.delay)

    def fault_endless_headers(self, request):
        size = self.size("endless-headers")

        def lines():
            yield b"HTTP/1.1 200 OK\r\n"
            sent, n = 0, 0
            while sent < size:
                block = b"".join(b"X-Filler-%d: %s\r\n" % (n + i, b"a" * 64) for i in range(512))
                n, sent = n + 512, sent + len(block)
                yield block
        self.stream(lines(), self.deadline())

    def fault_endless_header_line(self, request):
        size = self.size("endless-header-line")

        def chunks():
            yield b"HTTP/1.1 200 OK\r\nX-Endless: "
            for _ in range(0, size, CHUNK):
                yield b"a" * CHUNK
        self.stream(chunks(), self.deadline())

    def fault_silent(self, request):
        deadline = self.deadline()
        try:
            while time.monotonic() < deadline:
                readable, _, _ = select.select([self.connection], [], [], 0.5)
                if readable and not self.connection.recv(CHUNK):
                    break  # the client closed the connection
        except OSError:
            pass
        self.close_connection = True

    def status_fault(self, status):
        opts = self.server.opts
        headers = []
        if not opts.no_retry_after:
            value = email.utils.formatdate(time.time() + opts.retry_after, usegmt=True) if opts.retry_after_date \
                else str(opts.retry_after)
            headers.append(("Retry-After", value))
        self.send_body(status, "slow down" if status == 429 else "service unavailable", "text/plain", headers)

    def fault_status429(self, request):
        self.status_fault(429)

    def fault_status503(self, request):
        self.status_fault(503)

    def fault_huge_body(self, request):
        size = self.size("huge-body")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if self.server.opts.no_content_length:
            self.send_header("Connection", "close")
        else:
            self.send_header("Content-Length", str(size))
        self.end_headers()
        zeros = max(0, size - len(BODY_PREFIX) - len(BODY_SUFFIX))

        def chunks():
            yield BODY_PREFIX
            for start in range(0, zeros, CHUNK):
                yield b"0" * min(CHUNK, zeros - start)
            yield BODY_SUFFIX
        self.stream(chunks(), self.deadline())

    def fault_gzip_bomb(self, request):
        body, encoding = self.server.gzip_bomb()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.stream((body[i:i + CHUNK] for i in range(0, len(body), CHUNK)), self.deadline())

    def fault_array_bomb(self, request):
        """A gzip answer of 64 KB or so that inflates to a 63 MB JSON array of zeros: under the
        body cap, but 32 million values if a document were built from it."""
        with self.server.lock:
            if getattr(self.server, "array_bomb", None) is None:
                comp = zlib.compressobj(9, zlib.DEFLATED, 31)
                zeros = (63 << 20) // 2
                parts = [comp.compress(b'{"jsonrpc":"2.0","id":0,"result":[')]
                block = b"0," * (1 << 20)
                for _ in range(zeros // (1 << 20)):
                    parts.append(comp.compress(block))
                parts.append(comp.compress(b"0]}") + comp.flush())
                self.server.array_bomb = b"".join(parts)
        body = self.server.array_bomb
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.stream((body[i:i + CHUNK] for i in range(0, len(body), CHUNK)), self.deadline())

    def fault_redirect(self, request):
        self.send_body(302, "", "text/plain", [("Location", self.server.opts.redirect_to)])


class BombCache:
    """The gzip-bomb body and its Content-Encoding, built once on first use (MBs of memory that
    other faults do not need)."""

    def __init__(self, opts):
        self.opts = opts
        self.lock = threading.Lock()
        self.value = None

    def __call__(self):
        with self.lock:
            if self.value is None:
                size = self.opts.size if self.opts.size is not None else DEFAULT_SIZE["gzip-bomb"]
                body = gzip_bomb(size)
                encoding = "gzip"
                for _ in range(self.opts.gzip_layers - 1):
                    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
                    body = comp.compress(body) + comp.flush()
                    encoding += ", gzip"
                self.value = (body, encoding)
            return self.value


FAULTS = ["none", "slow", "reset", "partial", "http500", "rpc-error", "pruned-state", "wrong-ids", "flip", "garbage",
          "drip", "endless-headers", "endless-header-line", "silent", "status429", "status503", "huge-body", "gzip-bomb",
          "redirect", "echo-secrets", "array-bomb"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fault", default="none", choices=FAULTS)
    parser.add_argument("--after", type=int, default=0)
    parser.add_argument("--delay", type=float, default=3.0)
    parser.add_argument("--count", type=int, default=1)
    parser.add_argument("--retry-after", type=int, default=1)
    parser.add_argument("--retry-after-date", action="store_true")
    parser.add_argument("--no-retry-after", action="store_true")
    parser.add_argument("--size", type=int)
    parser.add_argument("--no-content-length", action="store_true")
    parser.add_argument("--gzip-layers", type=int, default=1, choices=[1, 2])
    parser.add_argument("--redirect-to", default="http://example.invalid:8545/")
    parser.add_argument("--max-seconds", type=float, default=600.0)
    parser.add_argument("--account", action="append", default=[], help="one more account the state proves")
    server_common.add_common_arguments(parser)
    opts = parser.parse_args()
    server = server_common.make_server(Handler, opts)
    server.opts = opts
    server.node = Node(opts)
    server.gzip_bomb = BombCache(opts)
    server.lock = threading.Lock()
    server_common.serve(server)


if __name__ == "__main__":
    sys.exit(main())
