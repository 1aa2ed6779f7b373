#!/usr/bin/env python3
"""A JSON-RPC front that lies: it forwards every call to a real node (--upstream, an anvil) and
alters its answers the way a dishonest or careless provider could (docs/SECURITY.md "Proven
Ethereum reads"). Tests put it as the ONLY source of a chain: whatever it does, segverify must
never give PASS; with --lie none it is an honest source and a PASS must still be possible.

Lies (--lie):
  none          forward unchanged (the control case)
  balance       every balance raised by 10^24 wei: eth_getBalance, and eth_getProof's plain
                "balance" field (the proof itself left as it is)
  proof-balance eth_getProof's balance raised AND the account leaf rewritten to match (the leaf
                then no longer hashes to its parent's reference)
  proof-node    one byte of the last accountProof node changed
  storage       every storage value raised: eth_getStorageAt, and the plain "value" of each
                eth_getProof storage entry
  code          eth_getCode answers other code (0x6000)
  latest        every state read by block hash ({"blockHash":...}) is forwarded as "latest": the
                state of another block (EIP-1898 ignored)
  header        eth_getBlockByHash's stateRoot replaced by the latest block's (the header of
                another state, under the pinned hash)
  number-hash   eth_getBlockByNumber answers the latest block for any number (another block's
                hash as the pin)
  call          every ERC-20 balanceOf answer (eth_call of 0x70a08231) raised by 10^24 units
  erc1271       every isValidSignature answer (eth_call of 0x1626ba7e) is the magic value: any
                signature "valid" for any contract
Usage: lying_eth_proxy.py --upstream URL --lie L. Prints its port, stops on SIGTERM.
"""
import argparse
import json
import os
import sys
import urllib.request

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server_common  # noqa: E402

LIES = ["none", "balance", "proof-balance", "proof-node", "storage", "code", "latest", "header", "number-hash",
        "call", "erc1271"]
RAISE = 10 ** 24


def upstream_call(url, payload):
    req = urllib.request.Request(url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def raised(quantity):
    return hex(int(quantity, 16) + RAISE)


def rlp_length(n, base):
    if n <= 55:
        return bytes([base + n])
    d = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([base + 55 + len(d)]) + d


class Front:
    def __init__(self, opts):
        self.opts = opts

    def latest_block(self):
        return upstream_call(self.opts.upstream, {"jsonrpc": "2.0", "id": 0, "method": "eth_getBlockByNumber",
                                                  "params": ["latest", False]})["result"]

    def rewrite_request(self, call):
        if self.opts.lie == "latest":
            call["params"] = ["latest" if isinstance(p, dict) and "blockHash" in p else p
                              for p in call.get("params", [])]
        if self.opts.lie == "number-hash" and call.get("method") == "eth_getBlockByNumber":
            call["params"] = ["latest", False]
        return call

    def rewrite_answer(self, call, answer):
        lie, method = self.opts.lie, call.get("method")
        if lie == "erc1271" and method == "eth_call" and call["params"][0].get("data", "").startswith("0x1626ba7e"):
            return {"jsonrpc": "2.0", "id": answer.get("id"), "result": "0x1626ba7e" + "00" * 28}  # even for a revert
        result = answer.get("result")
        if result is None:
            return answer
        if lie == "balance" and method == "eth_getBalance":
            answer["result"] = raised(result)
        elif lie == "balance" and method == "eth_getProof":
            result["balance"] = raised(result["balance"])
        elif lie == "proof-balance" and method == "eth_getProof":
            result["balance"] = raised(result["balance"])
            # Rewrite the leaf (the last node) with the raised balance: [path, rlp(account)] with the
            # account's balance item replaced. Simplest honest-looking forgery: rebuild the leaf
            # from the plain fields.
            nodes = result["accountProof"]
            leaf = bytes.fromhex(nodes[-1][2:])
            balance = int(result["balance"], 16).to_bytes((int(result["balance"], 16).bit_length() + 7) // 8, "big")
            marker = int(result["balance"], 16) - RAISE
            old = marker.to_bytes((marker.bit_length() + 7) // 8, "big")
            old_item = (rlp_length(len(old), 0x80) if not (len(old) == 1 and old[0] < 0x80) else b"") + old
            new_item = rlp_length(len(balance), 0x80) + balance
            if old_item in leaf:
                leaf = leaf.replace(old_item, new_item, 1)
            nodes[-1] = "0x" + leaf.hex()
        elif lie == "proof-node" and method == "eth_getProof":
            node = bytearray(bytes.fromhex(result["accountProof"][-1][2:]))
            node[-1] ^= 0x01
            result["accountProof"][-1] = "0x" + node.hex()
        elif lie == "storage" and method == "eth_getStorageAt":
            answer["result"] = "0x" + (int(result, 16) + 1).to_bytes(32, "big").hex()
        elif lie == "storage" and method == "eth_getProof":
            for entry in result["storageProof"]:
                entry["value"] = hex(int(entry["value"], 16) + 1)
        elif lie == "call" and method == "eth_call" and call["params"][0].get("data", "").startswith("0x70a08231"):
            answer["result"] = "0x" + (int(result, 16) + RAISE).to_bytes(32, "big").hex()
        elif lie == "code" and method == "eth_getCode":
            answer["result"] = "0x6000"
        elif lie == "header" and method == "eth_getBlockByHash":
            result["stateRoot"] = self.latest_block()["stateRoot"]
        return answer

    def handle(self, request):
        calls = request if isinstance(request, list) else [request]
        calls = [self.rewrite_request(dict(c)) for c in calls]
        forwarded = upstream_call(self.opts.upstream, calls if isinstance(request, list) else calls[0])
        answers = forwarded if isinstance(forwarded, list) else [forwarded]
        by_id = {c.get("id"): c for c in calls}
        answers = [self.rewrite_answer(by_id.get(a.get("id"), {}), a) for a in answers]
        return answers if isinstance(request, list) else answers[0]


class Handler(server_common.BaseHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        request = json.loads(self.rfile.read(length))
        body = json.dumps(self.server.front.handle(request)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--lie", default="none", choices=LIES)
    server_common.add_common_arguments(parser)
    opts = parser.parse_args()
    server = server_common.make_server(Handler, opts)
    server.front = Front(opts)
    server_common.serve(server)


if __name__ == "__main__":
    sys.exit(main())
