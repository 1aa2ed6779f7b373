#!/usr/bin/env python3
"""A loopback Ethereum JSON-RPC node that misbehaves on purpose, for fault-injection tests.

It answers the calls segverify makes (eth_chainId, eth_getBlockByNumber, eth_getBalance, single
or batched) for mainnet (chain id 1) at any block number, with every address holding 10^24 wei,
in the JSON-RPC 2.0 shapes of https://ethereum.org/en/developers/docs/apis/json-rpc/.
After --after N well-answered requests, every request gets the fault named by --fault:
  none         answer correctly (the control case)
  slow         answer correctly, but only after --delay seconds
  reset        close the connection with a TCP reset, no answer
  partial      announce a 4096-byte body, send 40 bytes of it, close
  http500      HTTP 500 with a text body
  rpc-error    a JSON-RPC error object (-32000 "header not found") for every call
  wrong-ids    batch answers carry ids shifted by one; single answers carry id 99
  flip         block hashes change after the fault starts (the node moved to another branch)
  garbage      HTTP 200 with a non-JSON body
Usage: faulty_eth_node.py --fault F [--after N] [--delay S]. Prints the port once listening.
"""
import argparse
import hashlib
import http.server
import json
import socket
import struct
import sys
import threading
import time

BALANCE_WEI = 10 ** 24


def block_hash(number, branch):
    return "0x" + hashlib.sha256(("segverify fault node block %s %d" % (branch, number)).encode()).hexdigest()


class Node:
    def __init__(self, fault, after, delay):
        self.fault, self.after, self.delay = fault, after, delay
        self.requests = 0
        self.lock = threading.Lock()

    def faulting(self):
        with self.lock:
            self.requests += 1
            return self.requests > self.after and self.fault != "none"

    def answer(self, call, faulting):
        method, params, rid = call.get("method"), call.get("params", []), call.get("id")
        if faulting and self.fault == "rpc-error":
            return {"jsonrpc": "2.0", "id": rid, "error": {"code": -32000, "message": "header not found"}}
        if method == "eth_chainId":
            result = "0x1"
        elif method == "eth_getBlockByNumber":
            number = int(params[0], 16)
            branch = "B" if faulting and self.fault == "flip" else "A"
            result = {"number": hex(number), "hash": block_hash(number, branch)}
        elif method == "eth_getBalance":
            result = hex(BALANCE_WEI)
        else:
            return {"jsonrpc": "2.0", "id": rid, "error": {"code": -32601, "message": "method not found"}}
        return {"jsonrpc": "2.0", "id": rid, "result": result}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; without TCP_NODELAY, Nagle's algorithm and the
    # client's delayed ACK hold every answer for ~40 ms (same fix as tests/servers/bitcoin_test_server.py).
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def send_body(self, status, body, content_type="application/json"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        node = self.server.node
        length = int(self.headers.get("Content-Length", "0"))
        request = json.loads(self.rfile.read(length))
        faulting = node.faulting()
        fault = node.fault if faulting else "none"
        if fault == "slow":
            time.sleep(node.delay)
        if fault == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            return
        if fault == "partial":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "4096")
            self.end_headers()
            self.wfile.write(b'{"jsonrpc":"2.0","id":0,"result":"0x1"' + b" " * 2)
            self.wfile.flush()
            self.close_connection = True
            return
        if fault == "http500":
            self.send_body(500, "internal error", "text/plain")
            return
        if fault == "garbage":
            self.send_body(200, "<html>502 bad gateway</html>", "text/html")
            return
        if isinstance(request, list):
            answers = [node.answer(call, faulting) for call in request]
            if fault == "wrong-ids":
                for a in answers:
                    a["id"] = a["id"] + 1
        else:
            answers = node.answer(request, faulting)
            if fault == "wrong-ids":
                answers["id"] = 99
        self.send_body(200, json.dumps(answers))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fault", default="none")
    parser.add_argument("--after", type=int, default=0)
    parser.add_argument("--delay", type=float, default=3.0)
    args = parser.parse_args()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.node = Node(args.fault, args.after, args.delay)
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
