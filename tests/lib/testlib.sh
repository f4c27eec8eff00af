# Helpers for the shell-driven integration and e2e tests. Source after setting -euo pipefail.
# CTest sets DIALTONE_SOURCE_DIR and DIALTONE_BUILD_DIR.

: "${DIALTONE_SOURCE_DIR:?run through ctest (scripts/dev test)}"
: "${DIALTONE_BUILD_DIR:?run through ctest (scripts/dev test)}"
# shellcheck source=../../scripts/lib/stores.sh
source "$DIALTONE_SOURCE_DIR/scripts/lib/stores.sh"

CTL=$DIALTONE_BUILD_DIR/services/dialtonectl/dialtonectl
# The tests' app servers listen on loopback: the services they start may fetch from it.
export DIALTONE_FETCH_ALLOW=${DIALTONE_FETCH_ALLOW-127.0.0.0/8,::1}
# rest-gateway seals auth tokens with it (each test's PostgreSQL is fresh: any key will do).
export DIALTONE_SECRETS_KEY=${DIALTONE_SECRETS_KEY:-$(dt_new_secrets_key)}
T_FAILS=0
T_PASSES=0

pass() { T_PASSES=$((T_PASSES + 1)); echo "ok - $*"; }
fail() { T_FAILS=$((T_FAILS + 1)); echo "FAIL - $*" >&2; }
check() {  # DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}
finish() {
  echo "$T_PASSES passed, $T_FAILS failed"
  ((T_FAILS == 0))
}

# N consecutive free ports; prints the first. Blocks come from below the kernel's ephemeral range
# (ip_local_port_range starts at 32768), where dt_free_port's picks and outgoing connections of
# tests running in parallel land, so the two never collide.
free_port_block() {
  local n=$1 base p ok
  local low high
  read -r low high </proc/sys/net/ipv4/ip_local_port_range
  for _ in $(seq 1 50); do
    base=$((10000 + RANDOM % (low - 10000 - n)))
    dt_dev_stack_port "$base" $((base + n - 1)) && continue
    ok=1
    for p in $(seq "$base" $((base + n - 1))); do
      if dt_port_open "$p"; then ok=0; break; fi
    done
    ((ok)) && { echo "$base"; return 0; }
  done
  return 1
}

# remove_tmp DIR STATUS: a test's scratch folder goes at its end. When the test failed (STATUS
# non-zero or a failed check) its logs are first copied to $DIALTONE_TEST_LOG_DIR/<test>/, which
# `scripts/dev test` names in its closing lines; DIALTONE_KEEP_TMP=1 keeps the whole folder.
remove_tmp() {
  local dir=$1 status=$2 dest
  [[ -d $dir ]] || return 0
  if ((status != 0 || T_FAILS > 0)) && [[ -n ${DIALTONE_TEST_LOG_DIR:-} ]]; then
    dest=$DIALTONE_TEST_LOG_DIR/$(basename "$0" .sh)
    mkdir -p "$dest"
    (cd "$dir" && find . \( -name data -o -name node_modules -o -name media-store \) -prune -o -type f \
      -size -20M \( -name '*.log' -o -name '*.out' -o -name '*.check' -o -name '*.cap' -o -name env \) \
      -print0 | xargs -0 -r cp --parents -t "$dest") 2>/dev/null || true
    echo "logs of this failed test: $dest" >&2
  fi
  if [[ -n ${DIALTONE_KEEP_TMP:-} ]]; then echo "kept $dir" >&2; else rm -rf "$dir"; fi
}

health_of() {  # ADDR -> SERVING | NOT_SERVING | UNREACHABLE
  "$CTL" health --addr "$1" --timeout-ms 500 2>/dev/null | awk '{print $NF}'
}

# wait_for SECONDS COMMAND...: polls every 0.2 s; returns 1 on timeout.
wait_for() {
  local limit=$1; shift
  local end=$((SECONDS + limit))
  until "$@"; do
    ((SECONDS < end)) || return 1
    sleep 0.2
  done
}

# True while PID runs (a child that exited but was not reaped yet counts as gone).
alive() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [[ $state != Z* ]]
}

# stack_env DIR: the environment for a private `scripts/dev up` under DIR on free ports, with
# the binaries CTest built (no apt, no build).
stack_env() {
  export DIALTONE_DEV_DIR=$1/dev
  export DIALTONE_SKIP_SETUP=1 DIALTONE_SKIP_BUILD=1
  unset DIALTONE_REDIS_URL DIALTONE_PG_URL
  DIALTONE_GRPC_PORT_BASE=$(free_port_block 5)
  DIALTONE_METRICS_PORT_BASE=$(free_port_block 5)
  export DIALTONE_GRPC_PORT_BASE DIALTONE_METRICS_PORT_BASE
  export DIALTONE_REST_PORT=$(dt_free_port) DIALTONE_MEDIA_PORT=$(dt_free_port)
  export DIALTONE_SIP_PORT=$(dt_free_port) DIALTONE_DEMO_APP_PORT=$(dt_free_port)
  export DIALTONE_LOCAL_REDIS_PORT=$(dt_free_port) DIALTONE_LOCAL_PG_PORT=$(dt_free_port)
  # DIALTONE_TEST_RTP_PORTS: the RTP range's size (two ports a leg); benches ask for more.
  local rtp_ports=${DIALTONE_TEST_RTP_PORTS:-40}
  DIALTONE_RTP_PORT_MIN=$(free_port_block "$rtp_ports")
  export DIALTONE_RTP_PORT_MIN DIALTONE_RTP_PORT_MAX=$((DIALTONE_RTP_PORT_MIN + rtp_ports - 1))
}

# env_value NAME: the value `scripts/dev up` wrote for NAME in $DIALTONE_DEV_DIR/env.
env_value() { sed -n "s|^export $1=||p" "$DIALTONE_DEV_DIR/env"; }

# sipp_callee SCENARIO NAME [TIMEOUT]: a SIPp callee taking one call on a free port of 127.0.0.1,
# logging to $tmp/callee-NAME.log; SCENARIO is builtin-uas (answers, waits for the BYE) or a file
# in tests/e2e/sipp. Sets callee_uri and callee_pid (also added to the pids array), and returns
# once SIPp has bound its port (an INVITE before that gets ICMP unreachable and fails at once).
sipp_callee() {
  local port args=(-sf "$DIALTONE_SOURCE_DIR/tests/e2e/sipp/$1")
  port=$(dt_free_port)
  [[ $1 == builtin-uas ]] && args=(-sn uas)
  sipp "${args[@]}" -i 127.0.0.1 -p "$port" -m 1 -timeout "${3:-60}s" -timeout_error -nostdin \
    >"$tmp/callee-$2.log" 2>&1 &
  callee_pid=$!
  pids+=("$callee_pid")
  callee_uri="sip:$2@127.0.0.1:$port"
  wait_for 5 dt_udp_bound "$port"
}
