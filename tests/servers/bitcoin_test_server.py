#!/usr/bin/env python3
"""Loopback test server answering Bitcoin Core JSON-RPC and Esplora REST over a small chain.

No bitcoind can be installed on the test machines, so the Bitcoin clients are tested against this
server, which answers in the shapes the projects document:
  - Bitcoin Core RPC (https://bitcoincore.org/en/doc/29.0.0/rpc/blockchain/scantxoutset,
    .../getblockhash, .../getblockheader, .../getblockcount): HTTP basic auth (401 with an empty
    body when wrong), JSON-RPC 1.0-style replies {"result","error","id"}, RPC errors with HTTP 500
    (getblockhash beyond the tip: code -8 "Block height out of range"), amounts as JSON numbers
    with 8 decimals. scantxoutset "start" result: success, txouts, height, bestblock,
    unspents[{txid,vout,scriptPubKey,desc,amount,coinbase,height}], total_amount.
  - Esplora (https://github.com/Blockstream/esplora/blob/master/API.md): GET /block-height/:h
    (text hash, 404 beyond the tip), /blocks/tip/height, /block/:hash, /address/:a/txs/chain and
    /address/:a/txs/chain/:last_seen_txid (confirmed history, newest first, 25 per page), with the
    documented transaction format (txid, vin[{txid,vout,prevout,is_coinbase,...}],
    vout[{scriptpubkey,scriptpubkey_type,scriptpubkey_address,value}], status{confirmed,
    block_height,block_hash,block_time}).

The chain comes from a JSON file (tests/servers/bitcoin_chain.json): transactions by height,
spending earlier outputs; block and transaction ids are derived from fixed strings with SHA-256.

Usage: bitcoin_test_server.py --chain FILE [--tip H] [--auth user:pass] [--fork-from H]
       [--hide-tx N] [--fault garbage|truncated]
Prints the bound port on stdout once listening on 127.0.0.1.
  --tip H        blocks above H do not exist (a tip past the pinned height: scantxoutset refuses)
  --fork-from H  block hashes from height H on differ (a source on another branch)
  --hide-tx N    Esplora omits transaction N of the file (a source disagreeing on a balance)
  --fault F      every answer is garbage (non-JSON) or truncated JSON
"""
import argparse
import hashlib
import http.server
import json
import re
import sys
import base64

PAGE = 25


def sha(text):
    return hashlib.sha256(text.encode()).hexdigest()


# Descriptor checksum (BIP-380, "Checksum" section).
_INPUT_CHARSET = "0123456789()[],'/*abcdefgh@:$%{}IJKLMNOPQRSTUVWXYZ&+-.;<=>?!^_|~ijklmnopqrstuvwxyzABCDEFGH`#\"\\ "
_CHECKSUM_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def _polymod(c, val):
    c0 = c >> 35
    c = ((c & 0x7ffffffff) << 5) ^ val
    for i, g in enumerate([0xf5dee51989, 0xa9fdca3312, 0x1bab10e32d, 0x3706b1677a, 0x644d626ffd]):
        if c0 & (1 << i):
            c ^= g
    return c


def descsum(desc):
    c, cls, clscount = 1, 0, 0
    for ch in desc:
        pos = _INPUT_CHARSET.find(ch)
        c = _polymod(c, pos & 31)
        cls = cls * 3 + (pos >> 5)
        clscount += 1
        if clscount == 3:
            c = _polymod(c, cls)
            cls, clscount = 0, 0
    if clscount > 0:
        c = _polymod(c, cls)
    for _ in range(8):
        c = _polymod(c, 0)
    c ^= 1
    return desc + "#" + "".join(_CHECKSUM_CHARSET[(c >> (5 * (7 - i))) & 31] for i in range(8))


def btc(sats):
    """A Core amount: JSON number text with 8 decimals (spliced in after json.dumps)."""
    return "__AMOUNT_%d.%08d__" % (sats // 100000000, sats % 100000000)


def dumps(obj):
    return re.sub(r'"__AMOUNT_([0-9.]+)__"', r"\1", json.dumps(obj))


def script_type(spk):
    if spk.startswith("0014"):
        return "v0_p2wpkh"
    if spk.startswith("0020"):
        return "v0_p2wsh"
    if spk.startswith("5120"):
        return "v1_p2tr"
    if spk.startswith("76a914"):
        return "p2pkh"
    return "unknown"


class Chain:
    def __init__(self, path, tip, fork_from):
        with open(path) as f:
            spec = json.load(f)
        self.tip = spec["tip"] if tip is None else tip
        self.fork_from = fork_from
        self.addresses = spec["addresses"]
        self.by_address = {a["address"]: a for a in self.addresses.values()}
        txs = list(spec["txs"])
        for s in spec.get("series", []):
            for i in range(s["count"]):
                txs.append({"height": s["first_height"] + i, "inputs": [], "outputs": [s["output"]]})
        self.txs = []
        spent = set()
        for n, t in enumerate(txs):
            tx = {"n": n, "txid": sha("segverify test tx %d" % n), "height": t["height"], "vin": [], "vout": []}
            for (src, vout) in t["inputs"]:
                if (src, vout) in spent or src >= n:
                    raise SystemExit("chain file: tx %d spends %d:%d twice or before it exists" % (n, src, vout))
                spent.add((src, vout))
                prev = self.txs[src]
                if prev["height"] > t["height"]:
                    raise SystemExit("chain file: tx %d spends a later transaction" % n)
                tx["vin"].append((src, vout))
            for (name, value) in t["outputs"]:
                tx["vout"].append((self.addresses[name], value))
            self.txs.append(tx)

    def block_hash(self, h):
        salt = "fork " if self.fork_from is not None and h >= self.fork_from else ""
        return sha("segverify test block %s%d" % (salt, h))

    def visible(self, hidden=None):
        return [t for t in self.txs if t["height"] <= self.tip and t["n"] != hidden]

    def utxos(self):
        vis = self.visible()
        spent = {(s, v) for t in vis for (s, v) in t["vin"]}
        return [(t, i) for t in vis for i in range(len(t["vout"])) if (t["n"], i) not in spent]

    def esplora_tx(self, t):
        vin = []
        if not t["vin"]:
            vin.append({"txid": "0" * 64, "vout": 4294967295, "prevout": None, "scriptsig": "03" + "%06x" % t["height"],
                        "scriptsig_asm": "", "witness": [], "is_coinbase": True, "sequence": 4294967295})
        for (src, vout) in t["vin"]:
            prev = self.txs[src]
            addr, value = prev["vout"][vout]
            vin.append({"txid": prev["txid"], "vout": vout,
                        "prevout": {"scriptpubkey": addr["scriptpubkey"], "scriptpubkey_asm": "",
                                    "scriptpubkey_type": script_type(addr["scriptpubkey"]),
                                    "scriptpubkey_address": addr["address"], "value": value},
                        "scriptsig": "", "scriptsig_asm": "", "witness": [], "is_coinbase": False,
                        "sequence": 4294967293})
        vout = [{"scriptpubkey": a["scriptpubkey"], "scriptpubkey_asm": "",
                 "scriptpubkey_type": script_type(a["scriptpubkey"]), "scriptpubkey_address": a["address"],
                 "value": v} for (a, v) in t["vout"]]
        return {"txid": t["txid"], "version": 2, "locktime": 0, "vin": vin, "vout": vout, "size": 200,
                "weight": 800, "fee": 10000 if t["vin"] else 0,
                "status": {"confirmed": True, "block_height": t["height"], "block_hash": self.block_hash(t["height"]),
                           "block_time": 1700000000 + 600 * t["height"]}}

    def touches(self, t, spk):
        if any(a["scriptpubkey"] == spk for (a, _) in t["vout"]):
            return True
        return any(self.txs[s]["vout"][v][0]["scriptpubkey"] == spk for (s, v) in t["vin"])


class Handler(http.server.BaseHTTPRequestHandler):
    # Headers and body go out in separate writes; without TCP_NODELAY, Nagle's algorithm and the
    # client's delayed ACK hold every answer for ~40 ms.
    disable_nagle_algorithm = True
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="application/json"):
        opts = self.server.opts
        if opts.fault == "garbage":
            body = "<html><body>502 Bad Gateway</body></html>"
        elif opts.fault == "truncated" and len(body) > 1:
            body = body[: len(body) // 2]
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    # ---- Esplora REST ----
    def do_GET(self):
        chain = self.server.chain
        path = self.path
        m = re.fullmatch(r"/block-height/(\d+)", path)
        if m:
            h = int(m.group(1))
            if h > chain.tip:
                return self.reply(404, "Block not found", "text/plain")
            return self.reply(200, chain.block_hash(h), "text/plain")
        if path == "/blocks/tip/height":
            return self.reply(200, str(chain.tip), "text/plain")
        m = re.fullmatch(r"/block/([0-9a-f]{64})", path)
        if m:
            for h in range(chain.tip + 1):
                if chain.block_hash(h) == m.group(1):
                    return self.reply(200, json.dumps({
                        "id": m.group(1), "height": h, "version": 536870912, "timestamp": 1700000000 + 600 * h,
                        "tx_count": 1, "size": 300, "weight": 1200, "merkle_root": sha("merkle %d" % h),
                        "previousblockhash": chain.block_hash(h - 1) if h else None,
                        "mediantime": 1700000000 + 600 * h, "nonce": 0, "bits": 486604799, "difficulty": 1}))
            return self.reply(404, "Block not found", "text/plain")
        m = re.fullmatch(r"/address/([A-Za-z0-9]+)/txs/chain(?:/([0-9a-f]{64}))?", path)
        if m:
            addr = chain.by_address.get(m.group(1))
            spk = addr["scriptpubkey"] if addr else None
            history = [t for t in chain.visible(self.server.opts.hide_tx) if spk and chain.touches(t, spk)]
            history.sort(key=lambda t: (t["height"], t["n"]), reverse=True)
            if m.group(2):
                ids = [t["txid"] for t in history]
                if m.group(2) not in ids:
                    return self.reply(400, "Invalid last_seen_txid", "text/plain")
                history = history[ids.index(m.group(2)) + 1:]
            return self.reply(200, json.dumps([chain.esplora_tx(t) for t in history[:PAGE]]))
        return self.reply(404, "Not found", "text/plain")

    # ---- Bitcoin Core JSON-RPC ----
    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        expected = "Basic " + base64.b64encode(self.server.opts.auth.encode()).decode()
        if self.headers.get("Authorization") != expected:
            return self.reply(401, "", "text/html")
        try:
            request = json.loads(body)
        except ValueError:
            return self.reply(500, json.dumps({"result": None, "error": {"code": -32700, "message": "Parse error"},
                                               "id": None}))
        if isinstance(request, list):
            return self.reply(200, "[" + ",".join(dumps(self.call(r)[1]) for r in request) + "]")
        status, answer = self.call(request)
        return self.reply(status, dumps(answer))

    def call(self, request):
        chain = self.server.chain
        rid = request.get("id")
        method = request.get("method")
        params = request.get("params", [])

        def ok(result):
            return 200, {"result": result, "error": None, "id": rid}

        def err(code, message):
            return 500, {"result": None, "error": {"code": code, "message": message}, "id": rid}

        if method == "getblockcount":
            return ok(chain.tip)
        if method == "getblockhash":
            h = params[0]
            if not isinstance(h, int) or h < 0 or h > chain.tip:
                return err(-8, "Block height out of range")
            return ok(chain.block_hash(h))
        if method == "getblockheader":
            for h in range(chain.tip + 1):
                if chain.block_hash(h) == params[0]:
                    header = {"hash": params[0], "confirmations": chain.tip - h + 1, "height": h,
                              "version": 536870912, "versionHex": "20000000", "merkleroot": sha("merkle %d" % h),
                              "time": 1700000000 + 600 * h, "mediantime": 1700000000 + 600 * h, "nonce": 0,
                              "bits": "1d00ffff", "difficulty": 1, "chainwork": "%064x" % (h + 1), "nTx": 1}
                    if h:
                        header["previousblockhash"] = chain.block_hash(h - 1)
                    if h < chain.tip:
                        header["nextblockhash"] = chain.block_hash(h + 1)
                    return ok(header)
            return err(-5, "Block not found")
        if method == "scantxoutset":
            if not params or params[0] != "start":
                return err(-8, "Invalid action '%s'" % (params[0] if params else ""))
            wanted = set()
            for d in params[1]:
                d = d["desc"] if isinstance(d, dict) else d
                m = re.fullmatch(r"addr\(([A-Za-z0-9]+)\)(#[a-z0-9]{8})?", d)
                r = re.fullmatch(r"raw\(([0-9a-f]+)\)(#[a-z0-9]{8})?", d)
                if m and m.group(1) in chain.by_address:
                    wanted.add(chain.by_address[m.group(1)]["scriptpubkey"])
                elif r:
                    wanted.add(r.group(1))
                elif not m:
                    return err(-5, "'%s' is not a valid descriptor function" % d)
            utxos = chain.utxos()
            unspents = []
            total = 0
            for (t, i) in utxos:
                addr, value = t["vout"][i]
                if addr["scriptpubkey"] in wanted:
                    total += value
                    unspents.append({"txid": t["txid"], "vout": i, "scriptPubKey": addr["scriptpubkey"],
                                     "desc": descsum("addr(%s)" % addr["address"]), "amount": btc(value),
                                     "coinbase": not t["vin"], "height": t["height"],
                                     "blockhash": chain.block_hash(t["height"]), "confirmations": chain.tip - t["height"] + 1})
            return ok({"success": True, "txouts": len(utxos), "height": chain.tip,
                       "bestblock": chain.block_hash(chain.tip), "unspents": unspents, "total_amount": btc(total)})
        return err(-32601, "Method not found")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chain", required=True)
    parser.add_argument("--tip", type=int)
    parser.add_argument("--auth", default="user:pass")
    parser.add_argument("--fork-from", type=int)
    parser.add_argument("--hide-tx", type=int)
    parser.add_argument("--fault", choices=["garbage", "truncated"])
    opts = parser.parse_args()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.opts = opts
    server.chain = Chain(opts.chain, opts.tip, opts.fork_from)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
