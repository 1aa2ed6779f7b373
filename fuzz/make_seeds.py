#!/usr/bin/env python3
"""Builds the seed corpora of the fuzz targets from fixtures/ (and a few hand-written node answers).

Usage: make_seeds.py REPO_DIR OUT_DIR  ->  OUT_DIR/<target>/seed-<n>
Seeds are only starting points for the fuzzer; nothing checks them against expected values.
"""
import glob
import json
import os
import sys

repo, out = sys.argv[1], sys.argv[2]


def write(target, blobs):
    folder = os.path.join(out, target)
    os.makedirs(folder, exist_ok=True)
    for n, blob in enumerate(blobs):
        if isinstance(blob, str):
            blob = blob.encode()
        with open(os.path.join(folder, "seed-%d" % n), "wb") as f:
            f.write(blob)


def files(*patterns):
    found = []
    for p in patterns:
        for path in sorted(glob.glob(os.path.join(repo, p), recursive=True)):
            with open(path, "rb") as f:
                found.append(f.read())
    return found


def vectors(name):
    with open(os.path.join(repo, "fixtures/vectors", name)) as f:
        return json.load(f)


def strings(value):
    """Every string inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)


def claims(value):
    """Every object carrying address + signature(s) + message."""
    if isinstance(value, list):
        for v in value:
            yield from claims(v)
    elif isinstance(value, dict):
        sigs = value.get("signature") or value.get("bip322_signatures") or value.get("signatures")
        if "address" in value and "message" in value and sigs:
            for sig in ([sigs] if isinstance(sigs, str) else sigs):
                if isinstance(sig, str):
                    yield value["address"], sig, value.get("witness_script", ""), value["message"]
        for v in value.values():
            yield from claims(v)


write("proof_json", files("fixtures/**/proof*.json"))
write("root_json", files("fixtures/**/root*.json"))
write("liabilities_csv", files("fixtures/**/*.csv"))
write("attest_config", files("fixtures/**/config*.json"))

addresses = set()
for name in ("bip173.json", "bip350.json", "eip55.json", "bip137-vectors.json", "bip322-basic-test-vectors.json"):
    addresses.update(s for s in strings(vectors(name)) if len(s) < 100)
write("address", sorted(addresses))

ownership = []
for name, chain in (("bip137-vectors.json", 0), ("bip322-basic-test-vectors.json", 0),
                    ("bip322-generated-test-vectors.json", 0), ("eip191-ethers-vectors.json", 1)):
    for address, sig, script, message in claims(vectors(name)):
        ownership.append(bytes([chain]) + "\0".join([address, sig, script or "", message]).encode())
write("ownership", ownership)

scripts = [bytes.fromhex(s) for s in strings(vectors("scripts_multisig.json"))
           if len(s) % 2 == 0 and all(c in "0123456789abcdef" for c in s) and len(s) > 40]
write("script", scripts)

H = "0x" + "a" * 64
B = "b" * 64
SPK = "0014751e76e8199196d454941c45d1b3a323f1433bd6"
block = '{"jsonrpc":"2.0","id":0,"result":{"hash":"%s","number":"0x10"}}' % H
node = [
    b"\x00" + b'{"jsonrpc":"2.0","id":0,"result":"0x1"}',
    b"\x01" + block.encode(),
    b"\x02" + "\0".join([block, '[{"id":0,"result":"0x10"},{"id":1,"result":"0x0"}]',
                         '{"id":0,"result":"0x5"}', block]).encode(),
    b"\x03" + "\0".join([block, '[{"id":0,"result":"0x%064x"},{"id":1,"result":"0x%064x"}]' % (7, 9),
                         '{"id":0,"result":"0x%064x"}' % 3, block]).encode(),
    b"\x04" + "\0".join([block, '{"id":0,"result":"0x1626ba7e%056x"}' % 0, block]).encode(),
    b"\x05" + B.encode(),
    b"\x06" + "\0".join([B, json.dumps([{"txid": "c" * 64, "status": {"confirmed": True, "block_height": 150},
                                          "vin": [], "vout": [{"scriptpubkey": SPK, "value": 5000}]}]), B]).encode(),
    b"\x07" + "\0".join(['{"result":"%s","error":null,"id":0}' % B,
                         '{"result":{"hash":"%s","height":200},"error":null,"id":0}' % B]).encode(),
    b"\x08" + ('{"result":{"success":true,"height":200,"bestblock":"%s","unspents":[{"scriptPubKey":"%s",'
               '"amount":0.5,"height":100}],"total_amount":0.5},"error":null,"id":0}' % (B, SPK)).encode(),
    b"\x09" + b'{"a":[1,2.5,-3e4,"x",null,true]}',
]
write("node_responses", node)
