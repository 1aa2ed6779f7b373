# Sourced by bench/clients_bench.sh and bench/https_bench.sh: the parts of a `segverify balances`
# benchmark both share. Expects ROOT and BUILD set (BUILD: the build directory, for bench/bench_env.sh). Makes WORK (a scratch directory) and an EXIT
# trap that stops every process in PIDS and removes WORK.

SEGVERIFY_BUILD_DIR="$BUILD"
source "$ROOT/bench/bench_env.sh"
WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Starts anvil on a free loopback port and waits until it answers; sets ANVIL_URL.
start_anvil() {
  local port
  port="$(free_port)"
  "$ROOT/node_modules/.bin/anvil" --host 127.0.0.1 --port "$port" --silent --timestamp 1700000000 \
    --chain-id "${ANVIL_CHAIN_ID:-31337}" >/dev/null 2>&1 &
  PIDS+=($!)
  ANVIL_URL="http://127.0.0.1:$port"
  for _ in $(seq 100); do
    curl -s -o /dev/null -X POST -H 'content-type: application/json' \
      --data '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "$ANVIL_URL" && return 0
    sleep 0.1
  done
  echo "anvil did not answer on $ANVIL_URL" >&2
  return 1
}

# Funds $2 addresses on the node at $1 (bench/clients_bench_setup.js); sets HEIGHT and TOKEN and
# writes the addresses, one per line, to $WORK/addresses.
fund_addresses() {
  node "$ROOT/bench/clients_bench_setup.js" "$1" "$2" > "$WORK/setup.json"
  HEIGHT="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["height"])' "$WORK/setup.json")"
  TOKEN="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$WORK/setup.json")"
  python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))["addresses"]))' "$WORK/setup.json" \
    > "$WORK/addresses"
}

# Fails unless the `balances --json` output $1 holds 2 x $2 balances with the amounts the setup
# funded: address i holds (i+1)*10^15 wei and i+1 token units (spot checks at 0, n/2, n-1).
check_balances() {
  python3 - "$1" "$2" <<'PY'
import json, sys
out, n = sys.argv[1], int(sys.argv[2])
doc = json.load(open(out))
assert len(doc["balances"]) == 2 * n, "expected %d balances" % (2 * n)
for i in (0, n // 2, n - 1):
    eth, tok = doc["balances"][2 * i], doc["balances"][2 * i + 1]
    assert int(round(float(eth["amount"]) * 1000)) == i + 1, eth
    assert tok["amount"] == format((i + 1) / 10**6, ".6f").rstrip("0").rstrip("."), tok
PY
}
