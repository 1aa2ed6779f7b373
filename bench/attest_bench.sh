#!/usr/bin/env bash
# Attestation benchmark: a synthetic attestation with ACCOUNTS
# accounts x 3 assets in 2 pools and ADDRESSES addresses, end to end on a local anvil + the Bitcoin
# test server (set up by bench/attest_bench_setup.mjs, not timed), then `segverify attest` timed as
# a whole and split per step (from the time each progress line appears on stderr), with the rate
# of ownership proofs verified.
#
#   bench/attest_bench.sh [ACCOUNTS] [ADDRESSES]      defaults: 1000000 10000
#   BENCH_NO_ESPLORA=1 bench/attest_bench.sh 10000000 100000    the large figure (target <= 60 s)
#   SHOW_LINES=1              print attest's progress lines with their times
#   KEEP_REPORT=file          keep report.json
#   SEGVERIFY=path, SEGVERIFY_BUILD_DIR=dir   the binary (bench/bench_env.sh; default build/verifier/segverify)
#   BENCH_NO_ESPLORA=1        Bitcoin Core as the only Bitcoin source (the Esplora client makes one
#                             request per address; see the figures in bench/README-attest.md)
# Target: the whole attest <= 60 s on the 2-core machine. Exit code: that of attest.
set -euo pipefail
cd "$(dirname "$0")/.."
ACCOUNTS=${1:-1000000}
ADDRESSES=${2:-10000}
source bench/bench_env.sh
BUILD_DIR=$SEGVERIFY_BUILD_DIR
WORK=$(mktemp -d -t segverify-attest-bench.XXXXXX)
FIFO="$WORK/setup-stdin"
mkfifo "$FIFO"
node bench/attest_bench_setup.mjs --out "$WORK/input" --accounts "$ACCOUNTS" --addresses "$ADDRESSES" \
  --contracts-cache "$BUILD_DIR/sample-exchange-contracts.json" ${BENCH_NO_ESPLORA:+--no-esplora} <"$FIFO" >"$WORK/setup.out" 2>"$WORK/setup.log" &
SETUP=$!
exec 3>"$FIFO"
cleanup() {
  if [ -n "${KEEP_REPORT:-}" ] && [ -f "$WORK/out/report.json" ]; then cp "$WORK/out/report.json" "$KEEP_REPORT"; fi
  exec 3>&- || true
  wait "$SETUP" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "attest_bench: setting up $ACCOUNTS accounts x 3 assets, 2 pools, $ADDRESSES addresses (not timed)..."
for _ in $(seq 1 3000); do
  grep -q '^READY ' "$WORK/setup.out" 2>/dev/null && break
  kill -0 "$SETUP" 2>/dev/null || { cat "$WORK/setup.log" >&2; exit 2; }
  sleep 0.1
done
CONFIG=$(sed -n 's/^READY //p' "$WORK/setup.out")
[ -n "$CONFIG" ] || { echo "attest_bench: setup did not finish in time" >&2; exit 2; }
sed 's/^/  /' "$WORK/setup.log"

# Each stderr line of attest, prefixed with the seconds since attest started.
echo "load before attest: $(uptime | sed 's/.*load average/load average/')"
status=0
START=$(date +%s.%N)
{ "$SEGVERIFY" attest "$CONFIG" --out "$WORK/out" 2>&1 >"$WORK/attest.out" || echo "EXIT $?"; } |
  python3 -u -c '
import sys, time
start = float(sys.argv[1])
for line in sys.stdin:
    print("%.3f %s" % (time.time() - start, line.rstrip("\n")), flush=True)
' "$START" >"$WORK/attest.timed"
END=$(date +%s.%N)
if grep -q ' EXIT ' "$WORK/attest.timed"; then status=$(sed -n 's/.* EXIT //p' "$WORK/attest.timed"); fi
head -1 "$WORK/attest.out"
if [ -n "${SHOW_LINES:-}" ] || [ "$status" != 0 ]; then grep -v '%\|[0-9]/[0-9]' "$WORK/attest.timed" | head -40; fi

# Steps start at these progress lines (verifier/attest/attestation.cpp); a step ends where the next begins.
python3 - "$WORK/attest.timed" "$START" "$END" <<'EOF'
import re, sys
lines = [l.split(" ", 1) for l in open(sys.argv[1]).read().splitlines() if " " in l]
total = float(sys.argv[3]) - float(sys.argv[2])
steps = [("trees (liabilities CSV -> sum trees)", r"building the tree of pool"),
         ("bitcoin balances", r"reading \d+ bitcoin addresses"),
         ("ethereum balances", r"reading \d+ ethereum addresses"),
         ("ownership proofs", r"verifying \d+ ownership proofs"),
         ("segregation checks, report", r"checked \d+ ownership proofs")]
starts = []
for name, pattern in steps:
    t = next((float(t) for t, text in lines if re.search(pattern, text)), None)
    if t is not None:
        starts.append((t, name))
starts.sort()
print("step split (s):")
for i, (t, name) in enumerate(starts):
    end = starts[i + 1][0] if i + 1 < len(starts) else total
    print("  %-40s %7.2f" % (name, end - t))
if starts:
    print("  %-40s %7.2f" % ("before the first step", starts[0][0]))
proofs = next((int(m.group(1)) for t, text in lines for m in [re.search(r"verifying (\d+) ownership proofs", text)] if m), 0)
for i, (t, name) in enumerate(starts):
    if name == "ownership proofs" and i + 1 < len(starts) and proofs:
        print("ownership proofs verified: %d in %.2f s = %.0f/s" % (proofs, starts[i + 1][0] - t, proofs / max(starts[i + 1][0] - t, 1e-9)))
print("total attest wall time: %.2f s" % total)
EOF
echo "load after attest: $(uptime | sed 's/.*load average/load average/')"
exit "$status"
