#!/usr/bin/env bash
# TwiML parse + validate throughput on one core (issue 3 aims at 100,000 documents/s per core),
# beside pugixml's load_buffer alone on the same ~5 kB document in the same process.
#   DIALTONE_BUILD_DIR=build/release bench/twiml_parse_bench.sh [--iterations N] [--rounds R]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${DIALTONE_BUILD_DIR:-$ROOT/build/release}
BENCH=$BUILD_DIR/libs/twiml/twiml_parse_bench
# Up to date with the sources (a no-op after scripts/dev bench's build).
cmake --build "$BUILD_DIR" --target twiml_parse_bench >/dev/null

echo "== TwiML parse: $(date -u +%Y-%m-%d), $(nproc) cores, \
$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$BENCH" "$@"
