#!/usr/bin/env bash
# Builds rest-gateway's request parsing libFuzzer target (CMakeLists.txt here, clang) in
# $DIALTONE_BUILD_DIR/fuzz-rest and fuzzes it for DIALTONE_FUZZ_SECONDS (default 60) from seeds/
# (each "TARGET\nAUTHORIZATION\nBODY"). With arguments, runs the fuzzer with those instead, e.g.
# to replay an input: run_rest_fuzzer.sh FILE. See tests/lib/fuzzlib.sh.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DIALTONE_SOURCE_DIR=${DIALTONE_SOURCE_DIR:-$(cd "$here/../../.." && pwd)}
source "$DIALTONE_SOURCE_DIR/tests/lib/fuzzlib.sh"
run_fuzzer rest "$here" rest_request_fuzzer "$here/rest.dict" 4096 "$here/seeds" -- "$@"
