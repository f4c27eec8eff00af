# shellcheck shell=bash
# The shared driver of the libFuzzer targets outside libs/twiml (services/*/fuzz/run_*_fuzzer.sh
# source it). Each target is a clang project of its own (libFuzzer needs clang; the main build
# uses g++), built in $DIALTONE_BUILD_DIR/fuzz-NAME, then fuzzed for DIALTONE_FUZZ_SECONDS
# (default 60) from a copy of its seeds. Exits non-zero on any crash, leak, undefined behaviour,
# slow input (>10 s) or memory blow-up; the input that did it is kept in
# $DIALTONE_BUILD_DIR/fuzz-NAME/artifacts/. Extra arguments replace the run: they go to the
# fuzzer as they are (replay an input: run_X_fuzzer.sh FILE; or -help=1).

# run_fuzzer NAME PROJECT_DIR TARGET DICT MAX_LEN SEED_DIR... [-- FUZZER_ARGS...]
run_fuzzer() {
  local name=$1 project=$2 target=$3 dict=$4 max_len=$5
  shift 5
  local seeds=()
  while (($# > 0)) && [[ $1 != -- ]]; do seeds+=("$1"); shift; done
  (($# == 0)) || shift
  local build=${DIALTONE_BUILD_DIR:-$DIALTONE_SOURCE_DIR/build/${DIALTONE_PRESET:-release}}
  local fuzz_dir=$build/fuzz-$name
  local seconds=${DIALTONE_FUZZ_SECONDS:-60}
  local cxx=${DIALTONE_FUZZ_CXX:-clang++}

  # libFuzzer reads -max_total_time=0 as "forever".
  [[ $seconds =~ ^[1-9][0-9]*$ ]] ||
    { echo "error: DIALTONE_FUZZ_SECONDS must be a positive integer" >&2; return 2; }
  command -v "$cxx" >/dev/null ||
    { echo "error: $cxx not found (scripts/dev setup installs clang)" >&2; return 1; }

  mkdir -p "$fuzz_dir"
  local config=(-S "$project" -B "$fuzz_dir" -DCMAKE_CXX_COMPILER="$cxx")
  command -v ninja >/dev/null && [[ ! -f $fuzz_dir/CMakeCache.txt ]] && config+=(-G Ninja)
  command -v ccache >/dev/null && config+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake "${config[@]}" >"$fuzz_dir/configure.log" 2>&1 ||
    { cat "$fuzz_dir/configure.log" >&2; return 1; }
  cmake --build "$fuzz_dir" --target "$target" -j "${DIALTONE_FUZZ_JOBS:-2}" || return 1

  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:symbolize=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
  if (($# > 0)); then
    "$fuzz_dir/$target" "$@"
    return
  fi

  local run status=0
  run=$(mktemp -d "$fuzz_dir/run.XXXXXX")
  mkdir -p "$run/corpus" "$fuzz_dir/artifacts"
  local dir
  for dir in "${seeds[@]}"; do find "$dir" -maxdepth 1 -type f -exec cp {} "$run/corpus/" \;; done
  echo "fuzzing $target for ${seconds}s from $(find "$run/corpus" -type f | wc -l) seeds"
  "$fuzz_dir/$target" \
    -max_total_time="$seconds" -rss_limit_mb=2048 -max_len="$max_len" -timeout=10 \
    -dict="$dict" -artifact_prefix="$fuzz_dir/artifacts/" -print_final_stats=1 \
    "$run/corpus" || status=$?
  if ((status != 0)); then
    echo "FAIL: the fuzzer stopped with status $status; inputs in $fuzz_dir/artifacts/:" >&2
    find "$fuzz_dir/artifacts" -type f -newer "$run" >&2
    echo "replay one with: $0 $fuzz_dir/artifacts/<file>" >&2
  fi
  rm -rf "$run"
  return "$status"
}
