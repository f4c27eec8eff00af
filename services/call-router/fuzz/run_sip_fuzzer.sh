#!/usr/bin/env bash
# Builds the SIP request path's libFuzzer target (CMakeLists.txt here, clang) in
# $DIALTONE_BUILD_DIR/fuzz-sip and fuzzes it for DIALTONE_FUZZ_SECONDS (default 60) from the
# RFC 4475 torture messages (tests/data/sip-torture) and the SIPp-like messages in seeds/.
# With arguments, runs the fuzzer with those instead, e.g. to replay an input:
# run_sip_fuzzer.sh FILE. See tests/lib/fuzzlib.sh.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DIALTONE_SOURCE_DIR=${DIALTONE_SOURCE_DIR:-$(cd "$here/../../.." && pwd)}
source "$DIALTONE_SOURCE_DIR/tests/lib/fuzzlib.sh"
run_fuzzer sip "$here" sip_request_fuzzer "$here/sip.dict" 8192 \
  "$DIALTONE_SOURCE_DIR/tests/data/sip-torture/rfc4475" "$here/seeds" -- "$@"
