#!/usr/bin/env bash
# End-to-end benchmark of `segverify tree build` and `proof export` against the machine's own
# SHA-256 speed. See bench/README-tree.md for what each figure means.
#
#   bench/tree_build_bench.sh [SEGVERIFY_BINARY]        (default: build/verifier/segverify)
#   ACCOUNTS=100000 bench/tree_build_bench.sh ...        (default 1000000 accounts x 4 assets)
#   CHECK_REFERENCE=1 bench/tree_build_bench.sh ...      (also recompute the root in Python, slow)
set -euo pipefail
cd "$(dirname "$0")/.."
SEGVERIFY=${1:-build/verifier/segverify}
ACCOUNTS=${ACCOUNTS:-1000000}
ASSETS=${ASSETS:-BTC:8,ETH:18,USDT:6,SOL:9}
NONCE_KEY=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
[ -x "$SEGVERIFY" ] || { echo "tree_build_bench.sh: error: no segverify binary at $SEGVERIFY" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/segverify-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
now() { date +%s.%N; }
seconds_since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$1" "$(now)"; }
max_rss_mib() { awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$1"; }

echo "== generating $ACCOUNTS accounts x assets $ASSETS"
python3 bench/gen_liabilities.py --accounts "$ACCOUNTS" --assets "$ASSETS" --seed 1 --out "$WORK/liabilities.csv"
ls -l "$WORK/liabilities.csv" | awk '{printf "csv size: %.1f MiB\n", $5 / 1048576}'

echo "== segverify tree build (end to end: parse CSV, nonces, hash, write tree)"
start=$(now)
/usr/bin/time -v -o "$WORK/build.time" "$SEGVERIFY" tree build --liabilities "$WORK/liabilities.csv" \
  --assets "$ASSETS" --out "$WORK/tree" --nonce-key "$NONCE_KEY" >/dev/null 2>"$WORK/build.log" \
  || { cat "$WORK/build.log" >&2; exit 2; }
build_seconds=$(seconds_since "$start")
echo "build time: ${build_seconds} s, max RSS: $(max_rss_mib "$WORK/build.time") MiB, tree dir: $(du -sh "$WORK/tree" | cut -f1)"

echo "== SHA-256 compression rate (openssl speed -evp sha256 -bytes 64 -multi 2)"
# Each 64-byte message costs 2 compressions (the data block plus the padding block).
openssl_kbps=$(openssl speed -evp sha256 -bytes 64 -multi 2 -seconds 3 2>/dev/null | awk '/^sha256 / {sub("k", "", $2); print $2}')
[ -n "$openssl_kbps" ] || { echo "tree_build_bench.sh: error: could not read openssl speed output" >&2; exit 2; }

echo "== compressions the build needs (DESIGN.md Tree; ceil((L+9)/64) per SHA-256 of L bytes)"
python3 - "$WORK/liabilities.csv" "$build_seconds" "$openssl_kbps" <<'EOF'
import csv, sys

def blocks(length):                 # SHA-256 compressions for a message of `length` bytes
    return (length + 9 + 63) // 64

path, build_seconds, openssl_kbps = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
with open(path, encoding="utf-8", newline="") as stream:
    rows = csv.reader(stream)
    assets = len(next(rows)) - 1
    accounts = per_account = 0
    for row in rows:
        id_length = len(row[0].encode("utf-8"))
        hmac = 2 + blocks(id_length) + blocks(32)   # 2 key blocks + inner (after key) + outer
        commitment = blocks(32 + id_length)
        per_account += hmac + commitment
        accounts += 1
height = max(1, (accounts - 1).bit_length())
leaves = 1 << height
leaf = blocks(1 + 32 + 16 * assets)
node = blocks(1 + 2 * (32 + 16 * assets))
total = per_account + leaves * leaf + (leaves - 1) * node
rate_two = openssl_kbps * 1000 / 64 * 2       # compressions/s, both processes together
rate_one = rate_two / 2
print(f"accounts {accounts}, assets {assets}, height {height}: nonce+commitment {per_account}, "
      f"leaves {leaves} x {leaf}, nodes {leaves - 1} x {node}; total {total} compressions")
print(f"openssl: {openssl_kbps:.0f} kB/s over 2 processes = {rate_two / 1e6:.2f} M compressions/s "
      f"({rate_one / 1e6:.2f} M per core)")
print(f"ideal hashing time: {total / rate_two:.3f} s on 2 cores, {total / rate_one:.3f} s on 1 core")
print(f"ratio build_time / (compressions / rate): {build_seconds / (total / rate_two):.2f} (2-core rate), "
      f"{build_seconds / (total / rate_one):.2f} (1-core rate)")
EOF

echo "== proof export --all"
start=$(now)
/usr/bin/time -v -o "$WORK/export.time" "$SEGVERIFY" proof export --tree "$WORK/tree" --all --out "$WORK/proofs.jsonl" \
  >/dev/null 2>"$WORK/export.log" || { cat "$WORK/export.log" >&2; exit 2; }
export_seconds=$(seconds_since "$start")
proofs=$(wc -l <"$WORK/proofs.jsonl")
python3 -c "import sys; n, s = int(sys.argv[1]), float(sys.argv[2]); print(f'{n} proofs in {s:.3f} s = {n / s:.0f} proofs/s')" "$proofs" "$export_seconds"
echo "max RSS: $(max_rss_mib "$WORK/export.time") MiB, output $(du -sh "$WORK/proofs.jsonl" | cut -f1)"

echo "== one proof export --account (cold process: open the tree, find one account)"
start=$(now)
"$SEGVERIFY" proof export --tree "$WORK/tree" --account "user-$((ACCOUNTS / 2))" >"$WORK/one.json"
echo "one proof: $(seconds_since "$start") s"
"$SEGVERIFY" proof verify "$WORK/one.json" --root "$WORK/tree/root.json" >/dev/null && echo "one proof verifies"

if [ "${CHECK_REFERENCE:-0}" = 1 ]; then
  echo "== Python reference on the same input (input order, so compared with a --no-shuffle build)"
  "$SEGVERIFY" tree build --liabilities "$WORK/liabilities.csv" --assets "$ASSETS" --out "$WORK/tree-ordered" \
    --no-shuffle --nonce-key "$NONCE_KEY" >/dev/null 2>"$WORK/ordered.log" || { cat "$WORK/ordered.log" >&2; exit 2; }
  python3 tests/tools/reference_tree.py root --liabilities "$WORK/liabilities.csv" --assets "$ASSETS" \
    --nonce-key "$NONCE_KEY" >"$WORK/reference-root.json"
  python3 - "$WORK/tree-ordered/root.json" "$WORK/reference-root.json" <<'EOF'
import json, sys
cpp, ref = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:3])
print("reference root agrees" if cpp == ref else f"REFERENCE ROOT DIFFERS: C++ {cpp} vs reference {ref}")
sys.exit(0 if cpp == ref else 1)
EOF
fi
