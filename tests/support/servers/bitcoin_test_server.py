#!/usr/bin/env python3
"""Loopback test server answering Bitcoin Core JSON-RPC and Esplora REST over a small chain.

No bitcoind can be installed on the test machines, so the Bitcoin clients are tested against this
server, which answers in the shapes the projects document. Bitcoin Core: the RPC help of 29.0
(https://bitcoincore.org/en/doc/29.0.0/rpc/blockchain/<method>/) and the source it is generated
from (https://github.com/bitcoin/bitcoin, src/rpc/blockchain.cpp, src/core_io.cpp, src/httprpc.cpp);
Esplora: https://github.com/Blockstream/esplora/blob/master/API.md.

Transport (Core's src/httprpc.cpp): HTTP basic auth (401 with an empty body when wrong), replies
{"result","error","id"} (JSON-RPC 1.0 style, both keys always present), RPC errors with HTTP 500,
"Method not found" (-32601) with HTTP 404, a batch (JSON array) always HTTP 200 with one reply per
call. With --jsonrpc-v2, a request carrying "jsonrpc":"2.0" is answered as Core >= 28 does
(doc/release-notes-27101.md in Core 28.0): always HTTP 200, {"jsonrpc":"2.0","result"|"error","id"}
with only one of result/error. Amounts are JSON numbers with exactly 8 decimals (ValueFromAmount).
Multi-threaded: `scantxoutset status` is answered while a `start` runs.

Core RPC methods (positional params, or named params as an object):
  getblockcount                 tip height
  getbestblockhash              tip hash
  getblockhash height           -8 "Block height out of range" beyond the tip
  getblockheader hash [verbose] header object (or 80-byte header hex); -5 "Block not found"
  getblock hash [verbosity]     0: block hex; 1: header fields + strippedsize,size,weight,tx[txid];
                                2: tx objects {txid,hash,version,size,vsize,weight,locktime,vin,vout,
                                fee,hex}; 3: as 2 with vin[].prevout {generated,height,value,
                                scriptPubKey{asm,desc,hex,address,type}} (help: getblock).
                                -5 "Block not found"; a malformed hash: -8 "blockhash must be of
                                length 64 (not N, for 'X')" / "blockhash must be hexadecimal string
                                (not 'X')" (ParseHashV in src/rpc/util.cpp).
  scantxoutset action [scanobjects]   (help: scantxoutset)
      start   {success,txouts,height,bestblock,unspents[{txid,vout,scriptPubKey,desc,amount,
              coinbase,height,blockhash,confirmations}],total_amount} over the UTXO set at the tip.
              While another scan runs: -8 'Scan already in progress, use action "abort" or
              "status"' (CoinsViewScanReserver in blockchain.cpp). Without scanobjects:
              -1 "scanobjects argument is required for the start action". An aborted start
              answers success false with no unspents.
      status  {"progress": N} (0..100) while a scan runs, null when none
      abort   true if a scan was running (it ends soon after), false when none
      other   -8 "Invalid action '<a>'"
  scanblocks action [scanobjects] [start_height] [stop_height] [filtertype] [options]
              (help: scanblocks; Core >= 25) start: {from_height,to_height,relevant_blocks[hash],
              completed:true}. Relevant blocks are those whose BIP-158 basic filter holds one of the
              scripts: an output script (not OP_RETURN) or a spent prevout's script
              (https://github.com/bitcoin/bips/blob/master/bip-0158.mediawiki "Contents"), plus the
              --false-positive-blocks heights in the range, unless options
              {"filter_false_positives": true}. Errors: -1 "Index is not enabled for filtertype
              basic" (with --no-blockfilterindex), -5 "Unknown filtertype", -1 "Invalid
              start_height", -1 "Invalid stop_height". A start takes --scan-seconds too; while it
              runs, status is {"progress": N, "current_height": H} (help: scanblocks), else null;
              abort: false.
  getdescriptoractivity [blockhashes] [scanobjects] [include_mempool]   (help: getdescriptoractivity;
              Core >= 29) {"activity":[...]} over the given blocks in height order, per transaction
              its spends then its receives:
                {"type":"spend","amount","blockhash","height","spend_txid","spend_vin",
                 "prevout_txid","prevout_vout","prevout_spk":{asm,desc,hex,address,type}}
                {"type":"receive","amount","blockhash","height","txid","vout","output_spk":{...}}
              The field is "spend_vin" as Core's code emits it; the 29.0 help text said "spend_vout"
              until https://github.com/bitcoin/bitcoin/pull/33119 fixed it (backported to 29.x).
              The mempool is always empty. -5 "Block not found" for an unknown hash.
              With --no-descriptoractivity: -32601 "Method not found" (HTTP 404), as Core < 29.
  getindexinfo [index_name]     {"basic block filter index":{"synced":true,"best_block_height":tip}},
                                {} with --no-blockfilterindex (help: getindexinfo); with
                                --index-height H: best_block_height H, synced false
Descriptors (scan objects, strings or {"desc":...}): addr(ADDRESS) (any valid mainnet address) and
raw(HEX), with or without "#checksum"; a wrong checksum gets Core's -5 "Provided checksum 'x' does
not match computed checksum 'y'" (src/script/descriptor.cpp); see bitcoin_scripts.py.

Esplora REST: GET /block-height/:h (text hash, 404 beyond the tip), /blocks/tip/height,
/block/:hash, /address/:a/txs/chain and /address/:a/txs/chain/:last_seen_txid (confirmed history,
newest first, --page-size per page; after the last transaction an empty page []), with the
documented transaction format (txid, vin[{txid,vout,prevout,is_coinbase,...}],
vout[{scriptpubkey,scriptpubkey_type,scriptpubkey_address,value}], status{confirmed,block_height,
block_hash,block_time}).

The chain comes from a JSON file (tests/support/servers/bitcoin_chain.json, bitcoin_chain_history.json):
transactions by height spending earlier outputs; block ids are sha256("<id_prefix> block <h>"),
transaction ids sha256("<id_prefix> tx <n>") (id_prefix defaults to "segverify test"). Every block
also holds a coinbase paying 0 to OP_RETURN when the file gives it none (so tx[0] is always a
coinbase). The "hex" of transactions and blocks is a real serialization (legacy, no witness) of
what is shown, but the ids are the synthetic ones above, not its double SHA-256.

Usage: bitcoin_test_server.py --chain FILE [flags]. Prints the bound port on stdout once listening
on 127.0.0.1, stops on SIGTERM.
  --tip H                  blocks above H do not exist (default: the file's "tip")
  --auth user:pass         accepted credentials (default user:pass unless --cookie-file is given)
  --cookie-file PATH       write "__cookie__:<64 hex>" to PATH (mode 0600) at start, as Core's
                           .cookie, accept exactly those credentials (and --auth if given), remove
                           PATH on exit
  --fork-from H            block hashes from height H on differ (a source on another branch)
  --hide-tx N              Esplora omits transaction N of the file (a source disagreeing on a balance)
  --fault F                every answer is garbage (non-JSON) or truncated JSON
  --scan-seconds S         a scantxoutset or scanblocks start takes S seconds to answer (default 0);
                           status meanwhile reports the percent of S passed
  --scan-in-progress       a scan started by someone else runs for --scan-seconds from startup
  --no-blockfilterindex    scanblocks answers Core's error for a missing -blockfilterindex
  --false-positive-blocks H1,H2   these heights are also relevant to every scanblocks query
  --index-height H         the block filter index has reached height H only: scanblocks skips the
                           blocks above it and still answers completed true, as Core does
                           (src/rpc/blockchain.cpp scanblocks reads filters only up to the index's
                           best block: https://github.com/bitcoin/bitcoin/pull/35837)
  --no-prevout             Esplora gives no "prevout" for non-coinbase inputs (an indexer that
                           lacks them)
  --no-descriptoractivity  getdescriptoractivity is "Method not found" (Core < 29)
  --jsonrpc-v2             answer "jsonrpc":"2.0" requests as Core >= 28 (see above)
  --page-size N            Esplora transactions per history page (default 25)
  --repeat-txids           Esplora's second history page starts with the last txid of the first
                           (a buggy source)
  --history-oldest-first   Esplora histories oldest first (against the API's order)
  --endless-history        every address's Esplora history never ends: each page holds --page-size
                           new minimal transactions (txid, status, empty vin and vout), newest
                           first, 1000 per block from height 2^40 down (a source paging forever)
  --tls-cert PEM --tls-key PEM   serve https
  --request-log FILE       append one JSON line per request: {"kind":"rpc","method","params"} for
                           each JSON-RPC call (each call of a batch), {"kind":"rpc","status":401}
                           for a request refused for its credentials, {"kind":"esplora","path"}
                           for each GET; plus "time". Never credentials.
"""
import argparse
import base64
import hashlib
import json
import os
import re
import secrets
import sys
import threading
import time

sys.dont_write_bytecode = True  # tests leave no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server_common  # noqa: E402
from bitcoin_scripts import (RPC_INVALID_ADDRESS_OR_KEY, RPC_INVALID_PARAMETER, RPC_METHOD_NOT_FOUND,  # noqa: E402
                             RPC_MISC_ERROR, RPC_PARSE_ERROR, RpcError, descriptor_scripts, descsum, script_json)

DEFAULT_PAGE = 25
ENDLESS_TOP = 1 << 40  # the newest height of --endless-history
BLOCK_TIME0 = 1700000000
# Core sets the HTTP status of an error reply from its code (src/httprpc.cpp JSONErrorReply).
HTTP_STATUS_OF_CODE = {-32600: 400, RPC_METHOD_NOT_FOUND: 404}


def sha(text):
    return hashlib.sha256(text.encode()).hexdigest()


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


def in_basic_filter(spk):
    """BIP-158 basic filters hold output scripts except empty and OP_RETURN ones."""
    return spk != "" and not spk.startswith("6a")


# ---- Serialization (legacy transaction / block format) for the "hex" fields ----
def varint(n):
    if n < 0xfd:
        return bytes([n])
    return b"\xfd" + n.to_bytes(2, "little") if n <= 0xffff else b"\xfe" + n.to_bytes(4, "little")


def push(data):
    return varint(len(data)) + data


class Chain:
    def __init__(self, path, tip, fork_from):
        with open(path) as f:
            spec = json.load(f)
        # "block_time0" in the chain file: block 0's time (unix seconds); block h is 600 s * h later.
        self.time0 = spec.get("block_time0", BLOCK_TIME0)
        self.prefix = spec.get("id_prefix", "segverify test")
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
            tx = {"n": n, "txid": sha("%s tx %d" % (self.prefix, n)), "height": t["height"], "vin": [], "vout": []}
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
        self.height_of = {self.block_hash(h): h for h in range(self.tip + 1)}
        by_height = {}
        for t in self.txs:
            by_height.setdefault(t["height"], []).append(t)
        self.file_txs_at = by_height

    def block_hash(self, h):
        salt = "fork " if self.fork_from is not None and h >= self.fork_from else ""
        return sha("%s block %s%d" % (self.prefix, salt, h))

    def block_time(self, h):
        return self.time0 + 600 * h

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
                           "block_time": self.block_time(t["height"])}}

    def touches(self, t, spk):
        if any(a["scriptpubkey"] == spk for (a, _) in t["vout"]):
            return True
        return any(self.txs[s]["vout"][v][0]["scriptpubkey"] == spk for (s, v) in t["vin"])

    # ---- Blocks as Core shows them ----
    def block_txs(self, h):
        """The block's transactions: a coinbase first (the file's, or one paying 0 to OP_RETURN
        when the file has none at h), then the file's transactions in file order."""
        file_txs = self.file_txs_at.get(h, [])
        coinbases = [t for t in file_txs if not t["vin"]]
        others = [t for t in file_txs if t["vin"]]
        if not coinbases:
            coinbases = [{"n": None, "txid": sha("%s coinbase %d" % (self.prefix, h)), "height": h, "vin": [],
                          "vout": [({"scriptpubkey": "6a", "address": None}, 0)]}]
        return coinbases + others

    def prevout(self, src, vout):
        """(scriptPubKey hex, value, height, is coinbase) of output vout of file transaction src."""
        prev = self.txs[src]
        addr, value = prev["vout"][vout]
        return addr["scriptpubkey"], value, prev["height"], not prev["vin"]

    def tx_bytes(self, t):
        out = (2).to_bytes(4, "little")
        if not t["vin"]:
            out += varint(1) + b"\0" * 32 + b"\xff" * 4 + push(bytes.fromhex("03%06x" % t["height"])) + b"\xff" * 4
        else:
            out += varint(len(t["vin"]))
            for (src, vout) in t["vin"]:
                out += bytes.fromhex(self.txs[src]["txid"])[::-1] + vout.to_bytes(4, "little") + push(b"")
                out += (4294967293).to_bytes(4, "little")
        out += varint(len(t["vout"]))
        for (addr, value) in t["vout"]:
            out += value.to_bytes(8, "little") + push(bytes.fromhex(addr["scriptpubkey"]))
        return out + (0).to_bytes(4, "little")

    def header_bytes(self, h):
        prev = bytes.fromhex(self.block_hash(h - 1))[::-1] if h else b"\0" * 32
        return ((536870912).to_bytes(4, "little") + prev + bytes.fromhex(sha("merkle %d" % h))[::-1] +
                self.block_time(h).to_bytes(4, "little") + (0x1d00ffff).to_bytes(4, "little") + b"\0" * 4)

    def header_json(self, h):
        header = {"hash": self.block_hash(h), "confirmations": self.tip - h + 1, "height": h,
                  "version": 536870912, "versionHex": "20000000", "merkleroot": sha("merkle %d" % h),
                  "time": self.block_time(h), "mediantime": self.block_time(h), "nonce": 0,
                  "bits": "1d00ffff", "difficulty": 1, "chainwork": "%064x" % (h + 1), "nTx": len(self.block_txs(h))}
        if h:
            header["previousblockhash"] = self.block_hash(h - 1)
        if h < self.tip:
            header["nextblockhash"] = self.block_hash(h + 1)
        return header

    def tx_json(self, t, with_prevout):
        """A transaction as getblock verbosity 2 / 3 shows it (Core's TxToUniv)."""
        raw = self.tx_bytes(t)
        vin = []
        if not t["vin"]:
            vin.append({"coinbase": "03%06x" % t["height"], "sequence": 4294967295})
        for (src, vout) in t["vin"]:
            entry = {"txid": self.txs[src]["txid"], "vout": vout, "scriptSig": {"asm": "", "hex": ""}}
            if with_prevout:
                spk, value, height, generated = self.prevout(src, vout)
                entry["prevout"] = {"generated": generated, "height": height, "value": btc(value),
                                    "scriptPubKey": script_json(spk)}
            entry["sequence"] = 4294967293
            vin.append(entry)
        vout = [{"value": btc(value), "n": i, "scriptPubKey": script_json(addr["scriptpubkey"])}
                for i, (addr, value) in enumerate(t["vout"])]
        out = {"txid": t["txid"], "hash": t["txid"], "version": 2, "size": len(raw), "vsize": len(raw),
               "weight": 4 * len(raw), "locktime": 0, "vin": vin, "vout": vout}
        if t["vin"]:
            fee = sum(self.prevout(s, v)[1] for (s, v) in t["vin"]) - sum(value for (_, value) in t["vout"])
            out["fee"] = btc(fee)
        out["hex"] = raw.hex()
        return out

    def block_json(self, h, verbosity):
        txs = self.block_txs(h)
        raw = self.header_bytes(h) + varint(len(txs)) + b"".join(self.tx_bytes(t) for t in txs)
        if verbosity == 0:
            return raw.hex()
        block = self.header_json(h)
        block.update({"strippedsize": len(raw), "size": len(raw), "weight": 4 * len(raw)})
        if verbosity == 1:
            block["tx"] = [t["txid"] for t in txs]
        else:
            block["tx"] = [self.tx_json(t, verbosity >= 3) for t in txs]
        return block

    def block_scripts(self, h):
        """The scripts in block h's BIP-158 basic filter."""
        scripts = set()
        for t in self.block_txs(h):
            scripts.update(a["scriptpubkey"] for (a, _) in t["vout"] if in_basic_filter(a["scriptpubkey"]))
            scripts.update(self.prevout(s, v)[0] for (s, v) in t["vin"])
        return scripts


class ScanState:
    """The one scantxoutset scan a node runs at a time (Core's CoinsViewScanReserver)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.running = False
        self.abort_requested = False
        self.started = 0.0
        self.seconds = 0.0

    def reserve(self, seconds):
        with self.lock:
            if self.running:
                return False
            self.running, self.abort_requested = True, False
            self.started, self.seconds = time.monotonic(), seconds
            return True

    def run(self):
        """Waits out the scan; False if it was aborted. Releases the reservation."""
        try:
            while time.monotonic() - self.started < self.seconds:
                if self.abort_requested:
                    return False
                time.sleep(0.02)
            return True
        finally:
            self.release()

    def release(self):
        with self.lock:
            self.running = False

    def progress(self):
        with self.lock:
            if not self.running:
                return None
            if self.seconds <= 0:
                return 100
            return min(100, int((time.monotonic() - self.started) / self.seconds * 100))

    def abort(self):
        with self.lock:
            if not self.running:
                return False
            self.abort_requested = True
            return True


# Positional names of each method's parameters, for named-parameter calls (params as an object).
PARAM_NAMES = {
    "getblockhash": ["height"], "getblockheader": ["blockhash", "verbose"], "getblock": ["blockhash", "verbosity"],
    "scantxoutset": ["action", "scanobjects"],
    "scanblocks": ["action", "scanobjects", "start_height", "stop_height", "filtertype", "options"],
    "getdescriptoractivity": ["blockhashes", "scanobjects", "include_mempool"], "getindexinfo": ["index_name"],
}


def positional(method, params):
    if isinstance(params, dict):
        names = PARAM_NAMES.get(method, [])
        values = [params.get(n) for n in names]
        while values and values[-1] is None:
            values.pop()
        return values
    return params if isinstance(params, list) else []


def param(params, i, default=None):
    return params[i] if len(params) > i and params[i] is not None else default


class Node:
    """Bitcoin Core's RPC methods over a Chain."""

    def __init__(self, chain, opts):
        self.chain = chain
        self.opts = opts
        self.scan = ScanState()
        self.filter_scan = ScanState()  # Core runs one scanblocks at a time, beside one scantxoutset
        self.false_positives = {int(h) for h in opts.false_positive_blocks.split(",") if h} \
            if opts.false_positive_blocks else set()
        if opts.scan_in_progress:
            # Someone else's scan, started before us.
            self.scan.reserve(opts.scan_seconds)
            threading.Thread(target=self.scan.run, daemon=True).start()

    def call(self, method, params):
        handler = getattr(self, "rpc_" + str(method), None)
        if handler is None or (method == "getdescriptoractivity" and self.opts.no_descriptoractivity):
            raise RpcError(RPC_METHOD_NOT_FOUND, "Method not found")
        return handler(positional(method, params))

    def height_of_hash(self, value, name):
        """Core's ParseHashV, then the block index lookup."""
        text = value if isinstance(value, str) else json.dumps(value)
        if not re.fullmatch(r"[0-9a-fA-F]{64}", text):
            if len(text) != 64:
                raise RpcError(RPC_INVALID_PARAMETER, "%s must be of length 64 (not %d, for '%s')" % (name, len(text), text))
            raise RpcError(RPC_INVALID_PARAMETER, "%s must be hexadecimal string (not '%s')" % (name, text))
        h = self.chain.height_of.get(text.lower())
        if h is None:
            raise RpcError(RPC_INVALID_ADDRESS_OR_KEY, "Block not found")
        return h

    # getblockcount, getbestblockhash, getblockhash, getblockheader: help texts of the same names.
    def rpc_getblockcount(self, params):
        return self.chain.tip

    def rpc_getbestblockhash(self, params):
        return self.chain.block_hash(self.chain.tip)

    def rpc_getblockhash(self, params):
        h = param(params, 0)
        if not isinstance(h, int) or isinstance(h, bool) or h < 0 or h > self.chain.tip:
            raise RpcError(RPC_INVALID_PARAMETER, "Block height out of range")
        return self.chain.block_hash(h)

    def rpc_getblockheader(self, params):
        h = self.chain.height_of.get(param(params, 0))
        if h is None:
            raise RpcError(RPC_INVALID_ADDRESS_OR_KEY, "Block not found")
        if param(params, 1, True) is False:
            return self.chain.header_bytes(h).hex()
        return self.chain.header_json(h)

    def rpc_getblock(self, params):
        """help: getblock; verbosity may be a bool (true = 1) as Core accepts."""
        h = self.height_of_hash(param(params, 0), "blockhash")
        verbosity = param(params, 1, 1)
        if isinstance(verbosity, bool):
            verbosity = int(verbosity)
        if not isinstance(verbosity, int):
            raise RpcError(-3, "JSON value of type %s is not of expected type number" % type(verbosity).__name__)
        return self.chain.block_json(h, max(0, min(verbosity, 3)))

    def rpc_getindexinfo(self, params):
        """help: getindexinfo (only the block filter index exists here)."""
        if self.opts.no_blockfilterindex:
            return {}
        lag = self.opts.index_height is not None and self.opts.index_height < self.chain.tip
        best = self.opts.index_height if lag else self.chain.tip
        info = {"basic block filter index": {"synced": not lag, "best_block_height": best}}
        name = param(params, 0)
        return info if name is None or name in info else {}

    def rpc_scantxoutset(self, params):
        action = param(params, 0)
        if action == "status":
            progress = self.scan.progress()
            return None if progress is None else {"progress": progress}
        if action == "abort":
            return self.scan.abort()
        if action != "start":
            raise RpcError(RPC_INVALID_PARAMETER, "Invalid action '%s'" % (action if action is not None else ""))
        if not self.scan.reserve(self.opts.scan_seconds):
            raise RpcError(RPC_INVALID_PARAMETER, "Scan already in progress, use action \"abort\" or \"status\"")
        try:
            if len(params) < 2:
                raise RpcError(RPC_MISC_ERROR, "scanobjects argument is required for the start action")
            wanted = descriptor_scripts(params[1])
        except RpcError:
            self.scan.release()
            raise
        completed = self.scan.run()
        return self.scan_result(wanted if completed else set(), completed)

    def scan_result(self, wanted, completed):
        chain = self.chain
        utxos = chain.utxos()
        unspents, total = [], 0
        for (t, i) in utxos:
            addr, value = t["vout"][i]
            if addr["scriptpubkey"] in wanted:
                total += value
                unspents.append({"txid": t["txid"], "vout": i, "scriptPubKey": addr["scriptpubkey"],
                                 "desc": descsum("addr(%s)" % addr["address"]), "amount": btc(value),
                                 "coinbase": not t["vin"], "height": t["height"],
                                 "blockhash": chain.block_hash(t["height"]), "confirmations": chain.tip - t["height"] + 1})
        return {"success": completed, "txouts": len(utxos), "height": chain.tip,
                "bestblock": chain.block_hash(chain.tip), "unspents": unspents, "total_amount": btc(total)}

    def rpc_scanblocks(self, params):
        """help: scanblocks; checks in Core's order (filter type, index, heights, descriptors)."""
        action = param(params, 0)
        if action == "status":
            progress = self.filter_scan.progress()
            if progress is None:
                return None
            start, stop = self.filter_scan.heights
            return {"progress": progress, "current_height": start + (stop - start) * progress // 100}
        if action == "abort":
            return False
        if action != "start":
            raise RpcError(RPC_INVALID_PARAMETER, "Invalid action '%s'" % (action if action is not None else ""))
        filtertype = param(params, 4, "basic")
        if filtertype != "basic":
            raise RpcError(RPC_INVALID_ADDRESS_OR_KEY, "Unknown filtertype")
        options = param(params, 5, {})
        filter_false_positives = isinstance(options, dict) and options.get("filter_false_positives") is True
        if self.opts.no_blockfilterindex:
            raise RpcError(RPC_MISC_ERROR, "Index is not enabled for filtertype " + filtertype)
        start, stop = param(params, 2, 0), param(params, 3, self.chain.tip)
        if not isinstance(start, int) or not 0 <= start <= self.chain.tip:
            raise RpcError(RPC_MISC_ERROR, "Invalid start_height")
        if not isinstance(stop, int) or not 0 <= stop <= self.chain.tip or stop < start:
            raise RpcError(RPC_MISC_ERROR, "Invalid stop_height")
        wanted = descriptor_scripts(param(params, 1))
        if not self.filter_scan.reserve(self.opts.scan_seconds):
            raise RpcError(RPC_INVALID_PARAMETER, "Scan already in progress, use action \"abort\" or \"status\"")
        self.filter_scan.heights = (start, stop)
        self.filter_scan.run()
        relevant = []
        indexed_stop = stop if self.opts.index_height is None else min(stop, self.opts.index_height)
        for h in range(start, indexed_stop + 1):
            matches = bool(wanted & self.chain.block_scripts(h))
            if matches or (h in self.false_positives and not filter_false_positives):
                relevant.append(self.chain.block_hash(h))
        return {"from_height": start, "to_height": stop, "relevant_blocks": relevant, "completed": True}

    def rpc_getdescriptoractivity(self, params):
        """help: getdescriptoractivity (Core 29); event order as the code: blocks by height, then
        per transaction its spends (non-coinbase) before its receives."""
        hashes = param(params, 0, [])
        if not isinstance(hashes, list):
            raise RpcError(-3, "JSON value of type %s is not of expected type array" % type(hashes).__name__)
        heights = sorted({self.height_of_hash(b, "blockhash") for b in hashes})
        wanted = descriptor_scripts(param(params, 1))
        chain = self.chain
        activity = []
        for h in heights:
            where = {"blockhash": chain.block_hash(h), "height": h}
            for t in chain.block_txs(h):
                for i, (src, vout) in enumerate(t["vin"]):
                    spk, value, _, _ = chain.prevout(src, vout)
                    if spk in wanted:
                        activity.append(dict({"type": "spend", "amount": btc(value)}, **where, spend_txid=t["txid"],
                                             spend_vin=i, prevout_txid=chain.txs[src]["txid"], prevout_vout=vout,
                                             prevout_spk=script_json(spk)))
                for i, (addr, value) in enumerate(t["vout"]):
                    if addr["scriptpubkey"] in wanted:
                        activity.append(dict({"type": "receive", "amount": btc(value)}, **where, txid=t["txid"],
                                             vout=i, output_spk=script_json(addr["scriptpubkey"])))
        return {"activity": activity}


class Handler(server_common.BaseHandler):
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
        opts = self.server.opts
        path = self.path.split("?", 1)[0]
        self.server.request_log.write({"kind": "esplora", "path": path})
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
            h = chain.height_of.get(m.group(1))
            if h is not None:
                return self.reply(200, json.dumps({
                    "id": m.group(1), "height": h, "version": 536870912, "timestamp": chain.block_time(h),
                    "tx_count": 1, "size": 300, "weight": 1200, "merkle_root": sha("merkle %d" % h),
                    "previousblockhash": chain.block_hash(h - 1) if h else None,
                    "mediantime": chain.block_time(h), "nonce": 0, "bits": 486604799, "difficulty": 1}))
            return self.reply(404, "Block not found", "text/plain")
        m = re.fullmatch(r"/address/([A-Za-z0-9]+)/txs/chain(?:/([0-9a-f]{64}))?", path)
        if m:
            return self.reply_history(m.group(1), m.group(2))
        return self.reply(404, "Not found", "text/plain")

    def reply_history(self, address, last_seen):
        chain = self.server.chain
        opts = self.server.opts
        if opts.endless_history:
            return self.reply_endless_history(last_seen)
        addr = chain.by_address.get(address)
        spk = addr["scriptpubkey"] if addr else None
        history = [t for t in chain.visible(opts.hide_tx) if spk and chain.touches(t, spk)]
        history.sort(key=lambda t: (t["height"], t["n"]), reverse=not opts.history_oldest_first)
        start = 0
        if last_seen:
            ids = [t["txid"] for t in history]
            if last_seen not in ids:
                return self.reply(400, "Invalid last_seen_txid", "text/plain")
            start = ids.index(last_seen) + 1
            if opts.repeat_txids and start == opts.page_size:
                start -= 1  # the buggy source: page 2 starts again with page 1's last transaction
        page = [chain.esplora_tx(t) for t in history[start:start + opts.page_size]]
        if opts.no_prevout:
            for tx in page:
                for vin in tx["vin"]:
                    if not vin["is_coinbase"]:
                        del vin["prevout"]
        return self.reply(200, json.dumps(page))

    def reply_endless_history(self, last_seen):
        # Transaction n has txid n (64 hex digits) and height ENDLESS_TOP - n // 1000.
        first = int(last_seen, 16) + 1 if last_seen else 0
        page = ",".join('{"txid":"%064x","status":{"confirmed":true,"block_height":%d},"vin":[],"vout":[]}'
                        % (n, ENDLESS_TOP - n // 1000) for n in range(first, first + self.server.opts.page_size))
        return self.reply(200, "[" + page + "]")

    # ---- Bitcoin Core JSON-RPC ----
    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if self.headers.get("Authorization") not in self.server.accepted_auth:
            self.server.request_log.write({"kind": "rpc", "status": 401})
            return self.reply(401, "", "text/html")
        try:
            request = json.loads(body)
        except ValueError:
            self.server.request_log.write({"kind": "rpc", "error": "parse error"})
            return self.reply(500, json.dumps({"result": None, "error": {"code": RPC_PARSE_ERROR, "message": "Parse error"},
                                               "id": None}))
        if isinstance(request, list):
            return self.reply(200, "[" + ",".join(dumps(self.call(r)[1]) for r in request) + "]")
        status, answer = self.call(request)
        return self.reply(status, dumps(answer))

    def call(self, request):
        """(HTTP status, reply object) of one JSON-RPC call."""
        if not isinstance(request, dict):
            request = {}
        rid, method, params = request.get("id"), request.get("method"), request.get("params", [])
        self.server.request_log.write({"kind": "rpc", "method": method, "params": params})
        v2 = self.server.opts.jsonrpc_v2 and request.get("jsonrpc") == "2.0"
        try:
            result = self.server.node.call(method, params)
        except Exception as e:  # noqa: BLE001 - every call gets an answer
            if not isinstance(e, RpcError):
                # Parameters of a shape this server does not expect: answer rather than drop the
                # connection (Core would name the wrong type; tests should not depend on the text).
                e = RpcError(RPC_MISC_ERROR, "test server cannot use these params: %s" % e)
            error = {"code": e.code, "message": e.message}
            if v2:
                return 200, {"jsonrpc": "2.0", "error": error, "id": rid}
            return HTTP_STATUS_OF_CODE.get(e.code, 500), {"result": None, "error": error, "id": rid}
        if v2:
            return 200, {"jsonrpc": "2.0", "result": result, "id": rid}
        return 200, {"result": result, "error": None, "id": rid}


def accepted_credentials(opts):
    """The Authorization header values accepted, and the cookie file's path (or None)."""
    creds = []
    if opts.auth is not None or not opts.cookie_file:
        creds.append(opts.auth if opts.auth is not None else "user:pass")
    if opts.cookie_file:
        cookie = "__cookie__:" + secrets.token_hex(32)  # as Core's GenerateAuthCookie
        fd = os.open(opts.cookie_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(cookie)
        creds.append(cookie)
    return {"Basic " + base64.b64encode(c.encode()).decode() for c in creds}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chain", required=True)
    parser.add_argument("--tip", type=int)
    parser.add_argument("--auth")
    parser.add_argument("--cookie-file")
    parser.add_argument("--fork-from", type=int)
    parser.add_argument("--hide-tx", type=int)
    parser.add_argument("--fault", choices=["garbage", "truncated"])
    parser.add_argument("--scan-seconds", type=float, default=0.0)
    parser.add_argument("--scan-in-progress", action="store_true")
    parser.add_argument("--no-blockfilterindex", action="store_true")
    parser.add_argument("--false-positive-blocks")
    parser.add_argument("--no-descriptoractivity", action="store_true")
    parser.add_argument("--index-height", type=int)
    parser.add_argument("--no-prevout", action="store_true")
    parser.add_argument("--jsonrpc-v2", action="store_true")
    parser.add_argument("--page-size", type=int, default=DEFAULT_PAGE)
    parser.add_argument("--repeat-txids", action="store_true")
    parser.add_argument("--endless-history", action="store_true")
    parser.add_argument("--history-oldest-first", action="store_true")
    server_common.add_common_arguments(parser)
    opts = parser.parse_args(argv)
    if opts.scan_in_progress and opts.scan_seconds <= 0:
        parser.error("--scan-in-progress needs --scan-seconds S > 0")
    if opts.page_size < 1:
        parser.error("--page-size must be at least 1")
    return opts


def main():
    opts = parse_args()
    server = server_common.make_server(Handler, opts)
    server.opts = opts
    server.chain = Chain(opts.chain, opts.tip, opts.fork_from)
    server.node = Node(server.chain, opts)
    server.accepted_auth = accepted_credentials(opts)

    def cleanup():
        if opts.cookie_file and os.path.exists(opts.cookie_file):
            os.remove(opts.cookie_file)

    server_common.serve(server, cleanup)


if __name__ == "__main__":
    main()
