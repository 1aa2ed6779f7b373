#!/usr/bin/env python3
"""Known-answer vectors for the shuffled leaf order (docs/FORMAT.md §3 "Placement order").

Computed by the independent Python reference (tests/tools/reftree/leaf_shuffle.py, written from
the text of docs/FORMAT.md and the SipHash paper; Python's hashlib/hmac for SHA-256 and HMAC) and
committed as fixtures/vectors/leaf-shuffle.json, which tests/merkle/leaf_permutation_test.cpp
holds the C++ to. The SipHash implementation is first checked against the paper's own vector.

  leaf_shuffle_vectors.py            print the vectors (JSON)
  leaf_shuffle_vectors.py --check F  exit 1 unless F holds exactly what this script computes
"""

import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from reftree.amounts import format_amount, parse_assets_spec  # noqa: E402
from reftree.liabilities import read_liabilities  # noqa: E402
from reftree.leaf_shuffle import LeafShuffle, shuffle_key, shuffled_order, siphash24  # noqa: E402
from reftree.sum_tree import SumTree, build_account_leaves  # noqa: E402

SOURCE_DIR = os.path.dirname(os.path.dirname(HERE))
WORKED_EXAMPLE = os.path.join(SOURCE_DIR, "fixtures", "worked-example", "liabilities-shuffled.csv")
# The worked example's nonce key (fixtures/worked-example/README.md): the bytes 0x00..0x1f.
NONCE_KEY = bytes(range(32))
# SipHash paper, Appendix A: key 00..0f, message 00..0e (15 bytes) -> a129ca6149be45e5.
PAPER_KEY, PAPER_MESSAGE, PAPER_OUTPUT = bytes(range(16)), bytes(range(15)), 0xA129CA6149BE45E5


def vectors() -> dict:
    if siphash24(PAPER_KEY, PAPER_MESSAGE) != PAPER_OUTPUT:
        raise SystemExit("leaf_shuffle_vectors: SipHash-2-4 disagrees with the paper's vector")
    key = shuffle_key(NONCE_KEY)
    full = []
    for n in (1, 2, 3, 4, 5, 7, 16, 17, 100):
        shuffle = LeafShuffle(n, key)
        full.append({"n": n, "leaf_of_row": [shuffle(i) for i in range(n)]})
    sampled = []
    for n in (1000000, 100000000, (1 << 40) + 3):
        shuffle = LeafShuffle(n, key)
        rows = [0, 1, 2, 3, n // 2, n - 1]
        sampled.append({"n": n, "rows": rows, "leaves": [shuffle(i) for i in rows]})

    trace_shuffle = LeafShuffle(5, key)
    trace = {"n": 5, "row": 1, "half_bits": trace_shuffle.half, "passes": []}
    x = 1
    while True:
        left, right = x >> trace_shuffle.half, x & trace_shuffle.mask
        rounds = []
        for r in range(4):
            message = bytes([r]) + right.to_bytes(8, "little")
            f = siphash24(key, message) & trace_shuffle.mask
            rounds.append({"r": r, "L": left, "R": right, "message": message.hex(),
                           "siphash": f"{siphash24(key, message):016x}", "F": f})
            left, right = right, left ^ f
        x = (left << trace_shuffle.half) | right
        trace["passes"].append({"rounds": rounds, "x": x})
        if x < 5:
            break
    trace["leaf"] = x

    assets, accounts = read_liabilities(WORKED_EXAMPLE, parse_assets_spec("BTC:8,ETH:18"))
    placed = shuffled_order(NONCE_KEY, accounts)
    leaves = build_account_leaves(NONCE_KEY, placed)
    tree = SumTree([a.leaf for a in leaves], len(assets))
    return {
        "source": "computed by tests/tools/leaf_shuffle_vectors.py (independent Python reference "
                  "tests/tools/reftree/leaf_shuffle.py, written from docs/FORMAT.md §3 and the SipHash "
                  "paper, checked against the paper's vector a129ca6149be45e5; hashlib/hmac for "
                  "SHA-256/HMAC), not by segverify",
        "siphash24_paper_vector": {"key": PAPER_KEY.hex(), "message": PAPER_MESSAGE.hex(),
                                   "output": f"{PAPER_OUTPUT:016x}"},
        "nonce_key": NONCE_KEY.hex(),
        "shuffle_key": key.hex(),
        "permutations": full,
        "sampled": sampled,
        "trace": trace,
        "worked_example": {
            "liabilities": "fixtures/worked-example/liabilities-shuffled.csv",
            "assets": "BTC:8,ETH:18",
            "leaf_of_account": {account_id: leaf for leaf, (account_id, _) in enumerate(placed)},
            "height": tree.height,
            "root_hash": tree.root.hash.hex(),
            "root_sums": [format_amount(s, decimals) for s, (_, decimals) in zip(tree.root.sums, assets)],
        },
    }


def dump(document: dict) -> str:
    """One line per top-level field (per entry for lists of objects): diffable, and short."""
    lines = []
    for i, (name, value) in enumerate(document.items()):
        comma = "," if i + 1 < len(document) else ""
        if isinstance(value, list):
            items = ",\n  ".join(json.dumps(v, ensure_ascii=False) for v in value)
            lines.append(f" {json.dumps(name)}: [\n  {items}\n ]{comma}")
        else:
            lines.append(f" {json.dumps(name)}: {json.dumps(value, ensure_ascii=False)}{comma}")
    return "{\n" + "\n".join(lines) + "\n}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", metavar="FILE", help="compare with a committed vector file")
    args = parser.parse_args()
    computed = vectors()
    if args.check:
        with open(args.check, encoding="utf-8") as f:
            committed = json.load(f)
        if committed != computed:
            print(f"leaf_shuffle_vectors: {args.check} differs from what the reference computes", file=sys.stderr)
            return 1
        print(f"leaf_shuffle_vectors: {args.check} reproduced")
        return 0
    print(dump(computed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
