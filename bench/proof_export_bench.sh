#!/usr/bin/env bash
# `proof export` speed: every proof of a tree as JSON lines to a file and as one file
# per account (--out-dir), against the disk's own floors; and one proof from a cold CLI process.
#
#   bench/proof_export_bench.sh [ACCOUNTS]     default 1000000 (a tree is built first, not timed)
#   TREE=dir          use this tree instead of building one (e.g. a 10M tree kept by tree_build_bench.sh)
#   SKIP_OUT_DIR=1    skip the --out-dir export (1M files: creating and removing them takes minutes here)
#   ONLY_ONE=1        only the one-proof timing (e.g. TREE=<a 10M tree> ONLY_ONE=1 bench/proof_export_bench.sh)
#   SEGVERIFY=path    the binary (bench/bench_env.sh; default build/verifier/segverify)
#   RUNS=n            cold one-proof runs (default 21)
# Targets: --all >= 100,000 proofs/s from a 1M tree to a file (JSONL and --out-dir); proof verify of
# the JSONL >= 250,000 proofs/s; one proof
# from the CLI < 10 ms on a 10M tree.
set -euo pipefail
cd "$(dirname "$0")/.."
ACCOUNTS=${1:-1000000}
source bench/bench_env.sh
WORK=$(mktemp -d "${TMPDIR:-/tmp}/segverify-export-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
load() { bench_load; }
now() { date +%s.%N; }
since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$1" "$(now)"; }

if [ -z "${TREE:-}" ]; then
  echo "== building a tree of $ACCOUNTS accounts x 4 assets (not timed)"
  python3 bench/gen_liabilities.py --accounts "$ACCOUNTS" --seed 1 --out "$WORK/l.csv"
  SEGVERIFY_NONCE_KEY=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f \
    "$SEGVERIFY" tree build --liabilities "$WORK/l.csv" --assets BTC:8,ETH:18,USDT:6,SOL:9 --out "$WORK/tree" --quiet >/dev/null
  rm -f "$WORK/l.csv"
  TREE="$WORK/tree"
fi
n=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['accounts'])" "$TREE/tree.json")
echo "tree: $TREE, $n accounts"

if [ "${ONLY_ONE:-0}" != 1 ]; then
echo "== proof export --all --out F (JSON lines, durable before the rename)   [$(load)]"
start=$(now)
"$SEGVERIFY" proof export --tree "$TREE" --all --out "$WORK/all.jsonl" --quiet
seconds=$(since "$start")
bytes=$(stat -c %s "$WORK/all.jsonl")
python3 -c "import sys; n, s, b = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]); print(f'JSONL: {n} proofs in {s:.2f} s = {n / s:,.0f} proofs/s, {b / 1e6:,.0f} MB ({b / s / 1e6:,.0f} MB/s)')" "$n" "$seconds" "$bytes"
echo "== proof verify all.jsonl --root root.json (every line, all cores)   [$(load)]"
start=$(now)
"$SEGVERIFY" proof verify "$WORK/all.jsonl" --root "$TREE/root.json" >"$WORK/verify.out"
seconds=$(since "$start")
head -1 "$WORK/verify.out"
python3 -c "import sys; n, s = int(sys.argv[1]), float(sys.argv[2]); print(f'verify: {n} proofs in {s:.2f} s = {n / s:,.0f} proofs/s (target >= 250,000/s on both cores, bar 100,000/s)')" "$n" "$seconds"
echo "   load after: $(load)"
rm -f "$WORK/all.jsonl"
echo "   disk floor: dd of as many bytes, conv=fsync   [$(load)]"
floor=$(dd if=/dev/zero of="$WORK/floor" bs=16M count=$(((bytes + 16777215) / 16777216)) conv=fsync 2>&1 | tail -1)
rm -f "$WORK/floor"
echo "   $floor"
python3 -c "import sys; n, line = int(sys.argv[1]), sys.argv[2]; s = float(line.split(', ')[-2].split()[0]); print(f'   the disk alone: {n / s:,.0f} proofs/s')" "$n" "$floor"

echo "== proof export --all to a pipe (formatting only: > /dev/null)   [$(load)]"
start=$(now)
"$SEGVERIFY" proof export --tree "$TREE" --all --quiet >/dev/null
seconds=$(since "$start")
python3 -c "import sys; n, s = int(sys.argv[1]), float(sys.argv[2]); print(f'stdout: {n} proofs in {s:.2f} s = {n / s:,.0f} proofs/s')" "$n" "$seconds"

if [ "${SKIP_OUT_DIR:-0}" != 1 ]; then
  echo "== proof export --all --out-dir D (one file per account, durable before the rename)   [$(load)]"
  start=$(now)
  "$SEGVERIFY" proof export --tree "$TREE" --all --out-dir "$WORK/proofs" --quiet
  seconds=$(since "$start")
  python3 -c "import sys; n, s = int(sys.argv[1]), float(sys.argv[2]); print(f'out-dir: {n} proofs in {s:.2f} s = {n / s:,.0f} proofs/s')" "$n" "$seconds"
  average=$((bytes / n))
  rm -rf "$WORK/proofs"
  echo "   file system floor: $n files of $average bytes, 2 threads, then syncfs   [$(load)]"
  g++ -O2 -pthread bench/file_create_floor.cpp -o "$WORK/floor-bin"
  "$WORK/floor-bin" "$WORK/floor-dir" "$n" "$average" 2 | sed 's/^/   /'
  rm -rf "$WORK/floor-dir"
fi

fi

echo "== one proof export --account (cold process: open the tree, find one account, print)   [$(load)]"
account=$(python3 -c "
import sys
with open(sys.argv[1] + '/accounts.idx', 'rb') as idx, open(sys.argv[1] + '/accounts.dat', 'rb') as dat:
    idx.seek(8 * (int(sys.argv[2]) // 2)); a, b = (int.from_bytes(idx.read(8), 'little') for _ in range(2))
    dat.seek(a + 32); print(dat.read(b - a - 32).decode())" "$TREE" "$n")
python3 - "$SEGVERIFY" "$TREE" "$account" "${RUNS:-21}" <<'EOF'
import statistics, subprocess, sys, time
segverify, tree, account, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
times = []
for _ in range(runs):
    start = time.perf_counter()
    subprocess.run([segverify, "proof", "export", "--tree", tree, "--account", account], check=True,
                   stdout=subprocess.DEVNULL)
    times.append((time.perf_counter() - start) * 1000)
print(f"one proof ({account}): median {statistics.median(times):.1f} ms, min {min(times):.1f} ms over {runs} runs")
EOF
echo "== load at the end: $(load)"
