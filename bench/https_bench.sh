#!/usr/bin/env bash
# Benchmark: `segverify balances` for N Ethereum addresses x (ETH + one ERC-20) at a pinned block,
# over plain http to anvil and over https through tests/support/servers/tls_proxy.py in front of the same
# anvil (certificates made here by tests/support/servers/make_test_certs.sh, trusted with --ca-file).
# End to end (process start to JSON out), JSON-RPC batches of 100. Each mode runs RUNS times; the
# median is reported with the machine's load average. Not a test; see bench/README-https.md.
# Usage: bench/https_bench.sh [BUILD_DIR] [N] [RUNS]      (defaults: build, 10000, 5)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${1:-$ROOT/build}"
N="${2:-10000}"
RUNS="${3:-5}"
source "$ROOT/bench/balances_bench_lib.sh"

start_anvil
HTTP_URL="$ANVIL_URL"

sh "$ROOT/tests/support/servers/make_test_certs.sh" "$WORK/certs"
python3 "$ROOT/tests/support/servers/tls_proxy.py" --upstream "$HTTP_URL" --cert "$WORK/certs/server.pem" \
  --key "$WORK/certs/server.key" > "$WORK/proxy-port" &
PIDS+=($!)
for _ in $(seq 100); do [ -s "$WORK/proxy-port" ] && break; sleep 0.1; done
HTTPS_URL="https://127.0.0.1:$(head -1 "$WORK/proxy-port")"

fund_addresses "$HTTP_URL" "$N"

once() {  # $1 = URL, $2 = output file; prints the wall time in seconds
  local start end
  start=$(date +%s.%N)
  "$SEGVERIFY" balances --addresses-file "$WORK/addresses" --chain ethereum --source "ethereum=$1" --height "$HEIGHT" \
    --chain-id 31337 --asset ETH:18 --asset "TOK:6:$TOKEN" --ca-file "$WORK/certs/ca.pem" --json > "$2" 2>/dev/null
  end=$(date +%s.%N)
  python3 -c "print('%.3f' % ($end - $start))"
}

measure() {  # $1 = mode name, $2 = URL
  local times=()
  for _ in $(seq "$RUNS"); do times+=("$(once "$2" "$WORK/out-$1.json")"); done
  check_balances "$WORK/out-$1.json" "$N"
  python3 - "$N" "$1" "${times[@]}" <<'PY'
import statistics, sys
n, mode, times = int(sys.argv[1]), sys.argv[2], [float(t) for t in sys.argv[3:]]
print("%-5s addresses=%d runs=%d median=%.2fs min=%.2fs max=%.2fs" %
      (mode, n, len(times), statistics.median(times), min(times), max(times)))
PY
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
measure http "$HTTP_URL"
measure https "$HTTPS_URL"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
