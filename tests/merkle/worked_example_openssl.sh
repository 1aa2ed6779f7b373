#!/usr/bin/env bash
# A third, independent computation of the worked example's root (fixtures/worked-example/), with
# nothing but the openssl CLI (HMAC-SHA256, SHA-256) and xxd, straight from docs/FORMAT.md §3:
#   nonce = HMAC-SHA256(K, id); C = SHA256(nonce || id); leaf = SHA256(00 || C || a_1 || a_2);
#   padding leaf: C = 32 zero bytes, amounts 0; node = SHA256(01 || H_l || sums_l || H_r || sums_r).
# Amounts are hand-converted to smallest units (BTC 8 decimals, ETH 18) from liabilities.csv.
# Fails unless the hash equals the one in fixtures/worked-example/root.json (made by the Python
# reference) and, when a segverify binary is given, the one `segverify tree build` writes.
#
#   worked_example_openssl.sh SOURCE_DIR [SEGVERIFY]
set -euo pipefail
SOURCE_DIR=$1
SEGVERIFY=${2:-}
K=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f

sha256_hex() { xxd -r -p | openssl dgst -sha256 -r | cut -c1-64; }
be16() { printf '%032x' "$1"; }
leaf() {  # account_id btc_smallest_units eth_smallest_units
  local nonce commitment
  nonce=$(printf '%s' "$1" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$K" -r | cut -c1-64)
  commitment=$( (printf '%s' "$nonce"; printf '%s' "$1" | xxd -p | tr -d '\n') | sha256_hex)
  printf '00%s%s%s' "$commitment" "$(be16 "$2")" "$(be16 "$3")" | sha256_hex
}
node() {  # left_hash left_btc left_eth right_hash right_btc right_eth
  printf '01%s%s%s%s%s%s' "$1" "$(be16 "$2")" "$(be16 "$3")" "$4" "$(be16 "$5")" "$(be16 "$6")" | sha256_hex
}

alice=$(leaf alice 150000000 10000000000000000000)
bob=$(leaf bob 25000000 0)
carol=$(leaf carol 1 2000000000000000001)
padding=$(printf '00%064d%064d' 0 0 | sha256_hex)
left=$(node "$alice" 150000000 10000000000000000000 "$bob" 25000000 0)
right=$(node "$carol" 1 2000000000000000001 "$padding" 0 0)
root=$(node "$left" 175000000 10000000000000000000 "$right" 1 2000000000000000001)
echo "openssl root: $root"

status=0
fixture_hash=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["hash"])' \
  "$SOURCE_DIR/fixtures/worked-example/root.json")
if [ "$fixture_hash" != "$root" ]; then
  echo "FAIL: fixtures/worked-example/root.json has $fixture_hash" >&2
  status=1
fi
if [ -n "$SEGVERIFY" ]; then
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
  "$SEGVERIFY" tree build --liabilities "$SOURCE_DIR/fixtures/worked-example/liabilities.csv" \
    --assets BTC:8,ETH:18 --out "$out/tree" --no-shuffle --nonce-key "$K" >/dev/null
  cpp_hash=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["hash"])' "$out/tree/root.json")
  if [ "$cpp_hash" != "$root" ]; then
    echo "FAIL: segverify tree build gives $cpp_hash" >&2
    status=1
  fi
fi
exit $status
