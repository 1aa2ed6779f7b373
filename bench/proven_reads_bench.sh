#!/usr/bin/env bash
# Benchmark: proven Ethereum reads (EIP-1186) in `segverify attest`, and what they cost. Not a test;
# see bench/README-attest.md "Proven reads".
#   bench/proven_reads_bench.sh [STATE_ACCOUNTS] [READ]     defaults: 100000 2000
# A local anvil (chain id 1, so reads are proven) holds STATE_ACCOUNTS funded accounts and a token
# (bench/clients_bench_setup.js); an Ethereum-only attestation reads READ of them x (ETH + the token,
# its balance slot given), every balance from an account or storage proof checked against the
# pinned header (10 proofs per batch: anvil takes ~0.3 s per proof at 100,000 accounts, and a
# batch of 100 passes the 30 s stall limit). No ownership proofs: the verdict is FAIL, every
# balance is still read and proven.
# Then the run is replayed from its evidence: the same proofs verified again with no node at all,
# which is segverify's own share. Prints both times, the proof sizes (bench/proof_sizes.py) and
# anvil's share per proof. KEEP=dir keeps the config and the run's outputs (evidence included).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${BUILD:-$ROOT/build}"
STATE="${1:-100000}"
READ="${2:-2000}"
ANVIL_CHAIN_ID=1
source "$ROOT/bench/balances_bench_lib.sh"

start_anvil
echo "proven_reads_bench: funding $STATE accounts on anvil (not timed)..."
fund_addresses "$ANVIL_URL" "$STATE"
python3 - "$WORK" "$ANVIL_URL" "$HEIGHT" "$TOKEN" "$READ" <<'PY'
import json, sys
work, url, height, token, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
addresses = open(work + "/addresses").read().split()[:n]
open(work + "/pool.csv", "w").write("account_id,ETH,TOK\nclient-1,0,0\n")
json.dump({"format": "segverify-attestation/1", "id": "proven-bench", "message": "proven reads bench",
           "assets": [{"symbol": "ETH", "decimals": 18, "chain": "ethereum"},
                      {"symbol": "TOK", "decimals": 6, "chain": "ethereum", "contract": token, "balance_slot": 1}],
           "chains": {"ethereum": {"block": height, "sources": [{"type": "ethereum", "url": url, "batch": 10}]}},
           "pools": [{"name": "pool", "liabilities": "pool.csv",
                      "addresses": [{"chain": "ethereum", "address": a} for a in addresses]}],
           "firm": {"addresses": []}}, open(work + "/config.json", "w"))
PY
echo "load before attest: $(uptime | sed 's/.*load average/load average/')"
timed() {  # $1 = label, rest = command; prints the wall time
  local start end status=0
  start=$(date +%s.%N)
  "${@:2}" >"$WORK/$1.out" 2>"$WORK/$1.err" || status=$?
  end=$(date +%s.%N)
  python3 -c "print('%-7s %.2f s (exit %s)' % ('$1', $end - $start, '$status'))"
  python3 -c "print($end - $start)" > "$WORK/$1.secs"
}
timed attest "$SEGVERIFY" attest "$WORK/config.json" --out "$WORK/out" --quiet
timed replay "$SEGVERIFY" attest "$WORK/config.json" --out "$WORK/replay" --replay "$WORK/out/evidence" --quiet
python3 - "$WORK" "$READ" <<'PY'
import json, sys
work, n = sys.argv[1], int(sys.argv[2])
report = json.load(open(work + "/out/report.json"))
chain = report["chains"]["ethereum"]
assert chain.get("reads") == "proven", chain
assert not report.get("problems"), report.get("problems")[:3]
read = [a for a in report["pools"][0]["addresses"] if a["balances"].get("ETH") not in (None, "")]
assert len(read) == n, "%d of %d addresses read" % (len(read), n)
attest, replay = (float(open(work + "/%s.secs" % k).read()) for k in ("attest", "replay"))
print("addresses read and proven: %d (x ETH + TOK); verdict %s (no ownership proofs)" % (n, report["verdict"]))
print("segverify alone (replay): %.1f us per address; anvil and transport: %.1f ms per address" %
      (replay / n * 1e6, (attest - replay) / n * 1e3))
PY
python3 "$ROOT/bench/proof_sizes.py" "$WORK/out/evidence"
if [ -n "${KEEP:-}" ]; then  # the config, liabilities and the run's outputs, for profiling the replay
  mkdir -p "$KEEP" && cp -r "$WORK/config.json" "$WORK/pool.csv" "$WORK/out" "$KEEP/"
fi
