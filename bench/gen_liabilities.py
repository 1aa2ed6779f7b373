#!/usr/bin/env python3
"""Writes a synthetic liabilities CSV (docs/FORMAT.md §2) for benchmarks.

N accounts x K assets, deterministic for a given --seed, written row by row (constant memory, so
10M rows are fine). Ids are "user-<n>"; about 1 cell in 5 is empty (= 0); amounts are up to about
10^5 whole units with random fractional digits, so no total can overflow.

  gen_liabilities.py --accounts 1000000 --assets BTC:8,ETH:18,USDT:6,SOL:9 --out F.csv [--seed 1]
"""

import argparse
import random
import sys


def parse_assets(spec: str) -> list:
    assets = []
    for item in spec.split(","):
        symbol, _, decimals = item.partition(":")
        if not symbol or not decimals.isdigit():
            raise SystemExit(f"gen_liabilities.py: error: --assets: expected SYMBOL:DECIMALS, got {item!r}")
        assets.append((symbol, int(decimals)))
    return assets


def amount_text(rng: random.Random, decimals: int) -> str:
    if rng.random() < 0.2:
        return ""
    whole = rng.randrange(100_000)
    if decimals == 0:
        return str(whole)
    fraction = str(rng.randrange(10**decimals)).rjust(decimals, "0").rstrip("0")
    return f"{whole}.{fraction}" if fraction else str(whole)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, required=True)
    parser.add_argument("--assets", default="BTC:8,ETH:18,USDT:6,SOL:9")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True, help="output CSV path ('-' = stdout)")
    args = parser.parse_args()
    if args.accounts < 1:
        raise SystemExit("gen_liabilities.py: error: --accounts must be at least 1")
    assets = parse_assets(args.assets)
    rng = random.Random(args.seed)
    stream = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8", newline="")
    with stream:
        stream.write(",".join(["account_id"] + [s for s, _ in assets]) + "\n")
        lines = []
        for index in range(args.accounts):
            lines.append(",".join([f"user-{index}"] + [amount_text(rng, d) for _, d in assets]))
            if len(lines) == 10_000:
                stream.write("\n".join(lines) + "\n")
                lines.clear()
        if lines:
            stream.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
