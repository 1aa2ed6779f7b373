# Sourced by every bench/*.sh script: the one definition of which segverify binary a bench runs.
#
#   SEGVERIFY=path            this binary
#   SEGVERIFY_BUILD_DIR=dir   else DIR/verifier/segverify (default dir: build, the documented build
#                             directory: verifier/cli/CMakeLists.txt puts the binary there)
#
# Sets BENCH_ROOT (the repository), SEGVERIFY_BUILD_DIR and SEGVERIFY (absolute), and stops with
# exit 2 when there is no binary, naming the path it looked at.
BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SEGVERIFY_BUILD_DIR="${SEGVERIFY_BUILD_DIR:-$BENCH_ROOT/build}"
SEGVERIFY="${SEGVERIFY:-$SEGVERIFY_BUILD_DIR/verifier/segverify}"
if [ ! -x "$SEGVERIFY" ]; then
  echo "$(basename "$0"): error: no segverify binary at $SEGVERIFY (build first, or set SEGVERIFY or SEGVERIFY_BUILD_DIR)" >&2
  exit 2
fi
case "$SEGVERIFY" in /*) ;; *) SEGVERIFY="$PWD/$SEGVERIFY" ;; esac
# The machine's load, printed with every figure (the bench READMEs give each ratio with its load).
bench_load() { uptime | sed 's/.*load average/load average/'; }
