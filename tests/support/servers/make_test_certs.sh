#!/bin/sh
# Makes throw-away TLS material for loopback https tests, with the openssl CLI (OpenSSL 3):
#   OUTDIR/ca.pem, ca.key              test CA (self-signed, CA:TRUE): the ca_file tests trust
#   OUTDIR/server.pem, server.key      leaf for IP 127.0.0.1 and DNS localhost, signed by ca.pem
#   OUTDIR/expired.pem, expired.key    same names, signed by ca.pem, valid only in January 2020
#   OUTDIR/wronghost.pem, wronghost.key  signed by ca.pem, but only for DNS example.invalid
#   OUTDIR/untrusted.pem, untrusted.key  for 127.0.0.1 and localhost, signed by a second CA
#                                      (OUTDIR/other-ca.pem) that the tests do not trust
# Keys are P-256 (fast to make); every leaf has serverAuth and its names in subjectAltName (what
# TLS clients check; the CN is not used for host names). Prints nothing on success.
# Usage: make_test_certs.sh OUTDIR
set -eu
[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
out=$1
mkdir -p "$out"
work=$(mktemp -d "$out/.certs.XXXXXX")
trap 'rm -rf "$work"' EXIT

key() {  # key FILE
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null
}

ca() {  # ca NAME "CN"
  key "$out/$1.key"
  openssl req -x509 -new -key "$out/$1.key" -out "$out/$1.pem" -days 3650 -subj "/CN=$2" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

# leaf NAME CA SAN [STARTDATE ENDDATE]: a serverAuth leaf for SAN, signed by CA.
leaf() {
  key "$out/$1.key"
  openssl req -new -key "$out/$1.key" -subj "/CN=segverify test $1" -out "$work/$1.csr" 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n' \
    "$3" > "$work/$1.ext"
  if [ $# -eq 3 ]; then
    openssl x509 -req -in "$work/$1.csr" -CA "$out/$2.pem" -CAkey "$out/$2.key" -CAcreateserial \
      -CAserial "$work/$2.srl" -days 3650 -extfile "$work/$1.ext" -out "$out/$1.pem" 2>/dev/null
  else
    # `openssl x509` cannot set dates in the past; `openssl ca` can, with a throw-away database.
    : > "$work/index.txt"
    printf '[ca]\ndefault_ca=d\n[d]\ndatabase=%s\nnew_certs_dir=%s\nserial=%s\ndefault_md=sha256\npolicy=p\nunique_subject=no\n[p]\ncommonName=supplied\n' \
      "$work/index.txt" "$work" "$work/serial" > "$work/ca.cnf"
    echo 01 > "$work/serial"
    openssl ca -batch -config "$work/ca.cnf" -cert "$out/$2.pem" -keyfile "$out/$2.key" -in "$work/$1.csr" \
      -startdate "$4" -enddate "$5" -extfile "$work/$1.ext" -notext -out "$out/$1.pem" 2>/dev/null
  fi
}

names="IP:127.0.0.1,DNS:localhost"
ca ca "segverify test CA"
ca other-ca "segverify untrusted test CA"
leaf server ca "$names"
leaf expired ca "$names" 20200101000000Z 20200201000000Z
leaf wronghost ca "DNS:example.invalid"
leaf untrusted other-ca "$names"
rm -f "$out/other-ca.key" "$out/ca.srl" "$out/other-ca.srl"
