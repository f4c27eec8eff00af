#!/usr/bin/env bash
# Recording media like Twilio's, and limits per account (issue 21, items 2 and 4), end to end:
#  - voicemail: <Record>, then <Play> of the RecordingUrl posted to the action, is heard by the
#    caller (its RTP decoded: the 440 Hz tone it said), with authenticated media off and on;
#  - the media URL (bare, .wav, .mp3) answers anyone while the account's media is open, and 401
#    without credentials / 404 with another account's once it asks for them;
#  - a document that redirects to itself ends the call with 14106 after the account's cap of
#    requests; an account over its calls per second is refused (API 429 / 20429, SIP 480) and over
#    its concurrent calls (API 429 / 10004, SIP 486) while another account is unaffected; over its
#    API rate, 429 / 20429 with Retry-After.
# Real processes on loopback: PostgreSQL, Redis, the five services' four, the app server, a
# Python SIP caller (tests/e2e/voice_caller.py).
set -euo pipefail
source "$(dirname "$0")/../lib/testlib.sh"

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d /tmp/dialtone-limits.XXXXXX)
chmod 755 "$tmp"
source "$here/../lib/router_stack.sh"
psql_q() { psql -h 127.0.0.1 -p "$pg_port" -U dialtone -d dialtone -Atqc "$1"; }
add_number() {  # ACCOUNT NUMBER DOCUMENT-URL
  local pn
  pn=PN$(python3 -c 'import uuid; print(uuid.uuid4().hex)')
  psql_q "insert into incoming_phone_numbers (sid, account_sid, phone_number, voice_url)
          values ('$pn', '$1', '$2', '$3')" >/dev/null
}
doc() { cat >"$tmp/media/$1.xml"; }  # NAME < TwiML
settings() { "$CTL" accounts settings "$@" --addr "$gateway_grpc"; }
new_account() {  # NAME -> "SID TOKEN"
  "$CTL" accounts create --friendly-name "$1" --addr "$gateway_grpc" |
    python3 -c 'import json,sys; a=json.load(sys.stdin); print(a["sid"], a["auth_token"])'
}
call() { python3 -u "$here/voice_caller.py" "127.0.0.1:$sip_port" "$@"; }  # NUMBER OUT [TALK] [LIMIT]

doc voicemail <<EOF2
<Response><Record timeout="2" maxLength="10" playBeep="false" action="$app/play-recording"/></Response>
EOF2
add_number "$sid" +15005550071 "$app/doc/voicemail"

# heard FILE: the caller got at least half a second of a 440 Hz tone (zero crossings of the
# decoded mu-law, 20 ms packets with real energy).
heard() {
  python3 - "$1" <<'PY'
import audioop, json, sys
tone = 0
for line in open(sys.argv[1]):
    p = json.loads(line)
    if p["pt"] != 0: continue
    pcm = audioop.ulaw2lin(bytes.fromhex(p["payload"]), 2)
    if audioop.rms(pcm, 2) < 1500: continue
    samples = [int.from_bytes(pcm[i:i + 2], "little", signed=True) for i in range(0, len(pcm), 2)]
    crossings = sum(1 for a, b in zip(samples, samples[1:]) if (a < 0) != (b < 0))
    if 14 <= crossings <= 22: tone += 1  # 440 Hz: ~17.6 crossings in 20 ms
print(f"{tone} packets of the tone")
sys.exit(0 if tone >= 25 else 1)
PY
}
recording_url() {  # the RecordingUrl of the last /play-recording request
  requests_to /play-recording | tail -1 | python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["RecordingUrl"])'
}
http_code() { curl -s -o "$tmp/body" -w '%{http_code} %{content_type}' "$@"; }

# 1. Voicemail with the media open (the default).
check "voicemail: the caller's message is recorded, then played back to them" \
  call +15005550071 "$tmp/vm1.rtp" 3 40
check "the played-back message is the caller's tone (RTP decoded)" heard "$tmp/vm1.rtp"
url=$(recording_url)
check "the action got a RecordingUrl under the API ($url)" \
  test "${url#http://127.0.0.1:$rest_port/2010-04-01/Accounts/$sid/Recordings/RE}" != "$url"
check "media open: the bare URL is a WAV without credentials" \
  test "$(http_code "$url")" = "200 audio/x-wav"
check "media open: .mp3 without credentials" test "$(http_code "$url.mp3")" = "200 audio/mpeg"
check "the recording's metadata still needs credentials" \
  test "$(http_code "$url.json" | cut -d' ' -f1)" = 401

# 2. The account asks for credentials on its media.
check "dialtonectl accounts settings --set media_http_auth=true" \
  settings "$sid" --set media_http_auth=true
read -r sid2 token2 < <(new_account other)
check "media authenticated: no credentials is 401 / 20003" \
  test "$(http_code "$url.wav" | cut -d' ' -f1)" = 401
check "media authenticated: the 401 body is Twilio's error" grep -q 20003 "$tmp/body"
check "media authenticated: the account's credentials open it" \
  test "$(http_code -u "$sid:$token" "$url.wav")" = "200 audio/x-wav"
check "media authenticated: another account's credentials get 404" \
  test "$(http_code -u "$sid2:$token2" "$url.wav" | cut -d' ' -f1)" = 404
curl -sf -X POST "$app/_reset" >/dev/null
check "voicemail with authenticated media: recorded and played back" \
  call +15005550071 "$tmp/vm2.rtp" 3 40
check "the second message is heard too (read internally, not over HTTP)" heard "$tmp/vm2.rtp"
check "the router never fetched its own API over HTTP" \
  bash -c "! grep -q 'fetch policy' '$tmp/router.log'"

# 3. A Redirect loop ends at the account's cap, with Twilio's error.
doc loop <<EOF2
<Response><Redirect>$app/doc/loop</Redirect></Response>
EOF2
add_number "$sid" +15005550072 "$app/doc/loop"
check "max_quiet_steps=8 for the account" settings "$sid" --set max_quiet_steps=8
curl -sf -X POST "$app/_reset" >/dev/null
call +15005550072 "$tmp/loop.rtp" 0 20 >"$tmp/loop.out" || true
loops=$(curl -sf "$app/_requests" | python3 -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin) if r["path"] == "/doc/loop"))')
check "the loop was fetched exactly 8 times ($loops), then the call ended" test "$loops" = 8
check "the router logged Twilio's error for it (14106, document retrieval limit)" \
  grep -q "Document retrieval limit reached" "$tmp/router.log"

# 4. Calls per second: account B at 1 a second; account A unaffected.
read -r sidb tokenb < <(new_account limited)
check "calls_per_second=1 for account B" settings "$sidb" --set calls_per_second=1
doc reject <<<'<Response><Reject/></Response>'
add_number "$sidb" +15005550073 "$app/doc/reject"
add_number "$sid" +15005550074 "$app/doc/reject"
callers=()
for i in 1 2 3; do call +15005550073 "$tmp/b$i.rtp" 0 10 >"$tmp/b$i.out" & callers+=($!); done
wait "${callers[@]}" || true
codes=$(cat "$tmp"/b[123].out | sed -n 's/^STATUS //p' | sort | tr '\n' ' ')
check "three INVITEs at once to B: one run (603, its Reject), two 480 ($codes)" \
  test "$codes" = "480 480 603 "
callers=()
for i in 1 2 3; do call +15005550074 "$tmp/a$i.rtp" 0 10 >"$tmp/a$i.out" & callers+=($!); done
wait "${callers[@]}" || true
codes=$(cat "$tmp"/a[123].out | sed -n 's/^STATUS //p' | sort | tr '\n' ' ')
check "account A at the same time: all three run ($codes)" test "$codes" = "603 603 603 "
create() {  # SID TOKEN -> HTTP status and Twilio code of a CreateCall
  curl -s -u "$1:$2" -o "$tmp/create.json" -w '%{http_code}' \
    "http://127.0.0.1:$rest_port/2010-04-01/Accounts/$1/Calls.json" \
    --data-urlencode "To=sip:nobody@127.0.0.1:$(dt_free_port)" --data-urlencode From=+15005550006 \
    --data-urlencode "Twiml=<Response><Hangup/></Response>"
  echo " $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("code", "-"))' "$tmp/create.json")"
}
sleep 1.2  # B's bucket refills
b1=$(create "$sidb" "$tokenb"); b2=$(create "$sidb" "$tokenb")
check "API: B's first call is created ($b1), the second is 429 / 20429 ($b2)" \
  test "${b1%% *} $b2" = "201 429 20429"
a1=$(create "$sid" "$token")
check "API: A's call is created at the same time ($a1)" test "${a1%% *}" = 201
check "the router counts the refusals by limit" bash -c \
  "curl -sf http://127.0.0.1:$((grpc_base + 3))/metrics | grep -q 'dialtone_call_router_calls_refused_total{limit=\"calls_per_second\"} [3-9]'"

# 5. Concurrent calls: account C may have one call up.
read -r sidc tokenc < <(new_account concurrent)
check "max_concurrent_calls=1 for account C" settings "$sidc" --set max_concurrent_calls=1
doc hold <<<'<Response><Say>Please hold</Say><Pause length="4"/><Hangup/></Response>'
add_number "$sidc" +15005550075 "$app/doc/hold"
call +15005550075 "$tmp/c1.rtp" 0 20 >"$tmp/c1.out" &
c1=$!
wait_for 10 grep -q "STATUS 200" "$tmp/c1.out"
check "C's second call while the first is up: 486 Busy Here" \
  bash -c "python3 -u '$here/voice_caller.py' 127.0.0.1:$sip_port +15005550075 '$tmp/c2.rtp' 0 10 | grep -q 'STATUS 486'"
c2=$(create "$sidc" "$tokenc")
check "API: C's call while one is up is 429 / 10004 ($c2)" test "$c2" = "429 10004"
wait "$c1" || true
sleep 1  # its end is written
check "after the first call ends, C can call again" \
  bash -c "python3 -u '$here/voice_caller.py' 127.0.0.1:$sip_port +15005550075 '$tmp/c3.rtp' 0 20 | grep -q 'STATUS 200'"

# 6. API requests per second: D at 2; its burst past 2 is 429 / 20429 with Retry-After.
read -r sidd tokend < <(new_account api)
check "api_requests_per_second=2 for account D" settings "$sidd" --set api_requests_per_second=2
sleep 0.5
for i in 1 2 3 4 5; do
  curl -s -o /dev/null -D "$tmp/d$i.h" -w '%{http_code}\n' -u "$sidd:$tokend" \
    "http://127.0.0.1:$rest_port/2010-04-01/Accounts/$sidd.json"
done >"$tmp/d.codes"
check "D's five requests in a burst: two pass, three 429 ($(tr '\n' ' ' <"$tmp/d.codes"))" \
  test "$(sort "$tmp/d.codes" | tr '\n' ' ')" = "200 200 429 429 429 "
check "a 429 says when to retry" grep -qi '^retry-after: [0-9]' "$tmp/d5.h"
check "account A is unaffected meanwhile" test "$(curl -s -o /dev/null -w '%{http_code}' \
  -u "$sid:$token" "http://127.0.0.1:$rest_port/2010-04-01/Accounts/$sid.json")" = 200
check "the settings read back with the defaults filled in" bash -c \
  "$CTL accounts settings $sidd --addr $gateway_grpc | python3 -c '
import json, sys
r = json.load(sys.stdin); e = r[\"effective\"]
sys.exit(0 if e[\"api_requests_per_second\"] == 2 and e[\"max_call_seconds\"] == 14400
         and r[\"overrides\"] == {\"api_requests_per_second\": 2} else 1)'"
finish
