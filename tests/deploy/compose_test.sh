#!/usr/bin/env bash
# The container path end to end (issue 16): `scripts/dev image` builds the base, store and
# dialtone:dev images; `scripts/dev compose up` starts docker-compose.yml (podman here, docker
# where a daemon runs) with the demo account, demo app and .dev/env of `scripts/dev up`; every
# service reports SERVING (gRPC, and the image's HEALTHCHECK); a SIPp call through the SIP port
# to a number bound through the REST API hears the Say over RTP and gets the BYE of <Hangup>; a
# second call leaves a Recording; the Call, its usage record, the Recording and the Say's media
# are read back, then again after `compose down` + `compose up`; a crashed service (SIGKILL to
# its process) is restarted by the restart policy and reports SERVING again; with existing
# stores' URLs compose starts only the services; `compose down --volumes` leaves no container,
# network, volume or port. Free ports, its own compose project.
set -euo pipefail
source "$(dirname "$0")/../lib/testlib.sh"
source "$DIALTONE_SOURCE_DIR/scripts/lib/containers.sh"

here=$DIALTONE_SOURCE_DIR/tests
dev=$DIALTONE_SOURCE_DIR/scripts/dev
tmp=$(mktemp -d /tmp/dialtone-compose.XXXXXX)
chmod 755 "$tmp"
mkdir -p "$tmp/app"
stack_env "$tmp"
export DIALTONE_COMPOSE_PROJECT=dialtone-test-$$
project=$DIALTONE_COMPOSE_PROJECT
unset DIALTONE_DEMO_NUMBER DIALTONE_REDIS_IMAGE DIALTONE_POSTGRES_IMAGE
pids=()
t0=$SECONDS
stamp() { echo "[$((SECONDS - t0)) s] $*"; }

# Everything the project left, by compose's labels and names (podman or docker).
leftovers() {
  {
    dt_ctr ps -a --filter "label=com.docker.compose.project=$project" --format '{{.Names}}'
    dt_ctr network ls --format '{{.Name}}' | grep "^${project}_" || true
    dt_ctr volume ls --format '{{.Name}}' | grep "^${project}_" || true
  } 2>/dev/null
}
cleanup() {
  local rc=$?
  set +e
  if ((rc != 0 || T_FAILS > 0)); then  # the services' logs, before down removes them
    "$dev" compose logs >"$tmp/compose-services.log" 2>&1 </dev/null
    echo "the containers' logs: $tmp/compose-services.log" >&2
  fi
  "$dev" compose down --volumes >"$tmp/cleanup-down.log" 2>&1 </dev/null
  local left
  left=$(leftovers)
  if [[ -n $left ]]; then  # compose could not: remove by name
    echo "cleanup: removing what compose left: $left" >&2
    dt_ctr ps -a --filter "label=com.docker.compose.project=$project" -q | xargs -r "${DT_CTR_RM[@]}" >/dev/null 2>&1
    dt_ctr network ls --format '{{.Name}}' | grep "^${project}_" | xargs -r "${DT_CTR_NET_RM[@]}" >/dev/null 2>&1
    dt_ctr volume ls --format '{{.Name}}' | grep "^${project}_" | xargs -r "${DT_CTR_VOL_RM[@]}" >/dev/null 2>&1
  fi
  dt_compose_socket_stop "$DIALTONE_DEV_DIR/compose"
  dt_redis_stop "$tmp/ext-redis"
  dt_pg_stop "$tmp/ext-pg"
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  if [[ -d $DIALTONE_DEV_DIR ]]; then cp -r "$DIALTONE_DEV_DIR/logs" "$tmp/dev-logs" 2>/dev/null; fi
  remove_tmp "$tmp" "$rc"
}
DT_CTR_RM=(dt_ctr rm -f) DT_CTR_NET_RM=(dt_ctr network rm) DT_CTR_VOL_RM=(dt_ctr volume rm -f)
trap cleanup EXIT

[[ $(id -u) -eq 0 || $(dt_engine) == docker ]] \
  || { fail "needs root (podman as root) or a Docker daemon"; finish; exit 1; }

# 1. Images.
stamp "scripts/dev image"
start=$SECONDS
"$dev" image >"$tmp/image.log" 2>&1 </dev/null && rc=0 || rc=$?
tail -n 8 "$tmp/image.log"
check "scripts/dev image exits 0 ($((SECONDS - start)) s)" test "$rc" -eq 0
((rc == 0)) || { tail -n 60 "$tmp/image.log" >&2; finish; exit 1; }
for i in debian:12 debian:12-slim "$DT_LOCAL_REDIS_IMAGE" "$DT_LOCAL_POSTGRES_IMAGE" dialtone:dev; do
  check "image $i exists" dt_image_exists "$i"
done
check "image prints the size of dialtone:dev" grep -qE '^  dialtone:dev +[0-9]+ MB$' "$tmp/image.log"
check "dialtone:dev runs as the non-root user 10001" \
  test "$(dt_ctr image inspect --format '{{.Config.User}}' dialtone:dev)" = 10001:10001
has_healthcheck() { dt_ctr image inspect --format '{{json .Config.Healthcheck}}' dialtone:dev | grep -q 'dialtonectl health'; }
check "dialtone:dev has a HEALTHCHECK asking dialtonectl health (gRPC)" has_healthcheck
check "the runtime image holds the five services, dialtonectl and the migrations, and no compiler" \
  dt_ctr run --rm --no-healthcheck --network none dialtone:dev sh -c '
    for b in call-router media-layer rest-gateway usage-metering triggers dialtonectl; do
      command -v "$b" >/dev/null || exit 1; done
    ls "$DIALTONE_MIGRATIONS_DIR"/call-router/*.sql >/dev/null &&
    ! command -v c++ && ! command -v cmake && ! test -d /usr/include/grpcpp'

# 2. The stack.
stamp "scripts/dev compose up"
"$dev" compose up >"$tmp/up1.log" 2>&1 </dev/null && rc=0 || rc=$?
check "scripts/dev compose up exits 0" test "$rc" -eq 0
((rc == 0)) || { cat "$tmp/up1.log" >&2; finish; exit 1; }
grep -A 24 '^Dialtone is up' "$tmp/up1.log" || true
# .dev/env as after `scripts/dev up`: dialtonectl (the image's) on PATH, the same variables.
# shellcheck disable=SC1091
. "$DIALTONE_DEV_DIR/env"
sid=$DIALTONE_ACCOUNT_SID token=$DIALTONE_AUTH_TOKEN api=$DIALTONE_API_URL
check ".dev/env names the demo account and the API on the stack's REST port" \
  test -n "$sid" -a "$api" = "http://127.0.0.1:$DIALTONE_REST_PORT/2010-04-01"
all_serving() {
  dialtonectl health >"$tmp/health.out" || true
  sed 's/^/  /' "$tmp/health.out"
  [[ $(grep -c ' SERVING$' "$tmp/health.out") -eq 5 ]]
}
check "dialtonectl health (from .dev/env's PATH): every service SERVING" all_serving
healthy() {  # CONTAINER: the image's HEALTHCHECK run once by the engine
  if [[ $(dt_engine) == podman ]]; then dt_ctr healthcheck run "$1" >/dev/null
  else wait_for 60 bash -c "docker inspect --format '{{.State.Health.Status}}' '$1' | grep -qx healthy"; fi
}
for s in call-router media-layer rest-gateway usage-metering triggers; do
  check "$s's container HEALTHCHECK (gRPC health) passes" healthy "${project}_${s}_1"
done
check "the README's curl line answers with the demo account" \
  bash -c "curl -sf -u '$sid:$token' '$api/Accounts/$sid.json' | grep -q '\"sid\": *\"$sid\"'"
check "the demo number is bound to the demo app" grep -q "demo number +15005550006: created PN" "$tmp/up1.log"

# 3. Calls. The app: Say then Hangup, and a Record; numbers bound through the REST API.
python3 -u "$here/lib/app_server.py" 0 "$tmp/app" >"$tmp/app.log" 2>&1 &
pids+=($!)
wait_for 10 grep -q '^PORT ' "$tmp/app.log"
app=http://127.0.0.1:$(sed -n 's/^PORT //p' "$tmp/app.log" | head -n 1)
echo '<Response><Say>Hello from the containers</Say><Hangup/></Response>' >"$tmp/app/say.xml"
echo "<Response><Record timeout=\"2\" maxLength=\"20\" action=\"$app/doc/hangup\"/></Response>" >"$tmp/app/record.xml"
echo '<Response><Hangup/></Response>' >"$tmp/app/hangup.xml"
bind() {  # NUMBER DOC
  curl -sf -u "$sid:$token" "$api/Accounts/$sid/IncomingPhoneNumbers.json" \
    --data-urlencode "PhoneNumber=$1" --data-urlencode "VoiceUrl=$app/doc/$2" >/dev/null
}
check "+15005550100 (Say, Hangup) bound through the REST API" bind +15005550100 say
check "+15005550101 (Record) bound through the REST API" bind +15005550101 record

# media_call NUMBER PCAP|- LOG: SIPp through the published SIP port; with "-" it sends no audio
# and the audio it receives is captured to $tmp/LOG.rtp.
media_call() {
  local number=$1 pcap=$2 log=$3 rtp_port cap_pid="" rc=0
  rtp_port=$(dt_free_port)
  sed -e "s|@RTP_PORT@|$rtp_port|" -e "s|@CODECS@|0 101|" -e "s|@PCAP@|$pcap|" \
    "$here/e2e/sipp/uac_media.xml" >"$tmp/$log.xml"
  if [[ $pcap == - ]]; then
    sed -i -e '/<pause milliseconds="1000"\/>/d' -e '/<nop>/,/<\/nop>/d' "$tmp/$log.xml"
    python3 -u "$here/e2e/rtp_capture.py" "$rtp_port" "$tmp/$log.rtp" 2 60 >"$tmp/$log.cap" 2>&1 &
    cap_pid=$!
    wait_for 5 grep -q READY "$tmp/$log.cap"
  fi
  sipp "127.0.0.1:$DIALTONE_SIP_PORT" -sf "$tmp/$log.xml" -s "$number" -i 127.0.0.1 -p "$(dt_free_port)" \
    -mp "$(dt_free_port)" -m 1 -timeout 60s -timeout_error -nostdin -trace_msg \
    -message_file "$tmp/$log.msg" >"$tmp/$log.log" 2>&1 || rc=$?
  if [[ -n $cap_pid ]]; then wait "$cap_pid" || true; fi
  return "$rc"
}
stamp "SIP call to +15005550100"
check "SIP call to +15005550100: answered (200 OK), the Say's audio, then Dialtone's BYE" \
  media_call +15005550100 - say
check "the SIP call was answered with 200 OK and ended by a BYE from Dialtone" \
  bash -c "grep -q '^SIP/2.0 200 OK' '$tmp/say.msg' && grep -q '^BYE sip:' '$tmp/say.msg'"
check "the Say arrived over RTP: over a second of PCMU from the router's RTP range" python3 - "$tmp/say.rtp" <<'PY'
import json, sys
pk = [json.loads(l) for l in open(sys.argv[1])]
audio = [p for p in pk if p["pt"] == 0]
print(f"{len(audio)} PCMU packets")
sys.exit(0 if len(audio) >= 50 and any(set(p["payload"]) - {"f"} for p in audio) else 1)
PY
call_sid=$(curl -sf -u "$sid:$token" -G "$api/Accounts/$sid/Calls.json" --data-urlencode To=+15005550100 \
  | python3 -c 'import json,sys; c=json.load(sys.stdin)["calls"]; print(c[0]["sid"] if len(c) == 1 else "")')
call_json() { curl -sf -u "$sid:$token" "$api/Accounts/$sid/Calls/$call_sid.json"; }
call_ok() {
  call_json | python3 -c '
import json, sys
c = json.load(sys.stdin)
print("Call %(sid)s: %(status)s %(direction)s to %(to)s, duration %(duration)s s" % c)
sys.exit(0 if c["status"] == "completed" and c["direction"] == "inbound" and c["to"] == "+15005550100"
         and int(c["duration"] or 0) >= 1 else 1)'
}
check "the Call is read back through the REST API: completed, inbound, lasted the Say" wait_for 10 call_ok
usage_ok() {  # N: today's usage record for calls-inbound counts N calls
  curl -sf -u "$sid:$token" -G "$api/Accounts/$sid/Usage/Records/Today.json" --data-urlencode Category=calls-inbound \
    | python3 -c '
import json, sys
r = json.load(sys.stdin)["usage_records"]
print({k: r[0][k] for k in ("category", "count", "usage", "start_date")} if r else r)
sys.exit(0 if len(r) == 1 and r[0]["category"] == "calls-inbound" and str(r[0]["count"]) == sys.argv[1] else 1)' "$1"
}
check "its usage record (calls-inbound, count 1) is read back through the REST API" wait_for 20 usage_ok 1

stamp "SIP call to +15005550101 (Record)"
check "SIP call to +15005550101: SIPp streams g711a.pcap, Record stores it, then BYE" \
  media_call +15005550101 /usr/share/sip-tester/g711a.pcap record
rec_sid=""
rec_ok() {
  rec_sid=$(curl -sf -u "$sid:$token" "$api/Accounts/$sid/Recordings.json" \
    | python3 -c 'import json,sys; r=json.load(sys.stdin)["recordings"]; print(r[0]["sid"] if len(r) == 1 and int(r[0]["duration"]) >= 5 else "")')
  [[ -n $rec_sid ]]
}
check "the Recording is listed through the REST API" wait_for 20 rec_ok
check "the usage record now counts the two calls" wait_for 20 usage_ok 2
curl -sf -u "$sid:$token" -o "$tmp/rec1.wav" "$api/Accounts/$sid/Recordings/$rec_sid.wav" || true
check "its audio downloads as WAV" bash -c "file -b '$tmp/rec1.wav' | grep -q WAVE"
say_url=$(dialtonectl media resolve --say "Hello from the containers" --account "$sid" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["media"]["url"])' || true)
curl -sf -o "$tmp/say1.wav" "${say_url%.*}.wav" || true
check "dialtonectl media resolve gives the Say's media, served at the media URL ($say_url)" test -s "$tmp/say1.wav"

# 4. down, then up: accounts, numbers, calls, usage, recordings and media are kept.
stamp "scripts/dev compose down; up"
"$dev" compose down >"$tmp/down1.log" 2>&1 </dev/null && rc=0 || rc=$?
check "scripts/dev compose down exits 0" test "$rc" -eq 0
check "after down nothing answers on the REST port" bash -c "! (exec 3<>/dev/tcp/127.0.0.1/$DIALTONE_REST_PORT) 2>/dev/null"
volumes_kept() { dt_ctr volume ls --format '{{.Name}}' | grep -c "^${project}_" | grep -qx 3; }
check "after down the data volumes (PostgreSQL, Redis, media) remain" volumes_kept
"$dev" compose up >"$tmp/up2.log" 2>&1 </dev/null && rc=0 || rc=$?
check "the second scripts/dev compose up exits 0" test "$rc" -eq 0
check "it keeps the demo account" test "$(env_value DIALTONE_ACCOUNT_SID)" = "$sid"
check "it reuses the demo number" grep -q "demo number +15005550006: reused PN" "$tmp/up2.log"
check "after the restart the Call is read back unchanged" call_ok
check "after the restart its usage record is still there (2 calls)" usage_ok 2
check "after the restart the Recording is still listed" rec_ok
curl -sf -u "$sid:$token" -o "$tmp/rec2.wav" "$api/Accounts/$sid/Recordings/$rec_sid.wav" || true
check "after the restart the Recording's audio is the same" cmp -s "$tmp/rec1.wav" "$tmp/rec2.wav"
curl -sf -o "$tmp/say2.wav" "${say_url%.*}.wav" || true
check "after the restart the media URL serves the same Say" cmp -s "$tmp/say1.wav" "$tmp/say2.wav"
check "after the restart a call to +15005550100 is answered and hung up again" media_call +15005550100 - say2

# 5. A crashed service comes back through the restart policy. (SIGKILL to the service's process:
# `podman kill` counts as a stop by the user, and podman's unless-stopped policy then leaves the
# container stopped, as `podman stop` does; README, "Containers".)
ctr=${project}_call-router_1
restarts() { dt_ctr inspect --format '{{.RestartCount}}' "$ctr"; }
before=$(restarts)
pid=$(dt_ctr inspect --format '{{.State.Pid}}' "$ctr")
stamp "SIGKILL to call-router (pid $pid)"
kill -KILL "$pid"
restarted() { (($(restarts) > before)); }
check "call-router's container is restarted by the restart policy" wait_for 30 restarted
check "and call-router reports SERVING again" wait_for 60 bash -c \
  "dialtonectl health --addr $DIALTONE_CALL_ROUTER_ADDR --timeout-ms 1000 | grep -q ' SERVING$'"
check "and answers calls again" media_call +15005550100 - say3

# 6. Existing stores: with DIALTONE_PG_URL / DIALTONE_REDIS_URL, compose starts only the services.
stamp "scripts/dev compose down; up with existing Redis and PostgreSQL"
"$dev" compose down >"$tmp/down2.log" 2>&1 </dev/null && rc=0 || rc=$?
check "scripts/dev compose down exits 0" test "$rc" -eq 0
ext_redis_port=$(dt_free_port) ext_pg_port=$(dt_free_port)
dt_redis_start "$tmp/ext-redis" "$ext_redis_port"
dt_pg_start "$tmp/ext-pg" "$ext_pg_port"
ext_pg_url=postgresql://dialtone@127.0.0.1:$ext_pg_port/dialtone
DIALTONE_PG_URL=$ext_pg_url DIALTONE_REDIS_URL=redis://127.0.0.1:$ext_redis_port/0 \
  "$dev" compose up >"$tmp/up-ext.log" 2>&1 </dev/null && rc=0 || rc=$?
check "compose up with existing stores exits 0" test "$rc" -eq 0
no_store_containers() {
  ! dt_ctr ps --filter "label=com.docker.compose.project=$project" --format '{{.Names}}' | grep -E '_(redis|postgres)_1$'
}
check "it starts no Redis or PostgreSQL container" no_store_containers
check "the services use the existing PostgreSQL: the demo account is created there" \
  bash -c "psql '$ext_pg_url' -Atc \"select count(*) from accounts where friendly_name = 'Dialtone demo'\" | grep -qx 1"
check "and answer calls (scripts/dev call to the demo number)" bash -c "'$dev' call +15005550006 >'$tmp/call-ext.out' 2>&1 </dev/null"

# 7. down --volumes leaves nothing behind.
if ((T_FAILS > 0)); then
  "$dev" compose logs >"$tmp/compose-services.log" 2>&1 </dev/null || true
  echo "the containers' logs: $tmp/compose-services.log" >&2
fi
stamp "scripts/dev compose down --volumes"
"$dev" compose down --volumes >"$tmp/down3.log" 2>&1 </dev/null && rc=0 || rc=$?
dt_redis_stop "$tmp/ext-redis"
dt_pg_stop "$tmp/ext-pg"
check "scripts/dev compose down --volumes exits 0" test "$rc" -eq 0
check "no container, network or volume of the project is left" test -z "$(leftovers)"
ports_free() {
  local p
  for p in "$DIALTONE_REST_PORT" "$DIALTONE_MEDIA_PORT" "$DIALTONE_SIP_PORT" "$DIALTONE_LOCAL_REDIS_PORT" \
    "$DIALTONE_LOCAL_PG_PORT" "$DIALTONE_DEMO_APP_PORT" $(seq "$DIALTONE_GRPC_PORT_BASE" $((DIALTONE_GRPC_PORT_BASE + 4))); do
    dt_port_open "$p" && { echo "port $p still open" >&2; return 1; }
  done
  dt_udp_bound "$DIALTONE_SIP_PORT" && { echo "UDP $DIALTONE_SIP_PORT still bound" >&2; return 1; }
  return 0
}
check "no port of the stack is left open (TCP and SIP's UDP)" ports_free
check "the podman API service is stopped" bash -c "! test -S '$DIALTONE_DEV_DIR/compose/podman.sock'"
stamp "done"

if ((T_FAILS > 0)); then
  echo "--- up (first)"; cat "$tmp/up1.log"
fi
finish
