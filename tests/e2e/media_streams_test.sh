#!/usr/bin/env bash
# Media Streams end to end (issue 18, "Checked by" but the bench): a call's audio to and from a
# WebSocket app speaking Twilio's protocol.
#  1. <Connect><Stream> with <Parameter>s: connected, start (SIDs, tracks, customParameters,
#     mediaFormat), media whose payloads joined are the caller's audio byte for byte, chunks and
#     timestamps in step, the RFC 4733 digit as dtmf, stop when the caller hangs up; the call
#     stays on the stream until then; the handshake's X-Twilio-Signature validates with the
#     twilio library's validateRequest; signed stream status callbacks.
#  2. The app sends 1 s of a 1 kHz tone and a mark: the caller hears the tone, the mark comes
#     back once it has played. 3 s of tone, then clear: it stops within 40 ms, the mark comes back.
#  3. The server closes the WebSocket: the call goes to <Connect action>, or to the next verb.
#  4. <Start><Stream track="both_tracks"> during a <Play>: both tracks, the outbound one equal to
#     what the caller heard; <Stop><Stream name> ends it.
#  5. A server that accepts and stalls: not one RTP frame of the call's <Play> is late.
#  6. REST: Calls/{CallSid}/Streams create and update (status=stopped) with the twilio library.
#  7. scripts/demo_app.py: its /stream echo (a stdlib WebSocket client), and a call through the
#     router to its /echo that hears itself half a second later.
# Real processes on loopback: PostgreSQL, Redis, rest-gateway, usage-metering, media-layer,
# call-router, the app server, the WebSocket server (tests/node/stream_server.js, npm ws), the
# demo app, and a Python SIP caller (tests/e2e/voice_caller.py).
set -euo pipefail
source "$(dirname "$0")/../lib/testlib.sh"

here=$(cd "$(dirname "$0")" && pwd)
node_dir=$DIALTONE_SOURCE_DIR/tests/node
if [[ ! -d $node_dir/node_modules/ws || ! -d $node_dir/node_modules/twilio ]]; then
  fail "tests/node's npm packages are installed (scripts/dev setup runs npm ci there)"
  finish
fi
tmp=$(mktemp -d /tmp/dialtone-streams.XXXXXX)
chmod 755 "$tmp"
# wss: a local CA the router trusts (DIALTONE_STREAM_CA_FILE), a server certificate it signed for
# localhost, and a self-signed one it must refuse.
mkdir -p "$tmp/tls"
(
  cd "$tmp/tls"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=dialtone-test-ca
  openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=localhost
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >san.ext
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 \
    -extfile san.ext
  openssl req -x509 -newkey rsa:2048 -nodes -keyout rogue.key -out rogue.pem -days 2 \
    -subj /CN=localhost -addext subjectAltName=DNS:localhost
) >"$tmp/tls/openssl.log" 2>&1 || { fail "test certificates made with openssl"; finish; }
ROUTER_ENV=(DIALTONE_STREAM_CA_FILE="$tmp/tls/ca.pem")
source "$here/../lib/router_stack.sh"
api_base="http://127.0.0.1:$rest_port"
checks() { python3 "$here/stream_checks.py" "$@"; }
psql_q() { psql -h 127.0.0.1 -p "$pg_port" -U dialtone -d dialtone -Atqc "$1"; }
add_number() {  # NUMBER URL
  local pn
  pn=PN$(python3 -c 'import uuid; print(uuid.uuid4().hex)')
  psql_q "insert into incoming_phone_numbers (sid, account_sid, phone_number, voice_url)
          values ('$pn', '$sid', '$1', '$2')" >/dev/null
}
doc() { cat >"$tmp/media/$1.xml"; }  # NAME < TwiML
# call NAME NUMBER TALK LIMIT [voice_caller options]: a call in the background, its output in
# $tmp/NAME.out, what it hears in $tmp/NAME.rtp and what it sends in $tmp/NAME.sent; sets
# caller_pid.
call() {
  local name=$1 number=$2 talk=$3 limit=$4
  python3 -u "$here/voice_caller.py" "127.0.0.1:$sip_port" "$number" "$tmp/$name.rtp" "$talk" \
    "$limit" --sent "$tmp/$name.sent" "${@:5}" >"$tmp/$name.out" 2>&1 &
  caller_pid=$!
  pids+=("$caller_pid")
}
out_value() { sed -n "s/^$2 AT //p" "$tmp/$1.out"; }  # NAME WHAT: a time the caller printed
call_of() { requests_to "/doc/$1" | head -1 | python3 -c 'import json,sys; print(json.loads(sys.stdin.read() or "{}").get("CallSid", ""))'; }
ws_connected() { grep -q "\"type\":\"upgrade\",\"url\":\"$1\"" "$tmp/ws.jsonl" 2>/dev/null; }
# callbacks_for CALL N: the app got N stream status callbacks for CALL (they may trail the call).
callbacks_for() { (($(requests_to /stream-status "$1" | wc -l) >= $2)); }
stream_sid_of() {  # PATH: the streamSid of the start message on that connection
  python3 - "$tmp/ws.jsonl" "$1" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
conn = next((r["conn"] for r in recs if r["type"] == "upgrade" and r["path"] == sys.argv[2]), None)
print(next((r["msg"].get("streamSid", "") for r in recs if r["conn"] == conn and r["type"] == "recv"
            and r.get("msg", {}).get("event") == "start"), ""))
PY
}

# The app's WebSocket server, checking signatures with the account's token.
node "$node_dir/stream_server.js" --token "$token" --log "$tmp/ws.jsonl" \
  --port-file "$tmp/ws.port" >"$tmp/ws.out" 2>&1 &
pids+=($!)
wait_for 10 test -s "$tmp/ws.port" || { fail "the WebSocket server started"; finish; }
ws_port=$(cat "$tmp/ws.port")
ws="ws://127.0.0.1:$ws_port"
touch "$tmp/ws.jsonl"
# Tones for <Play>: 2 s and 6 s of 600 Hz (8 kHz, 16-bit mono WAV), louder sample by sample so
# that no two 20 ms frames are alike (a steady 600 Hz repeats every 40 samples).
python3 - "$tmp/media" <<'PY'
import math, struct, sys, wave
for name, seconds in (("tone2s", 2), ("tone6s", 6)):
    w = wave.open(f"{sys.argv[1]}/{name}.wav", "wb")
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000)
    n = 8000 * seconds
    w.writeframes(b"".join(struct.pack("<h", int((4000 + 8000 * i / n) * math.sin(2 * math.pi * 600 * i / 8000)))
                           for i in range(n)))
    w.close()
PY

# 1. <Connect><Stream>: the caller talks a sweep for 4 s, presses 5 at 4.5 s, hangs up at 6 s.
doc inbound <<EOF2
<Response><Connect><Stream url="$ws/record?case=inbound" name="agent" statusCallback="$app/stream-status"><Parameter name="first" value="1"/><Parameter name="second" value="two"/></Stream></Connect><Say>The stream ended</Say></Response>
EOF2
add_number +15005550181 "$app/doc/inbound"
call inbound +15005550181 4 20 --signal sweep --dtmf 5@4.5 --hangup 6
wait "$caller_pid" || true
check "Connect/Stream: the call stays on the stream until the caller hangs up" \
  grep -q "^HUNG UP" "$tmp/inbound.out"
call=$(call_of inbound)
check "the server got connected, start (SIDs, tracks, parameters, format), media, stop, in sequence" \
  checks protocol "$tmp/ws.jsonl" "/record?case=inbound" "$sid" "$call" '["inbound"]' \
  '{"first":"1","second":"two"}'
check "the handshake's X-Twilio-Signature validates (twilio.validateRequest, the TwiML's URL)" \
  checks signature "$tmp/ws.jsonl" "/record?case=inbound" "$ws/record?case=inbound"
check "the inbound payloads, joined, are the audio the caller sent" \
  checks inbound "$tmp/ws.jsonl" "/record?case=inbound" "$tmp/inbound.sent"
check "the caller's RFC 4733 digit arrives as a dtmf message" \
  checks dtmf "$tmp/ws.jsonl" "/record?case=inbound" "$tmp/inbound.sent" 5
check "stop arrives when the caller hangs up" \
  checks stop "$tmp/ws.jsonl" "/record?case=inbound" "$(out_value inbound "HANGUP SENT")"
wait_for 5 callbacks_for "$call" 2 || true
curl -sf "$app/_requests" >"$tmp/requests.json"
check "signed stream-started and stream-stopped callbacks" \
  checks callbacks "$tmp/requests.json" "$app/stream-status" "$token" "$call" \
  "$(stream_sid_of "/record?case=inbound")" agent stream-started,stream-stopped

# 2. Audio from the app: a 1 s tone and a mark; then 3 s of tone cleared after 500 ms.
doc tone <<EOF2
<Response><Connect><Stream url="$ws/tone-mark"/></Connect></Response>
EOF2
add_number +15005550182 "$app/doc/tone"
call tone +15005550182 0 20 --hangup 3
wait "$caller_pid" || true
check "the caller hears the app's 1 kHz tone; its mark comes back once the tone has played" \
  checks tone "$tmp/ws.jsonl" /tone-mark "$tmp/tone.rtp"
doc clear <<EOF2
<Response><Connect><Stream url="$ws/clear"/></Connect></Response>
EOF2
add_number +15005550183 "$app/doc/clear"
call clear +15005550183 0 20 --hangup 3.5
wait "$caller_pid" || true
check "a clear in the middle of a long tone stops it within 40 ms and returns its mark" \
  checks clear "$tmp/ws.jsonl" /clear "$tmp/clear.rtp"

# 3. The server closes the WebSocket: <Connect action>, or the next verb.
doc close_action <<EOF2
<Response><Connect action="$app/doc/after-connect"><Stream url="$ws/close-after?ms=1500"/></Connect><Say>Not reached</Say></Response>
EOF2
doc after-connect <<<'<Response><Hangup/></Response>'
doc close_next <<EOF2
<Response><Connect><Stream url="$ws/close-after?ms=1000&amp;case=next"/></Connect><Redirect>$app/doc/next-verb</Redirect></Response>
EOF2
doc next-verb <<<'<Response><Hangup/></Response>'
add_number +15005550184 "$app/doc/close_action"
add_number +15005550185 "$app/doc/close_next"
call close_action +15005550184 0 20
wait "$caller_pid" || true
call close_next +15005550185 0 20
wait "$caller_pid" || true
went_to() {  # NAME PATH: the call NAME ended with the router's BYE after the app got PATH for it
  grep -q '^BYE' "$tmp/$1.out" && got_request "$2" "$(call_of "$1")"
}
check "when the server closes, the call goes to <Connect action> (and ends there)" \
  went_to close_action /doc/after-connect
check "without an action, the document goes on to the next verb" went_to close_next /doc/next-verb
check "the signed URL keeps its query as the TwiML wrote it (&amp; -> &)" \
  checks signature "$tmp/ws.jsonl" "/close-after?ms=1000&case=next" "$ws/close-after?ms=1000&case=next"

# 4. <Start><Stream track="both_tracks"> forks both directions during a <Play>; <Stop> ends it.
doc fork <<EOF2
<Response><Start><Stream name="fork" url="$ws/record?case=fork" track="both_tracks" statusCallback="$app/stream-status"/></Start><Play>$app/media/tone2s.wav</Play><Stop><Stream name="fork"/></Stop><Pause length="2"/><Hangup/></Response>
EOF2
add_number +15005550186 "$app/doc/fork"
call fork +15005550186 10 30 --signal sweep
wait "$caller_pid" || true
call=$(call_of fork)
check "Start/Stream both_tracks: start lists both tracks, media of each in step, stop, close" \
  checks protocol "$tmp/ws.jsonl" "/record?case=fork" "$sid" "$call" '["inbound","outbound"]' '{}'
check "the inbound track is the caller's audio" \
  checks inbound "$tmp/ws.jsonl" "/record?case=fork" "$tmp/fork.sent"
check "the outbound track is the <Play>, equal to the RTP the caller received" \
  checks fork "$tmp/ws.jsonl" "/record?case=fork" "$tmp/fork.rtp" 600
check "<Stop><Stream name=\"fork\"/> ends the stream once the <Play> is over; the call goes on" \
  checks stopped "$tmp/ws.jsonl" "/record?case=fork" "$tmp/fork.rtp" 600
check "the call went on after <Stop> (the router's BYE after the Pause)" grep -q '^BYE' "$tmp/fork.out"
wait_for 5 callbacks_for "$call" 2 || true
curl -sf "$app/_requests" >"$tmp/requests.json"
check "signed callbacks for the forked stream" \
  checks callbacks "$tmp/requests.json" "$app/stream-status" "$token" "$call" \
  "$(stream_sid_of "/record?case=fork")" fork stream-started,stream-stopped

# 5. A server that accepts and never reads: the call's RTP keeps its pace.
doc stall <<EOF2
<Response><Start><Stream url="$ws/stall" track="both_tracks"/></Start><Play>$app/media/tone6s.wav</Play><Hangup/></Response>
EOF2
add_number +15005550187 "$app/doc/stall"
call stall +15005550187 10 30 --signal sweep
wait_for 15 ws_connected "$ws/stall" || true
sleep 4
queued=$(ss -tnH state established "( sport = :$ws_port )" | awk '{s += $1} END {print s + 0}')
wait "$caller_pid" || true
check "the router kept sending to the stalled server ($queued bytes unread)" test "$queued" -gt 20000
check "the stalled stream delays no RTP frame of the call's <Play>" \
  checks pacing "$tmp/stall.rtp" 600 "$tmp/router.log" "$(call_of stall)"
check "the call ended on time despite the stalled stream" grep -q '^BYE' "$tmp/stall.out"

# 6. REST: Calls/{CallSid}/Streams create and update through the twilio library.
doc rest <<<'<Response><Say>Hold on</Say><Pause length="15"/><Hangup/></Response>'
add_number +15005550188 "$app/doc/rest"
call rest +15005550188 10 20 --signal sweep --hangup 8
wait_for 10 grep -q '^ANSWERED' "$tmp/rest.out" || true
call=$(call_of rest)
sleep 0.5
streams() { node "$node_dir/call_streams.js" "$1" "$sid" "$token" "$api_base" "${@:2}"; }
created=$(streams create "$call" "url=$ws/record?case=rest" name=api track=both_tracks \
  parameter1.name=a parameter1.value=1 || true)
echo "  created: $created"
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1] or "{}").get(sys.argv[2], ""))' "$1" "$2"; }
is_stream() {  # JSON SID-PATTERN STATUS
  [[ $(field "$1" sid) =~ ^$2$ && $(field "$1" status) == "$3" ]]
}
check "streams.create answers an MZ sid, in-progress" is_stream "$created" 'MZ[0-9a-f]{32}' in-progress
sleep 1.5
before_update=$(date +%s.%N)
stopped=$(streams update "$call" api status=stopped || true)
echo "  updated: $stopped"
check "streams(name).update({status: 'stopped'}) answers stopped" \
  is_stream "$stopped" "$(field "$created" sid)" stopped
check "the REST stream behaves like <Start><Stream>: its parameters, both tracks, stop, close" \
  checks protocol "$tmp/ws.jsonl" "/record?case=rest" "$sid" "$call" '["inbound","outbound"]' '{"a":"1"}'
same_stream() { [[ -n $1 && $1 == "$2" ]]; }
check "the server's stream is the one the API created" \
  same_stream "$(stream_sid_of "/record?case=rest")" "$(field "$created" sid)"
check "the server got stop when the API stopped it" \
  checks stop "$tmp/ws.jsonl" "/record?case=rest" "$before_update"
second=$(streams create "$call" "url=$ws/record?case=rest2" || true)
stopped2=$(streams update "$call" "$(field "$second" sid)" status=stopped || true)
check "a second stream, stopped by its sid" is_stream "$stopped2" "$(field "$second" sid)" stopped
wait "$caller_pid" || true
unknown=$(streams create "CA$(printf '0%.0s' {1..32})" "url=$ws/record?case=none" || true)
echo "  unknown call: $unknown"
api_error() {  # JSON STATUS CODE: the library's error has that HTTP status and Twilio code
  python3 - "$@" <<'PY'
import json, sys
e = json.loads(sys.argv[1] or "{}").get("error") or {}
sys.exit(0 if [str(e.get("status")), str(e.get("code"))] == sys.argv[2:4] else 1)
PY
}
check "a stream on an unknown call is Twilio's 404 / 20404" api_error "$unknown" 404 20404
ended=$(streams create "$call" "url=$ws/record?case=ended" || true)
echo "  ended call: $ended"
check "a stream on an ended call is 400 / 21220 (invalid call state)" api_error "$ended" 400 21220

# 7. The demo app: its WebSocket echo alone, then a call to its /echo through the router.
python3 -u "$DIALTONE_SOURCE_DIR/scripts/demo_app.py" --port 0 --port-file "$tmp/demo.port" \
  --auth-token "$token" 2>"$tmp/demo.log" &
pids+=($!)
wait_for 10 test -s "$tmp/demo.port" || fail "the demo app started"
demo=127.0.0.1:$(cat "$tmp/demo.port")
check "demo app: /echo's TwiML and the /stream echo (a stdlib WebSocket client)" \
  python3 "$DIALTONE_SOURCE_DIR/tests/lib/ws_echo_check.py" "$demo" "$token"
add_number +15005550189 "http://$demo/echo"
demo_lines=$(wc -l <"$tmp/demo.log")
call echo +15005550189 14 25 --signal sweep --hangup 16
wait "$caller_pid" || true
check "a call to the demo's /echo hears itself half a second later" checks echo "$tmp/echo.rtp" "$tmp/echo.sent"
signed_for_router() {  # the demo app's log since the call: the router's upgrade was signed
  tail -n +$((demo_lines + 1)) "$tmp/demo.log" | grep -q '"msg":"stream connected".*"signature":"valid"'
}
check "the demo app validated the router's stream signature" signed_for_router

# 8. wss: a server whose certificate the local CA signed is reached over TLS; one whose
# certificate nobody vouches for is refused (stream-error 31910) and the call goes on.
start_wss() {  # NAME CERT KEY -> sets wss_port
  node "$node_dir/stream_server.js" --token "$token" --log "$tmp/$1.jsonl" --port-file "$tmp/$1.port" \
    --tls-cert "$2" --tls-key "$3" >"$tmp/$1.out" 2>&1 &
  pids+=($!)
  wait_for 10 test -s "$tmp/$1.port" || fail "the $1 server started"
  wss_port=$(cat "$tmp/$1.port")
  touch "$tmp/$1.jsonl"
}
start_wss wss "$tmp/tls/server.pem" "$tmp/tls/server.key"
wss_good=$wss_port
start_wss rogue "$tmp/tls/rogue.pem" "$tmp/tls/rogue.key"
wss_rogue=$wss_port
doc wss <<EOF2
<Response><Connect><Stream url="wss://localhost:$wss_good/close-after?ms=1500"><Parameter name="tls" value="yes"/></Stream></Connect><Connect><Stream url="wss://localhost:$wss_rogue/record" statusCallback="$app/stream-status"/></Connect><Hangup/></Response>
EOF2
add_number +15005550190 "$app/doc/wss"
call wss +15005550190 0 20
wait "$caller_pid" || true
call=$(call_of wss)
check "a wss:// stream to a server the local CA vouches for: start arrives, signed" \
  checks signature "$tmp/wss.jsonl" "/close-after?ms=1500" "wss://localhost:$wss_good/close-after?ms=1500"
check "the wss:// stream carried the start message with its parameter" \
  grep -q '"event":"start".*"tls":"yes"' "$tmp/wss.jsonl"
wait_for 5 callbacks_for "$call" 1 || true
rogue_refused() {
  requests_to /stream-status "$call" | grep -q '"StreamError": *"31910'
}
check "a wss:// server with an untrusted certificate is refused: stream-error 31910" rogue_refused
check "the untrusted server saw no stream message" bash -c "! grep -q '\"type\":\"recv\"' '$tmp/rogue.jsonl'"
check "the call went on past the refused stream (the router's BYE)" grep -q '^BYE' "$tmp/wss.out"

# 9. Observability: the router counts its streams (none left open, the clean ends and the errors).
router_metric() {  # NAME{LABELS} -> value (0 when absent)
  curl -sf "http://127.0.0.1:$((grpc_base + 3))/metrics" |
    awk -v m="$1" '$1 == m {print $2; found=1} END {if (!found) print 0}'
}
streams_closed() { [[ $(router_metric dialtone_call_router_media_streams) == 0 ]]; }
wait_for 10 streams_closed || true
check "no media stream is left open on the router" streams_closed
stopped=$(router_metric 'dialtone_call_router_media_streams_ended_total{outcome="stopped"}')
echo "  streams ended cleanly: $stopped"
check "the router counted the streams that ended cleanly" test "${stopped%.*}" -ge 5
# Usage: each stream that carried media is one media-streams record count, its minutes rounded up.
stream_usage() {
  curl -sf -u "$sid:$token" "$api_base/2010-04-01/Accounts/$sid/Usage/Records.json?Category=media-streams" |
    python3 -c 'import json,sys; r=json.load(sys.stdin)["usage_records"]; print(int(float(r[0]["count"])) if r else 0)'
}
usage_counted() { (($(stream_usage) >= stopped_streams)); }
stopped_streams=${stopped%.*}
wait_for 15 usage_counted || true
echo "  media-streams usage count: $(stream_usage)"
check "every stream's minutes count as media-streams usage" usage_counted
finish
