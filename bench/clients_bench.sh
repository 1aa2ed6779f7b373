#!/usr/bin/env bash
# Benchmark: `segverify balances` for N Ethereum addresses x (ETH + one ERC-20) at a pinned block
# from a local anvil, end to end (process start to JSON out), with JSON-RPC batching (100 per
# batch) and without (one HTTP request per call). Not a test; see bench/README-clients.md.
# Usage: bench/clients_bench.sh [BUILD_DIR] [N]      (defaults: build, 10000)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${1:-$ROOT/build}"
N="${2:-10000}"
SEGVERIFY="$BUILD/verifier/cli/segverify"
WORK="$(mktemp -d)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$ROOT/node_modules/.bin/anvil" --host 127.0.0.1 --port "$PORT" --silent --timestamp 1700000000 >/dev/null 2>&1 &
ANVIL_PID=$!
trap 'kill "$ANVIL_PID" 2>/dev/null; wait "$ANVIL_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
URL="http://127.0.0.1:$PORT"
for _ in $(seq 100); do
  curl -s -o /dev/null -X POST -H 'content-type: application/json' \
    --data '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "$URL" && break
  sleep 0.1
done

node "$ROOT/bench/clients_bench_setup.js" "$URL" "$N" > "$WORK/setup.json"
HEIGHT="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["height"])' "$WORK/setup.json")"
TOKEN="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$WORK/setup.json")"
python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))["addresses"]))' "$WORK/setup.json" > "$WORK/addresses"

run() {  # $1 = batch size
  local start end
  start=$(date +%s.%N)
  "$SEGVERIFY" balances --addresses-file "$WORK/addresses" --chain ethereum --source "ethereum=$URL" --height "$HEIGHT" \
    --chain-id 31337 --asset ETH:18 --asset "TOK:6:$TOKEN" --eth-batch "$1" --json > "$WORK/out-$1.json" 2>/dev/null
  end=$(date +%s.%N)
  python3 - "$WORK/out-$1.json" "$N" "$start" "$end" "$1" <<'PY'
import json, sys
out, n, start, end, batch = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
doc = json.load(open(out))
assert len(doc["balances"]) == 2 * n, "expected %d balances" % (2 * n)
# Spot checks against what the setup wrote: address i holds (i+1)*10^15 wei and i+1 token units.
for i in (0, n // 2, n - 1):
    eth, tok = doc["balances"][2 * i], doc["balances"][2 * i + 1]
    assert int(round(float(eth["amount"]) * 1000)) == i + 1, eth
    assert tok["amount"] == format((i + 1) / 10**6, ".6f").rstrip("0").rstrip("."), tok
calls = 2 * n + 2 * 2 + 1 + 1  # balances, pin checks before/after each asset, chain id, block hash
secs = end - start
print("batch=%-4s addresses=%d calls=%d wall=%.2fs calls/s=%.0f" % (batch, n, calls, secs, calls / secs))
PY
}

run 100
run 1
