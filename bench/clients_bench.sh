#!/usr/bin/env bash
# Benchmark: `segverify balances` for N Ethereum addresses x (ETH + one ERC-20) at a pinned block
# from a local anvil, end to end (process start to JSON out), with JSON-RPC batching (100 per
# batch) and without (one HTTP request per call). Not a test; see bench/README-clients.md.
# Usage: bench/clients_bench.sh [BUILD_DIR] [N]      (defaults: build, 10000)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${1:-$ROOT/build}"
N="${2:-10000}"
source "$ROOT/bench/balances_bench_lib.sh"

start_anvil
fund_addresses "$ANVIL_URL" "$N"

run() {  # $1 = batch size
  local start end
  start=$(date +%s.%N)
  "$SEGVERIFY" balances --addresses-file "$WORK/addresses" --chain ethereum --source "ethereum=$ANVIL_URL" \
    --height "$HEIGHT" --chain-id 31337 --asset ETH:18 --asset "TOK:6:$TOKEN" --eth-batch "$1" --json \
    > "$WORK/out-$1.json" 2>/dev/null
  end=$(date +%s.%N)
  check_balances "$WORK/out-$1.json" "$N"
  # balances, pin checks before/after each asset, chain id, block hash
  python3 -c "calls = 2 * $N + 2 * 2 + 1 + 1; secs = $end - $start
print('batch=%-4s addresses=%d calls=%d wall=%.2fs calls/s=%.0f' % ('$1', $N, calls, secs, calls / secs))"
}

run 100
run 1
