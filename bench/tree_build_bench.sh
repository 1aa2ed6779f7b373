#!/usr/bin/env bash
# `segverify tree build` against the machine's own SHA-256 speed: the ratio of bench/README-tree.md.
#
#   bench/tree_build_bench.sh [ACCOUNTS]                   default 1000000 accounts x 4 assets
#   SEGVERIFY=path  ASSETS=BTC:8,...  THREADS=n            binary (bench/bench_env.sh; default build/verifier/segverify), assets, --threads
#   WORK=dir        where the CSV and the tree go (default: a new directory under $TMPDIR, removed at the end);
#                   a CSV already at $WORK/liabilities-<ACCOUNTS>.csv is reused
#   KEEP_TREE=dir   move the built tree there instead of deleting it (for bench/proof_export_bench.sh)
#   SPEED_SECONDS=n     how long openssl speed measures (default 3; the ctest uses 1)
#   CHECK_REFERENCE=1   also build with --no-shuffle and compare the root with the Python reference (slow)
#
# The figure (bench/README-tree.md "The ratio"), in one run:
#   rate   = `openssl speed -seconds 3 -multi 2 -bytes 16384 -evp sha256`, the 16384-byte column
#            (k bytes/s) x 1000 / 64 = 64-byte blocks per second on both cores
#   blocks(L) = floor((L + 8) / 64) + 1                        (compressions for a message of L bytes)
#   total  = 2^h blocks(1 + 32 + 16k) + (2^h - 1) blocks(1 + 2(32 + 16k)) + sum over accounts (blocks(32 + L_id) + 2)
#   ratio  = build wall time / (total / rate)                  target <= 4, goal <= 2
set -euo pipefail
cd "$(dirname "$0")/.."
ACCOUNTS=${1:-1000000}
ASSETS=${ASSETS:-BTC:8,ETH:18,USDT:6,SOL:9}
source bench/bench_env.sh
export LC_ALL=C
if [ -n "${WORK:-}" ]; then
  mkdir -p "$WORK"
  OWN_WORK=0
else
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/segverify-bench.XXXXXX")
  OWN_WORK=1
fi
TREE="$WORK/tree-$ACCOUNTS"
cleanup() {
  rm -rf "$TREE" "$WORK/tree-ordered"
  [ "$OWN_WORK" = 1 ] && rm -rf "$WORK"
  return 0
}
trap cleanup EXIT
echo "== load before: $(uptime | sed 's/.*load average/load average/')"

CSV="$WORK/liabilities-$ACCOUNTS.csv"
if [ ! -s "$CSV" ]; then
  echo "== generating $ACCOUNTS accounts x $ASSETS (bench/gen_liabilities.py --seed 1; not timed)"
  python3 bench/gen_liabilities.py --accounts "$ACCOUNTS" --assets "$ASSETS" --seed 1 --out "$CSV.part"
  mv "$CSV.part" "$CSV"
fi
csv_bytes=$(stat -c %s "$CSV")
echo "csv: $csv_bytes bytes"
df -h "$WORK" | tail -1 | awk '{print "disk free before the build: " $4}'

echo "== segverify tree build"
key_file="$WORK/nonce.key"
echo 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f >"$key_file"
rm -rf "$TREE"
# The least free space during the build (sampled every second): the peak disk use, spill files included.
free_before=$(df -B1 --output=avail "$WORK" | tail -1)
( least=$free_before; while sleep 1; do now=$(df -B1 --output=avail "$WORK" | tail -1); [ "$now" -lt "$least" ] && least=$now; echo "$least" >"$WORK/least-free"; done ) &
sampler=$!
/usr/bin/time -f '%e %U %S %M' -o "$WORK/build.time" "$SEGVERIFY" tree build --liabilities "$CSV" --assets "$ASSETS" \
  --out "$TREE" --nonce-key-file "$key_file" --quiet ${THREADS:+--threads "$THREADS"} >"$WORK/build.out" \
  || { kill "$sampler"; cat "$WORK/build.out" >&2; exit 2; }
kill "$sampler"
wait "$sampler" 2>/dev/null || true
peak_bytes=$((free_before - $(cat "$WORK/least-free" 2>/dev/null || echo "$free_before")))
read -r wall user sys rss_kb <"$WORK/build.time"
load_after=$(uptime | sed 's/.*load average/load average/')
tree_bytes=$(du -sb "$TREE" | cut -f1)
echo "build: wall $wall s, user $user s, sys $sys s, max RSS $((rss_kb / 1024)) MiB, tree $((tree_bytes / 1048576)) MiB on disk" \
  "(peak disk use during the build: $((peak_bytes / 1048576)) MiB, spill files included, sampled each second)"
echo "load after the build: $load_after"

echo "== SHA-256 rate: openssl speed -seconds ${SPEED_SECONDS:-3} -multi 2 -bytes 16384 -evp sha256"
kbps=$(openssl speed -seconds "${SPEED_SECONDS:-3}" -multi 2 -bytes 16384 -evp sha256 2>/dev/null | awk '/^sha256 / {sub("k", "", $2); print $2}')
[ -n "$kbps" ] || { echo "tree_build_bench.sh: error: could not read openssl speed output" >&2; exit 2; }

# Sum over accounts of blocks(32 + L_id) + 2 (the generator never quotes ids, so the id is the
# text before the first comma; LC_ALL=C makes length() count bytes).
per_account=$(awk -F, 'NR > 1 { s += int((32 + length($1) + 8) / 64) + 1 + 2 } END { printf "%d", s }' "$CSV")
python3 - "$ACCOUNTS" "$ASSETS" "$per_account" "$kbps" "$wall" <<'EOF'
import sys
n, assets, per_account, kbps, wall = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
k = len(assets.split(","))
def blocks(length):
    return (length + 8) // 64 + 1
h = max(1, (n - 1).bit_length())
leaves = 2 ** h
total = leaves * blocks(1 + 32 + 16 * k) + (leaves - 1) * blocks(1 + 2 * (32 + 16 * k)) + per_account
rate = kbps * 1000 / 64
ideal = total / rate
print(f"accounts {n}, assets {k}, height {h}: total {total} blocks "
      f"(leaves {leaves} x {blocks(1 + 32 + 16 * k)}, nodes {leaves - 1} x {blocks(1 + 2 * (32 + 16 * k))}, "
      f"accounts {per_account})")
print(f"rate: {kbps:.2f} k bytes/s x 1000 / 64 = {rate / 1e6:.2f} M blocks/s (both cores); ideal {ideal:.3f} s")
print(f"RATIO = {wall:.2f} s / {ideal:.3f} s = {wall / ideal:.2f}   (target <= 4, goal <= 2)")
EOF
echo "== load at the end: $(uptime | sed 's/.*load average/load average/')"

if [ "${CHECK_REFERENCE:-0}" = 1 ]; then
  echo "== Python reference on the same input (input order, so compared with a --no-shuffle build)"
  "$SEGVERIFY" tree build --liabilities "$CSV" --assets "$ASSETS" --out "$WORK/tree-ordered" --no-shuffle \
    --nonce-key-file "$key_file" --quiet >/dev/null
  python3 tests/tools/reference_tree.py root --liabilities "$CSV" --assets "$ASSETS" --nonce-key "$(cat "$key_file")" \
    --pool default >"$WORK/reference-root.json"
  python3 - "$WORK/tree-ordered/root.json" "$WORK/reference-root.json" <<'EOF'
import json, sys
cpp, ref = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:3])
print("reference root agrees" if cpp == ref else f"REFERENCE ROOT DIFFERS: C++ {cpp} vs reference {ref}")
sys.exit(0 if cpp == ref else 1)
EOF
fi

if [ -n "${KEEP_TREE:-}" ]; then
  rm -rf "$KEEP_TREE"
  mv "$TREE" "$KEEP_TREE"
  echo "tree kept in $KEEP_TREE"
fi
