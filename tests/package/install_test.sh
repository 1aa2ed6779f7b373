#!/usr/bin/env bash
# Installing without the developer setup (README "Install the verifier only", cmake/Packaging.cmake):
# `cmake --install` into a fresh prefix gives a segverify that runs and its docs; the Debian
# package CPack builds from the same install holds /usr/bin/segverify, the docs and the page's
# scripts, declares its library dependencies, and its binary runs once unpacked.
# Usage: install_test.sh <build dir>
set -euo pipefail
build="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" >/dev/null
"$work/prefix/bin/segverify" --version | grep -q '^segverify '
test -f "$work/prefix/share/doc/segverify/README.md"
test -f "$work/prefix/share/doc/segverify/SECURITY.md"
test -f "$work/prefix/share/segverify/web/proof_check.js"

cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/pkg" >/dev/null
deb=$(ls "$work"/pkg/segverify_*_*.deb)
case "$(basename "$deb")" in segverify_*_amd64.deb | segverify_*_arm64.deb) ;; *) echo "unexpected name $deb"; exit 1 ;; esac
contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/segverify ./usr/share/doc/segverify/README.md ./usr/share/segverify/web/app.js; do
  grep -q " $f\$" <<<"$contents" || { echo "missing $f in $deb"; exit 1; }
done
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libsecp256k1 libcurl libmicrohttpd libsqlite3 zlib1g; do
  grep -q "$lib" <<<"$depends" || { echo "Depends lacks $lib: $depends"; exit 1; }
done
dpkg-deb -x "$deb" "$work/root"
"$work/root/usr/bin/segverify" --version | grep -q '^segverify '
echo "install: cmake --install and $(basename "$deb") (Depends: $depends)"
