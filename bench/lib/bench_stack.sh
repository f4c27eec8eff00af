# Sourced by bench/*.sh after tests/lib/testlib.sh: a private `scripts/dev up` stack in a scratch
# folder, and nginx on a free port, both stopped on exit.
#   bench_stack_up NAME      WORK=/tmp/dt-NAME.XXXXXX; sets sid, token, api (DIALTONE_LOG_LEVEL
#                            applies to the services). BENCH_PIDS: more processes to kill on exit.
#   bench_nginx CONNS SERVER starts nginx with that many worker connections and the given
#                            server { } body, listening on $nport; sets NGINX_PID.
BENCH_PIDS=()
NGINX_PID=''
# Benchmarks measure capacity: no account limit may cap them (README, "Limits per account").
export DIALTONE_LIMIT_CALLS_PER_SECOND=0 DIALTONE_LIMIT_CONCURRENT_CALLS=0
export DIALTONE_LIMIT_API_REQUESTS_PER_SECOND=0

bench_cleanup() {
  local p
  for p in "${BENCH_PIDS[@]}" $NGINX_PID; do kill "$p" 2>/dev/null || true; done
  "$ROOT/scripts/dev" down >/dev/null 2>&1 || true
  if [[ -n ${DIALTONE_KEEP_TMP:-} ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}

bench_stack_up() {
  WORK=$(mktemp -d "/tmp/dt-$1.XXXXXX")
  chmod 755 "$WORK"
  # Room for 1,000 calls and their Dial legs (the tests' stacks get 20 legs).
  DIALTONE_TEST_RTP_PORTS=${DIALTONE_TEST_RTP_PORTS:-4400} stack_env "$WORK"
  DIALTONE_DEMO_APP_PORT=$(dt_free_port)
  export DIALTONE_DEMO_APP_PORT
  trap bench_cleanup EXIT
  "$ROOT/scripts/dev" up >"$WORK/up.log" 2>&1 </dev/null || { cat "$WORK/up.log" >&2; exit 1; }
  sid=$(env_value DIALTONE_ACCOUNT_SID)
  token=$(env_value DIALTONE_AUTH_TOKEN)
  api=$(env_value DIALTONE_API_URL)
}

bench_nginx() {
  local conns=$1 server=$2 workers=${3:-1}
  nport=$(dt_free_port)
  cat >"$WORK/nginx.conf" <<CONF
worker_processes $workers;
pid $WORK/nginx.pid;
error_log $WORK/nginx.err;
$( [[ $(id -u) -eq 0 ]] && echo "user root;" )
events { worker_connections $conns; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nport;
    $server
  }
}
CONF
  nginx -c "$WORK/nginx.conf" -g 'daemon off;' &
  NGINX_PID=$!
  wait_for 5 dt_port_open "$nport" || dt_die "nginx did not start ($WORK/nginx.err)"
}
