#!/usr/bin/env bash
# Benchmark: `segverify balances` for N Ethereum addresses x (ETH + one ERC-20) at a pinned block,
# over plain http to anvil and over https through tests/servers/tls_proxy.py in front of the same
# anvil (certificates made here by tests/servers/make_test_certs.sh, trusted with --ca-file).
# End to end (process start to JSON out), JSON-RPC batches of 100. Each mode runs RUNS times; the
# median is reported with the machine's load average. Not a test; see bench/README-https.md.
# Usage: bench/https_bench.sh [BUILD_DIR] [N] [RUNS]      (defaults: build, 10000, 5)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${1:-$ROOT/build}"
N="${2:-10000}"
RUNS="${3:-5}"
SEGVERIFY="$BUILD/verifier/cli/segverify"
[ -x "$SEGVERIFY" ] || SEGVERIFY="$BUILD/verifier/segverify"
WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

PORT="$(free_port)"
"$ROOT/node_modules/.bin/anvil" --host 127.0.0.1 --port "$PORT" --silent --timestamp 1700000000 >/dev/null 2>&1 &
PIDS+=($!)
HTTP_URL="http://127.0.0.1:$PORT"
for _ in $(seq 100); do
  curl -s -o /dev/null -X POST -H 'content-type: application/json' \
    --data '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "$HTTP_URL" && break
  sleep 0.1
done

sh "$ROOT/tests/servers/make_test_certs.sh" "$WORK/certs"
python3 "$ROOT/tests/servers/tls_proxy.py" --upstream "$HTTP_URL" --cert "$WORK/certs/server.pem" \
  --key "$WORK/certs/server.key" > "$WORK/proxy-port" &
PIDS+=($!)
for _ in $(seq 100); do [ -s "$WORK/proxy-port" ] && break; sleep 0.1; done
HTTPS_URL="https://127.0.0.1:$(head -1 "$WORK/proxy-port")"

node "$ROOT/bench/clients_bench_setup.js" "$HTTP_URL" "$N" > "$WORK/setup.json"
HEIGHT="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["height"])' "$WORK/setup.json")"
TOKEN="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$WORK/setup.json")"
python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))["addresses"]))' "$WORK/setup.json" > "$WORK/addresses"

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
  python3 - "$WORK/out-$1.json" "$N" "$1" "${times[@]}" <<'PY'
import json, statistics, sys
out, n, mode, times = sys.argv[1], int(sys.argv[2]), sys.argv[3], [float(t) for t in sys.argv[4:]]
doc = json.load(open(out))
assert len(doc["balances"]) == 2 * n, "expected %d balances" % (2 * n)
# Spot checks against what the setup wrote: address i holds (i+1)*10^15 wei and i+1 token units.
for i in (0, n // 2, n - 1):
    eth, tok = doc["balances"][2 * i], doc["balances"][2 * i + 1]
    assert int(round(float(eth["amount"]) * 1000)) == i + 1, eth
    assert tok["amount"] == format((i + 1) / 10**6, ".6f").rstrip("0").rstrip("."), tok
print("%-5s addresses=%d runs=%d median=%.2fs min=%.2fs max=%.2fs" %
      (mode, n, len(times), statistics.median(times), min(times), max(times)))
PY
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
measure http "$HTTP_URL"
measure https "$HTTPS_URL"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
