#!/usr/bin/env bash
# Builds the Range header's libFuzzer target (CMakeLists.txt here, clang) in
# $DIALTONE_BUILD_DIR/fuzz-range and fuzzes it for DIALTONE_FUZZ_SECONDS (default 60) from seeds/
# (the input layout is described in byte_range_fuzzer.cc). With arguments, runs the fuzzer with
# those instead, e.g. to replay an input: run_range_fuzzer.sh FILE. See tests/lib/fuzzlib.sh.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DIALTONE_SOURCE_DIR=${DIALTONE_SOURCE_DIR:-$(cd "$here/../../.." && pwd)}
source "$DIALTONE_SOURCE_DIR/tests/lib/fuzzlib.sh"
run_fuzzer range "$here" byte_range_fuzzer "$here/range.dict" 256 "$here/seeds" -- "$@"
