#!/usr/bin/env bash
# Builds the TwiML parser's libFuzzer target (libs/twiml/fuzz, clang) in $DIALTONE_BUILD_DIR/fuzz and
# fuzzes it for DIALTONE_FUZZ_SECONDS (default 60) from a copy of the golden corpus. Exits
# non-zero on any crash, leak, undefined behaviour, slow input (>10 s) or memory blow-up; the
# input that did it is kept in $DIALTONE_BUILD_DIR/fuzz/artifacts/. With arguments, builds and
# runs the fuzzer with those instead, e.g. to replay an input: run_twiml_fuzzer.sh FILE
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=${DIALTONE_SOURCE_DIR:-$(cd "$here/../../.." && pwd)}
build=${DIALTONE_BUILD_DIR:-$src/build/${DIALTONE_PRESET:-release}}
fuzz_dir=$build/fuzz
seconds=${DIALTONE_FUZZ_SECONDS:-60}
cxx=${DIALTONE_FUZZ_CXX:-clang++}
corpus=$src/libs/twiml/tests/twiml_corpus

# libFuzzer reads -max_total_time=0 as "forever".
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "error: DIALTONE_FUZZ_SECONDS must be a positive integer" >&2; exit 2; }
command -v "$cxx" >/dev/null || { echo "error: $cxx not found (scripts/dev setup installs clang)" >&2; exit 1; }

mkdir -p "$fuzz_dir"
config=(-S "$here" -B "$fuzz_dir" -DCMAKE_CXX_COMPILER="$cxx")
command -v ninja >/dev/null && [[ ! -f $fuzz_dir/CMakeCache.txt ]] && config+=(-G Ninja)
command -v ccache >/dev/null && config+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake "${config[@]}" >"$fuzz_dir/configure.log" 2>&1 || { cat "$fuzz_dir/configure.log" >&2; exit 1; }
cmake --build "$fuzz_dir" --target twiml_parser_fuzzer -j "${DIALTONE_FUZZ_JOBS:-2}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
(($# == 0)) || exec "$fuzz_dir/twiml_parser_fuzzer" "$@"

run=$(mktemp -d "$fuzz_dir/run.XXXXXX")
trap 'rm -rf "$run"' EXIT
mkdir -p "$run/corpus" "$fuzz_dir/artifacts"
cp "$corpus"/valid/*.xml "$corpus"/invalid/*.xml "$run/corpus/"

echo "fuzzing ParseTwiml for ${seconds}s from $(find "$run/corpus" -type f | wc -l) seeds"
status=0
"$fuzz_dir/twiml_parser_fuzzer" \
  -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=70000 -timeout=10 \
  -dict="$here/twiml.dict" -artifact_prefix="$fuzz_dir/artifacts/" -print_final_stats=1 \
  "$run/corpus" || status=$?
if ((status != 0)); then
  echo "FAIL: the fuzzer stopped with status $status; inputs in $fuzz_dir/artifacts/:" >&2
  find "$fuzz_dir/artifacts" -type f -newer "$run" >&2
  echo "replay one with: $0 $fuzz_dir/artifacts/<file>" >&2
fi
exit "$status"
