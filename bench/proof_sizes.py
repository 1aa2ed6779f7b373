#!/usr/bin/env python3
"""Sizes of the Ethereum state proofs an attestation received (not a test; bench/README-attest.md).

Usage: bench/proof_sizes.py OUT/evidence
Reads every evidence file (docs/FORMAT.md "Evidence directory"; plain JSONL, or zlib/gzip
compressed), takes each eth_getProof answer (single or inside a batch) and prints how many account
proofs and storage proofs there were, their node counts and bytes (the hex-decoded proof nodes, as
verified), and the bytes of the HTTP answers that carried them.
"""
import gzip
import json
import os
import sys
import zlib


def lines_of(path):
    data = open(path, "rb").read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    elif data[:1] == b"\x78":
        data = zlib.decompress(data)
    return data.decode().splitlines()


def proofs_in(entry):
    """(method, answer object) pairs of one evidence line."""
    try:
        response = json.loads(entry["response"])
    except (KeyError, ValueError):
        return []
    request = json.loads(entry.get("request", "null") or "null")
    if isinstance(response, list) and isinstance(request, list):
        by_id = {r.get("id"): r for r in response if isinstance(r, dict)}
        return [(c.get("method"), by_id.get(c.get("id"), {}).get("result")) for c in request]
    if isinstance(response, dict) and isinstance(request, dict):
        return [(request.get("method"), response.get("result"))]
    return []


def main(evidence_dir):
    accounts = storage = account_nodes = storage_nodes = account_bytes = storage_bytes = answer_bytes = 0
    for name in sorted(os.listdir(evidence_dir)):
        for line in lines_of(os.path.join(evidence_dir, name)):
            entry = json.loads(line)
            found = [r for m, r in proofs_in(entry) if m == "eth_getProof" and isinstance(r, dict)]
            if not found:
                continue
            answer_bytes += len(entry.get("response", ""))
            for r in found:
                accounts += 1
                account_nodes += len(r["accountProof"])
                account_bytes += sum((len(n) - 2) // 2 for n in r["accountProof"])
                for s in r.get("storageProof", []):
                    storage += 1
                    storage_nodes += len(s["proof"])
                    storage_bytes += sum((len(n) - 2) // 2 for n in s["proof"])
    if accounts == 0:
        print("no eth_getProof answers in", evidence_dir)
        return 1
    print("account proofs: %d, %.1f nodes and %.0f bytes each on average" %
          (accounts, account_nodes / accounts, account_bytes / accounts))
    if storage:
        print("storage proofs: %d, %.1f nodes and %.0f bytes each on average" %
              (storage, storage_nodes / storage, storage_bytes / storage))
    print("proof nodes in all: %.1f MB; HTTP answers carrying them: %.1f MB" %
          ((account_bytes + storage_bytes) / 1e6, answer_bytes / 1e6))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: bench/proof_sizes.py OUT/evidence")
    sys.exit(main(sys.argv[1]))
