# Sourced by the SIP end-to-end tests, after testlib.sh, with $tmp set: starts PostgreSQL,
# rest-gateway (accounts and auth tokens), Redis, usage-metering, call-router (SIP on
# 127.0.0.1:$sip_port) and tests/lib/app_server.py on loopback, creates an account, and stops it
# all on exit; media-layer (Say/Play/recordings) too. Sets: pg_port pg_url router_grpc
# gateway_grpc media_grpc media_http_port rest_port sip_port app sid token,
# router_pid, and the pids array (add your own background processes to it). Helpers for more:
# start_call_router, start_media_layer, sip_caller, requests_to, got_request (below).
# Extra call-router environment: ROUTER_ENV=(NAME=value ...) before sourcing.
ROUTER_ENV=(${ROUTER_ENV[@]+"${ROUTER_ENV[@]}"})
pids=()
cleanup() {
  local rc=$? p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  dt_pg_stop "$tmp/pg"
  dt_redis_stop "$tmp/redis"
  remove_tmp "$tmp" "$rc"
}
trap cleanup EXIT

pg_port=$(dt_free_port)
dt_pg_start "$tmp/pg" "$pg_port"
pg_url="postgresql://dialtone@127.0.0.1:$pg_port/dialtone"
grpc_base=$(free_port_block 8)
rtp_base=$(free_port_block 40)
router_grpc=127.0.0.1:$grpc_base
gateway_grpc=127.0.0.1:$((grpc_base + 1))
media_grpc=127.0.0.1:$((grpc_base + 6))
metering_grpc=127.0.0.1:$((grpc_base + 4))
rest_port=$(dt_free_port)
sip_port=$(dt_free_port)
# One Redis for the stack: usage counters, the media index, call leases and accounts' rates.
redis_port=$(dt_free_port)
dt_redis_start "$tmp/redis" "$redis_port"

env DIALTONE_REDIS_URL="redis://127.0.0.1:$redis_port/0" \
  DIALTONE_GRPC_ADDR="$gateway_grpc" DIALTONE_METRICS_ADDR=127.0.0.1:$((grpc_base + 2)) \
  DIALTONE_PG_URL="$pg_url" DIALTONE_MIGRATIONS_DIR="$DIALTONE_SOURCE_DIR/deploy/sql" \
  DIALTONE_HTTP_ADDR=127.0.0.1:$rest_port DIALTONE_CALL_ROUTER_ADDR="$router_grpc" \
  DIALTONE_MEDIA_LAYER_ADDR="$media_grpc" DIALTONE_USAGE_METERING_ADDR="$metering_grpc" \
  DIALTONE_TRIGGERS_ADDR=127.0.0.1:$(dt_free_port) DIALTONE_USAGE_SPOOL="$tmp/gw.spool" \
  "$DIALTONE_BUILD_DIR/services/rest-gateway/rest-gateway" >"$tmp/gateway.log" 2>&1 &
pids+=($!)
# usage-metering counts the calls' usage.
env DIALTONE_GRPC_ADDR="$metering_grpc" DIALTONE_METRICS_ADDR=127.0.0.1:$((grpc_base + 5)) \
  DIALTONE_PG_URL="$pg_url" DIALTONE_REDIS_URL="redis://127.0.0.1:$redis_port/0" \
  DIALTONE_MIGRATIONS_DIR="$DIALTONE_SOURCE_DIR/deploy/sql" DIALTONE_PUSH_TO_TRIGGERS=false \
  "$DIALTONE_BUILD_DIR/services/usage-metering/usage-metering" >"$tmp/metering.log" 2>&1 &
pids+=($!)
# media-layer (same Redis) for Say and Play, and recordings.
media_http_port=$(dt_free_port)
mkdir -p "$tmp/media-store" "$tmp/media"
# start_media_layer NAME GRPC_ADDR METRICS_PORT HTTP_PORT [NAME=value...]: one media-layer on this
# stack's Redis and blob folder ($tmp/media-store), logging to $tmp/NAME.log; sets started_pid.
start_media_layer() {
  env "${@:5}" DIALTONE_GRPC_ADDR="$2" DIALTONE_METRICS_ADDR="127.0.0.1:$3" \
    DIALTONE_REDIS_URL="redis://127.0.0.1:$redis_port/0" DIALTONE_HTTP_ADDR="127.0.0.1:$4" \
    DIALTONE_MEDIA_DIR="$tmp/media-store" DIALTONE_USAGE_METERING_ADDR="$metering_grpc" \
    "$DIALTONE_BUILD_DIR/services/media-layer/media-layer" >"$tmp/$1.log" 2>&1 &
  started_pid=$!
  pids+=("$started_pid")
}
start_media_layer media "$media_grpc" $((grpc_base + 7)) "$media_http_port"
# start_call_router NAME GRPC_ADDR METRICS_PORT SIP_PORT RTP_MIN MEDIA_GRPC: one call-router of
# this stack (40 RTP ports from RTP_MIN), logging to $tmp/NAME.log; sets started_pid.
start_call_router() {
  env "${ROUTER_ENV[@]}" DIALTONE_GRPC_ADDR="$2" DIALTONE_METRICS_ADDR="127.0.0.1:$3" \
    DIALTONE_USAGE_METERING_ADDR="$metering_grpc" DIALTONE_USAGE_SPOOL="$tmp/$1.spool" \
    DIALTONE_MEDIA_LAYER_ADDR="$6" DIALTONE_PUBLIC_API_URL="http://127.0.0.1:$rest_port" \
    DIALTONE_RTP_PORT_MIN="$5" DIALTONE_RTP_PORT_MAX=$(($5 + 39)) \
    DIALTONE_PG_URL="$pg_url" DIALTONE_MIGRATIONS_DIR="$DIALTONE_SOURCE_DIR/deploy/sql" \
    DIALTONE_SIP_PORT="$4" DIALTONE_SIP_HOST=127.0.0.1 \
    DIALTONE_REST_GATEWAY_ADDR="$gateway_grpc" DIALTONE_REDIS_URL="redis://127.0.0.1:$redis_port/0" \
    "$DIALTONE_BUILD_DIR/services/call-router/call-router" >"$tmp/$1.log" 2>&1 &
  started_pid=$!
  pids+=("$started_pid")
}
start_call_router router "$router_grpc" $((grpc_base + 3)) "$sip_port" "$rtp_base" "$media_grpc"
router_pid=$started_pid
# The app also serves the files of $tmp/media at /media/<name> (Play URLs).
python3 -u "$DIALTONE_SOURCE_DIR/tests/lib/app_server.py" 0 "$tmp/media" >"$tmp/app.out" 2>&1 &
pids+=($!)

serving() { [[ $(health_of "$1") == SERVING ]]; }
wait_for 60 serving "$gateway_grpc" || { cat "$tmp/gateway.log" >&2; fail "rest-gateway serving"; finish; }
wait_for 60 serving "$router_grpc" || { cat "$tmp/router.log" >&2; fail "call-router serving"; finish; }
wait_for 60 serving "$media_grpc" || { cat "$tmp/media.log" >&2; fail "media-layer serving"; finish; }
wait_for 10 grep -q '^PORT ' "$tmp/app.out" || { fail "app server started"; finish; }
app="http://127.0.0.1:$(sed -n 's/^PORT //p' "$tmp/app.out")"

# sip_caller PORT NUMBER NAME [SCENARIO]: a SIPp caller to the router on PORT in the background
# (uac_media without audio: it waits up to 60 s for the router's BYE), logging to $tmp/NAME.log;
# sets caller_pid.
sip_caller() {
  local scenario=${4:-}
  if [[ -z $scenario ]]; then
    scenario=$tmp/$3.xml
    sed -e "s|@RTP_PORT@|$(dt_free_port)|" -e "s|@CODECS@|0 101|" \
      -e '/<pause milliseconds="1000"\/>/d' -e '/<nop>/,/<\/nop>/d' \
      "$DIALTONE_SOURCE_DIR/tests/e2e/sipp/uac_media.xml" >"$scenario"
  fi
  sipp "127.0.0.1:$1" -sf "$scenario" -s "$2" -i 127.0.0.1 -p "$(dt_free_port)" \
    -mp "$(dt_free_port)" -m 1 -timeout 60s -timeout_error -nostdin >"$tmp/$3.log" 2>&1 &
  caller_pid=$!
  pids+=("$caller_pid")
}

# requests_to PATH [CALL_SID]: the form bodies the app got at PATH (for one call), as JSON lines.
requests_to() {
  curl -sf "$app/_requests" | python3 -c '
import json, sys, urllib.parse
path, call = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "")
for r in json.load(sys.stdin):
    if r["path"].split("?")[0] != path: continue
    form = dict(urllib.parse.parse_qsl(r["body"]))
    if call and form.get("CallSid") != call: continue
    print(json.dumps(form))' "$@"
}
got_request() { [[ -n $(requests_to "$@") ]]; }

acct=$("$CTL" accounts create --friendly-name sip-e2e --addr "$gateway_grpc")
sid=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["sid"])' <<<"$acct")
token=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["auth_token"])' <<<"$acct")

