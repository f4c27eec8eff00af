#!/usr/bin/env bash
# Two call-routers and two rest-gateways on one PostgreSQL and one Redis (issue 17):
# - a call placed through gateway 1 (router 1 owns it) is redirected, then hung up, through
#   gateway 2 (router 2 forwards to the owner): the app hears the redirect and the completed
#   callback;
# - router 2 is killed (SIGKILL) with a call up: router 1 ends it when the lease lapses
#   (completed, one completed callback, usage counted once);
# - a new router 2 gets SIGTERM with a call up: OPTIONS and new INVITEs get 503, the call goes on
#   to its own end, and the router exits 0 after it.
# Real processes on loopback: PostgreSQL, Redis, two rest-gateways, usage-metering, media-layer,
# two call-routers, the app server, SIPp.
set -euo pipefail
source "$(dirname "$0")/../lib/testlib.sh"

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d /tmp/dialtone-replicas.XXXXXX)
chmod 755 "$tmp"
LEASE=3
ROUTER_ENV=(DIALTONE_CALL_LEASE_SECONDS=$LEASE DIALTONE_DRAIN_SECONDS=30)
source "$here/../lib/router_stack.sh"
psql_q() { psql -h 127.0.0.1 -p "$pg_port" -U dialtone -d dialtone -Atqc "$1"; }
field() { python3 -c 'import json,sys; print(json.load(sys.stdin).get(sys.argv[1], ""))' "$1"; }
doc() { cat >"$tmp/media/$1.xml"; }  # NAME < TwiML
gone() { ! alive "$1"; }

# ---- the second router and the second gateway ----
block=$(free_port_block 4)
router2_grpc=127.0.0.1:$block
gateway2_grpc=127.0.0.1:$((block + 2))
rest2_port=$(dt_free_port)
sip2_port=$(dt_free_port)
rtp2=$(free_port_block 40)
start_router2() {  # NAME
  start_call_router "$1" "$router2_grpc" $((block + 1)) "$sip2_port" "$rtp2" "$media2_grpc"
  router2_pid=$started_pid
  wait_for 60 serving "$router2_grpc" || { cat "$tmp/$1.log" >&2; fail "router 2 serving"; finish; }
}
# A second media-layer on the same blob store (the shared directory) and Redis index.
mblock=$(free_port_block 2)
media2_grpc=127.0.0.1:$mblock
media2_http_port=$(dt_free_port)
start_media_layer media2 "$media2_grpc" $((mblock + 1)) "$media2_http_port"
wait_for 60 serving "$media2_grpc" || { cat "$tmp/media2.log" >&2; fail "media-layer 2 serving"; finish; }
start_router2 router2
env DIALTONE_GRPC_ADDR="$gateway2_grpc" DIALTONE_METRICS_ADDR=127.0.0.1:$((block + 3)) \
  DIALTONE_PG_URL="$pg_url" DIALTONE_MIGRATIONS_DIR="$DIALTONE_SOURCE_DIR/deploy/sql" \
  DIALTONE_HTTP_ADDR=127.0.0.1:$rest2_port DIALTONE_CALL_ROUTER_ADDR="$router2_grpc" \
  DIALTONE_MEDIA_LAYER_ADDR="$media2_grpc" DIALTONE_USAGE_METERING_ADDR="$metering_grpc" \
  DIALTONE_TRIGGERS_ADDR=127.0.0.1:$(dt_free_port) DIALTONE_USAGE_SPOOL="$tmp/gw2.spool" \
  "$DIALTONE_BUILD_DIR/services/rest-gateway/rest-gateway" >"$tmp/gateway2.log" 2>&1 &
pids+=($!)
wait_for 60 serving "$gateway2_grpc" || { cat "$tmp/gateway2.log" >&2; fail "gateway 2 serving"; finish; }

api1="http://127.0.0.1:$rest_port/2010-04-01/Accounts/$sid"
api2="http://127.0.0.1:$rest2_port/2010-04-01/Accounts/$sid"
call_status() { curl -sf -u "$sid:$token" "$1/Calls/$2.json" | field status; }
status_is() { [[ $(call_status "$1" "$2") == "$3" ]]; }  # API CALL STATUS
completed_callbacks() {  # CALL_SID: how many status callbacks said the call ended
  requests_to /callback "$1" | python3 -c '
import json, sys
print(sum(1 for l in sys.stdin if json.loads(l)["CallStatus"] in ("completed", "failed")))'
}
callbacks_are() { [[ $(completed_callbacks "$1") == "$2" ]]; }  # CALL_SID N
usage_is() { [[ $(usage_count "$1") == "$2" ]]; }                 # CATEGORY N
usage_count() {  # CATEGORY: the all-time count of the account's usage record
  curl -sf -u "$sid:$token" "$api1/Usage/Records.json?Category=$1" |
    python3 -c 'import json,sys; r=json.load(sys.stdin)["usage_records"]; print(r[0]["count"] if r else 0)'
}
# sip_answer_code PORT METHOD [NUMBER]: sends one OPTIONS or INVITE over UDP, prints the final
# status code (or "none" after 3 s).
sip_answer_code() {
  python3 - "$@" <<'PY'
import socket, sys, uuid
port, method = int(sys.argv[1]), sys.argv[2]
number = sys.argv[3] if len(sys.argv) > 3 else "probe"
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
me = s.getsockname()[1]
branch, callid = "z9hG4bK" + uuid.uuid4().hex[:12], uuid.uuid4().hex
sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n"
body = sdp if method == "INVITE" else ""
msg = (f"{method} sip:{number}@127.0.0.1:{port} SIP/2.0\r\n"
       f"Via: SIP/2.0/UDP 127.0.0.1:{me};branch={branch};rport\r\n"
       f"Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1:{me}>;tag={uuid.uuid4().hex[:8]}\r\n"
       f"To: <sip:{number}@127.0.0.1:{port}>\r\nCall-ID: {callid}\r\nCSeq: 1 {method}\r\n"
       f"Contact: <sip:probe@127.0.0.1:{me}>\r\n"
       + ("Content-Type: application/sdp\r\n" if body else "")
       + f"Content-Length: {len(body)}\r\n\r\n{body}")
s.sendto(msg.encode(), ("127.0.0.1", port))
s.settimeout(3)
try:
    while True:
        code = int(s.recv(65535).decode(errors="replace").split(" ", 2)[1])
        if code >= 200:
            print(code)
            break
except socket.timeout:
    print("none")
PY
}
caller() { sip_caller "$@"; }  # PORT NUMBER NAME
newest_call_to() {  # NUMBER STATUS: the newest call to NUMBER once it reads STATUS
  local end=$((SECONDS + 10)) s
  while ((SECONDS < end)); do
    s=$(psql_q "select sid from calls where to_number = '$1' and status = '$2' order by date_created desc limit 1")
    [[ -n $s ]] && { echo "$s"; return 0; }
    sleep 0.2
  done
}

# A leading Pause would keep an inbound call ringing: Say answers it first.
doc long <<'EOF'
<Response><Say>Hello</Say><Pause length="50"/><Hangup/></Response>
EOF
doc redirected <<'EOF'
<Response><Pause length="50"/><Hangup/></Response>
EOF
doc short <<'EOF'
<Response><Say>Hello</Say><Pause length="4"/><Hangup/></Response>
EOF
pn() { python3 -c 'import uuid; print("PN" + uuid.uuid4().hex)'; }
psql_q "insert into incoming_phone_numbers (sid, account_sid, phone_number, voice_url, status_callback)
        values ('$(pn)', '$sid', '+15005550161', '$app/doc/long', '$app/callback'),
               ('$(pn)', '$sid', '+15005550162', '$app/doc/short', '$app/callback')" >/dev/null

# ---- 1. placed through gateway 1, redirected and hung up through gateway 2 ----
sipp_callee builtin-uas bob 60
placed=$(curl -sf -u "$sid:$token" "$api1/Calls.json" --data-urlencode "To=$callee_uri" \
  --data-urlencode "From=+15005550100" --data-urlencode "Url=$app/doc/long" \
  --data-urlencode "StatusCallback=$app/callback" --data-urlencode "Record=true")
out_sid=$(field sid <<<"$placed")
check "the call placed through gateway 1 is answered" wait_for 10 status_is "$api1" "$out_sid" in-progress
check "its owner is router 1: router 2 does not run it" \
  bash -c "! grep -q '$out_sid' '$tmp/router2.log'"
node "$DIALTONE_SOURCE_DIR/tests/node/update_call.js" "$sid" "$token" "http://127.0.0.1:$rest2_port" \
  "$out_sid" "url=$app/doc/redirected" >"$tmp/redirect.out" 2>&1
check "gateway 2 redirects it (twilio-node): the app is asked for the new document" \
  wait_for 5 got_request /doc/redirected "$out_sid"
check "router 1 ran the redirect (router 2 forwarded it)" \
  grep -q "call redirected through the API.*$out_sid" "$tmp/router.log"
node "$DIALTONE_SOURCE_DIR/tests/node/update_call.js" "$sid" "$token" "http://127.0.0.1:$rest2_port" \
  "$out_sid" "status=completed" >"$tmp/hangup.out" 2>&1
check "gateway 2 hangs it up: completed, read through either gateway" \
  wait_for 5 status_is "$api2" "$out_sid" completed
check "the app hears the completed callback once" \
  wait_for 5 callbacks_are "$out_sid" 1
check "the callee got the BYE" wait_for 10 gone "$callee_pid"
code=$(curl -s -o /dev/null -w '%{http_code}' -u "$sid:$token" "$api2/Calls/$out_sid.json" \
  --data-urlencode "Url=$app/doc/redirected")
check "redirecting the ended call through gateway 2 is refused (400, not in progress; got $code)" \
  test "$code" = 400

# The call was recorded (Record=true) by router 1 through media-layer 1.
recording_sid() {
  curl -sf -u "$sid:$token" "$api1/Calls/$out_sid/Recordings.json" |
    python3 -c 'import json,sys; r=json.load(sys.stdin)["recordings"]; print(r[0]["sid"] if r else "")'
}
has_recording() { [[ -n $(recording_sid) ]]; }
check "router 1 stored the call's recording" wait_for 10 has_recording
rec=$(recording_sid)
curl -sf -u "$sid:$token" -o "$tmp/rec1.wav" "$api1/Recordings/$rec.wav" || true
curl -sf -u "$sid:$token" -o "$tmp/rec2.wav" "$api2/Recordings/$rec.wav" || true
check "it downloads through gateway 1 (media-layer 1): a WAV of $(stat -c %s "$tmp/rec1.wav" 2>/dev/null || echo 0) bytes" \
  bash -c "head -c 4 '$tmp/rec1.wav' | grep -q RIFF && test \$(stat -c %s '$tmp/rec1.wav') -gt 1000"
check "and the same bytes through gateway 2 (media-layer 2)" cmp -s "$tmp/rec1.wav" "$tmp/rec2.wav"
media_path=$(psql_q "select media_url from recordings where sid = '$rec'" | sed -E 's|^https?://[^/]+||')
for port in "$media_http_port" "$media2_http_port"; do
  code=$(curl -s -o "$tmp/media-$port.ulaw" -w '%{http_code}' "http://127.0.0.1:$port$media_path")
  check "its media URL's path serves it from the media-layer on port $port (200; got $code)" \
    bash -c "test '$code' = 200 && test -s '$tmp/media-$port.ulaw'"
done

# ---- caches: what one gateway changed, another never answers stale ----
curl -sf -u "$sid:$token" "$api1/Calls/$out_sid.json" >/dev/null  # gateway 1 keeps the ended call
curl -sf -u "$sid:$token" "$api1.json" >/dev/null                 # and the account
code=$(curl -s -o /dev/null -w '%{http_code}' -u "$sid:$token" -X DELETE "$api2/Calls/$out_sid.json")
check "gateway 2 deletes the ended call (204; got $code)" test "$code" = 204
code=$(curl -s -o /dev/null -w '%{http_code}' -u "$sid:$token" "$api1/Calls/$out_sid.json")
check "gateway 1 no longer serves it (404; got $code)" test "$code" = 404
curl -sf -u "$sid:$token" "$api2.json" --data-urlencode "FriendlyName=renamed through gateway 2" >/dev/null
name=$(curl -sf -u "$sid:$token" "$api1.json" | field friendly_name)
check "gateway 1 reads the account renamed through gateway 2 at once (got '$name')" \
  test "$name" = "renamed through gateway 2"

doc route-a <<'EOF'
<Response><Say>A</Say><Hangup/></Response>
EOF
doc route-b <<'EOF'
<Response><Say>B</Say><Hangup/></Response>
EOF
pn3=$(pn)
psql_q "insert into incoming_phone_numbers (sid, account_sid, phone_number, voice_url)
        values ('$pn3', '$sid', '+15005550163', '$app/doc/route-a')" >/dev/null
asked_for() {  # DOC: how many times the app was asked for /doc/DOC
  curl -sf "$app/_requests" | python3 -c '
import json, sys
print(sum(1 for r in json.load(sys.stdin) if r["path"].split("?")[0] == "/doc/" + sys.argv[1]))' "$1"
}
asked() { [[ $(asked_for "$1") -ge 1 ]]; }
caller "$sip_port" +15005550163 route-a
check "router 1 routes the number to its voice URL (and caches the route)" wait_for 10 asked route-a
wait "$caller_pid" || true
code=$(curl -s -o /dev/null -w '%{http_code}' -u "$sid:$token" "$api2/IncomingPhoneNumbers/$pn3.json" \
  --data-urlencode "VoiceUrl=$app/doc/route-b")
check "gateway 2 (router 2) changes the number's VoiceUrl (200; got $code)" test "$code" = 200
caller "$sip_port" +15005550163 route-b
check "router 1's next call to it uses the new URL at once" wait_for 10 asked route-b
wait "$caller_pid" || true

# ---- Redis out of reach for longer than a lease: no live call is ended ----
caller "$sip_port" +15005550161 frozen
frozen_sid=$(newest_call_to +15005550161 in-progress)
check "a call is up on router 1" test -n "$frozen_sid"
kill -STOP "$(cat "$tmp/redis/redis.pid")"
sleep $((LEASE * 2))
kill -CONT "$(cat "$tmp/redis/redis.pid")"
sleep $((LEASE + 2))
check "after Redis froze for $((LEASE * 2)) s, the call is still in progress" \
  status_is "$api1" "$frozen_sid" in-progress
check "no router ended it" bash -c "! grep -q 'call of a dead router ended.*$frozen_sid' '$tmp/router.log' '$tmp/router2.log'"
node "$DIALTONE_SOURCE_DIR/tests/node/update_call.js" "$sid" "$token" "http://127.0.0.1:$rest2_port" \
  "$frozen_sid" "status=completed" >"$tmp/frozen-hangup.out" 2>&1
check "gateway 2 still reaches it through its owner and hangs it up" \
  wait_for 5 status_is "$api1" "$frozen_sid" completed
wait "$caller_pid" || true

# ---- 2. router 2 killed with a call up: router 1 ends it ----
caller "$sip2_port" +15005550161 killed
killed_sid=$(newest_call_to +15005550161 in-progress)
check "a call is up on router 2" test -n "$killed_sid"
inbound_before=$(usage_count calls-inbound)
sleep 3  # up for a few lease refreshes (every 1 s)
kill -9 "$router2_pid"
t0=$SECONDS
check "router 1 ends the dead router's call within 60 s (completed)" \
  wait_for 60 status_is "$api1" "$killed_sid" completed
echo "  ended $((SECONDS - t0)) s after the SIGKILL (lease $LEASE s)"
check "router 1 says so in its log" grep -q "call of a dead router ended.*$killed_sid" "$tmp/router.log"
check "one completed callback" wait_for 5 callbacks_are "$killed_sid" 1
metric() {  # METRICS_PORT NAME: its value (empty when absent)
  curl -sf "http://127.0.0.1:$1/metrics" | awk -v n="$2" '$1 == n {print $2}'
}
check "router 1 counts it (dialtone_call_router_recovered_calls_total 1)" \
  test "$(metric $((grpc_base + 3)) dialtone_call_router_recovered_calls_total)" = 1
duration=$(curl -sf -u "$sid:$token" "$api1/Calls/$killed_sid.json" | field duration)
check "its duration is the time it was known up (${duration} s)" test "${duration:-0}" -ge 1
check "its usage is counted once (calls-inbound $inbound_before -> +1)" \
  wait_for 10 usage_is calls-inbound $((inbound_before + 1))
sleep 2
check "and only once" test "$(usage_count calls-inbound)" = $((inbound_before + 1))
check "the recovered call is not in progress anywhere: an UpdateCall is refused" \
  test "$(curl -s -o /dev/null -w '%{http_code}' -u "$sid:$token" "$api1/Calls/$killed_sid.json" \
    --data-urlencode "Url=$app/doc/redirected")" = 400
kill "$caller_pid" 2>/dev/null || true

# ---- 3. a new router 2 drains on SIGTERM ----
start_router2 router2b
check "the new router 2 answers OPTIONS 200" test "$(sip_answer_code "$sip2_port" OPTIONS)" = 200
caller "$sip2_port" +15005550162 drained
drained_sid=$(newest_call_to +15005550162 in-progress)
check "a call (Say, Pause 4 s, Hangup) is up on router 2" test -n "$drained_sid"
kill -TERM "$router2_pid"
sleep 0.5
check "draining: OPTIONS get 503" test "$(sip_answer_code "$sip2_port" OPTIONS)" = 503
check "draining: a new INVITE gets 503" test "$(sip_answer_code "$sip2_port" INVITE +15005550162)" = 503
check "the router still runs while its call is up" alive "$router2_pid"
check "its metrics say draining, one live call" test "$(metric $((block + 1)) dialtone_call_router_draining) $(metric $((block + 1)) dialtone_call_router_live_calls)" = "1 1"
check "the call goes on to its own end (the caller gets Dialtone's BYE)" wait_for 20 gone "$caller_pid"
wait "$caller_pid" && pass "the caller's SIPp scenario completed" || fail "the caller's SIPp scenario completed"
check "the call is completed with its full duration" \
  test "$(curl -sf -u "$sid:$token" "$api1/Calls/$drained_sid.json" | field duration)" -ge 4
check "the router exits after its last call" wait_for 10 gone "$router2_pid"
rc=0
wait "$router2_pid" || rc=$?
check "with status 0 (got $rc)" test "$rc" = 0
check "its log says it drained" grep -q "drained: no call left" "$tmp/router2b.log"
check "one completed callback for the drained call" test "$(completed_callbacks "$drained_sid")" = 1

finish
