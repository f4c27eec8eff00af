#!/usr/bin/env bash
# Outbound calls and live call control end to end (call router part 1, Calls create/update):
# calls placed through the public REST API (rest-gateway -> CallRouter.CreateCall) ring SIPp
# callees that answer, are busy, never answer, or hang up themselves; live calls are redirected,
# hung up and canceled through Calls update. The SIP each callee saw (SIPp's own pass/fail), the status callbacks and their order, the signed
# requests the app saw, the Call resources and the REST errors are checked.
# Real processes on loopback: PostgreSQL, Redis, rest-gateway, usage-metering, call-router, SIPp.
set -euo pipefail
source "$(dirname "$0")/../lib/testlib.sh"

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d /tmp/dialtone-outbound.XXXXXX)
chmod 755 "$tmp"
# Calls to phone numbers go through a "trunk": a SIPp that demands digest credentials.
trunk_port=$(dt_free_port)
ROUTER_ENV=(DIALTONE_SIP_TRUNK="sip:127.0.0.1:$trunk_port" DIALTONE_SIP_TRUNK_USERNAME=trunkuser
            DIALTONE_SIP_TRUNK_PASSWORD=trunkpass)
source "$here/../lib/router_stack.sh"

api="http://127.0.0.1:$rest_port/2010-04-01/Accounts/$sid"
psql_q() { psql -h 127.0.0.1 -p "$pg_port" -U dialtone -d dialtone -Atqc "$1"; }
field() { python3 -c 'import json,sys; print(json.load(sys.stdin).get(sys.argv[1], ""))' "$1"; }

callee() { sipp_callee "$1" "$2" 40; }  # see testlib.sh
# place VAR=VALUE...: POST /Calls.json with these form fields; prints the JSON; status = curl's.
place() {
  local args=() kv
  for kv in "$@"; do args+=(--data-urlencode "$kv"); done
  curl -s -u "$sid:$token" -o "$tmp/place.json" -w '%{http_code}' "${args[@]}" "$api/Calls.json" >"$tmp/place.code"
  cat "$tmp/place.json"
}
update() {  # CALL_SID VAR=VALUE...
  local csid=$1 args=() kv
  shift
  for kv in "$@"; do args+=(--data-urlencode "$kv"); done
  curl -s -u "$sid:$token" -o "$tmp/update.json" -w '%{http_code}' "${args[@]}" "$api/Calls/$csid.json"
}
call_status() { curl -sf -u "$sid:$token" "$api/Calls/$1.json" | field status; }
status_is() { [[ $(call_status "$1") == "$2" ]]; }
exited_ok() { wait "$1"; }  # a SIPp callee's verdict

# 1. Answered: the document runs (Pause 1, Hangup); every status callback event, in order.
callee builtin-uas answer
ans_pid=$callee_pid
j=$(place "To=$callee_uri" From=+15557650000 "Url=$app/pause-1" "StatusCallback=$app/ocb" \
  StatusCallbackEvent=initiated StatusCallbackEvent=ringing StatusCallbackEvent=answered \
  StatusCallbackEvent=completed)
check "Calls create answers 201" test "$(cat "$tmp/place.code")" = 201
answered_sid=$(field sid <<<"$j")
check "the new call reads queued, outbound-api, with the given To and From" python3 -c '
import json, sys; c = json.loads(sys.argv[1])
sys.exit(0 if c["status"] in ("queued", "ringing") and c["direction"] == "outbound-api"
         and c["to"].startswith("sip:answer@") and c["from"] == "+15557650000" else 1)' "$j"
check "the answered call ends completed" wait_for 15 status_is "$answered_sid" completed
check "the callee saw INVITE, ACK and a BYE from Dialtone (SIPp uas passed)" exited_ok "$ans_pid"
j=$(curl -sf -u "$sid:$token" "$api/Calls/$answered_sid.json")
check "the answered call lasted about a second, with start and end times" python3 -c '
import json, sys; c = json.loads(sys.argv[1])
sys.exit(0 if c["duration"] in ("1", "2") and c["start_time"] and c["end_time"] else 1)' "$j"

# 2. Busy and 3. no answer within Timeout.
callee uas_busy.xml busy
busy_pid=$callee_pid
busy_sid=$(place "To=$callee_uri" From=+15557650000 "Url=$app/hangup" | field sid)
check "a callee answering 486 makes the call busy" wait_for 10 status_is "$busy_sid" busy
check "the busy callee got its ACK" exited_ok "$busy_pid"
callee uas_ring_forever.xml ring
ring_pid=$callee_pid
start=$(date +%s)
noans_sid=$(place "To=$callee_uri" From=+15557650000 "Url=$app/hangup" Timeout=2 | field sid)
check "the ringing call reads ringing" wait_for 5 status_is "$noans_sid" ringing
check "a callee not answering within Timeout=2 ends no-answer" wait_for 10 status_is "$noans_sid" no-answer
elapsed=$(( $(date +%s) - start ))
check "no-answer came after the 2 s timeout, not later ($elapsed s)" test "$elapsed" -le 5
check "the unanswered callee got CANCEL, then the ACK of its 487" exited_ok "$ring_pid"

# 4. Redirect a live call; 5. hang it up; 6. cancel a ringing one; 7. the callee hangs up.
callee builtin-uas redirect
redir_pid=$callee_pid
redir_sid=$(place "To=$callee_uri" From=+15557650000 "Url=$app/pause-long" | field sid)
check "the call to redirect is in progress" wait_for 10 status_is "$redir_sid" in-progress
code=$(update "$redir_sid" "Url=$app/redirect-hangup" Method=POST)
check "Calls update with Url answers 200" test "$code" = 200
check "the redirected call runs the new document and ends completed" wait_for 5 status_is "$redir_sid" completed
check "the redirected call's callee got the BYE" exited_ok "$redir_pid"
check "the app was asked for the redirect URL with the call's SID" python3 -c '
import json, sys, urllib.parse, urllib.request
reqs = json.load(urllib.request.urlopen(sys.argv[1] + "/_requests"))
hits = [dict(urllib.parse.parse_qsl(r["body"])) for r in reqs if r["path"] == "/redirect-hangup"]
sys.exit(0 if any(h.get("CallSid") == sys.argv[2] and h.get("Direction") == "outbound-api"
                  and h.get("CallStatus") == "in-progress" for h in hits) else 1)' "$app" "$redir_sid"
code=$(update "$redir_sid" "Url=$app/hangup")
check "redirecting an ended call answers 400 with code 21220" \
  python3 -c 'import json,sys; e = json.load(open(sys.argv[1])); sys.exit(0 if sys.argv[2] == "400" and e["code"] == 21220 else 1)' \
  "$tmp/update.json" "$code"

callee builtin-uas hangup
hang_pid=$callee_pid
hang_sid=$(place "To=$callee_uri" From=+15557650000 "Url=$app/pause-long" | field sid)
check "the call to hang up is in progress" wait_for 10 status_is "$hang_sid" in-progress
code=$(update "$hang_sid" Status=completed)
check "Status=completed answers 200 and the call reads completed at once" \
  python3 -c 'import json,sys; c = json.load(open(sys.argv[1])); sys.exit(0 if sys.argv[2] == "200" and c["status"] == "completed" else 1)' \
  "$tmp/update.json" "$code"
check "the hung-up callee got the BYE" exited_ok "$hang_pid"

callee uas_ring_forever.xml cancel
cancel_pid=$callee_pid
cancel_sid=$(place "To=$callee_uri" From=+15557650000 "Url=$app/hangup" | field sid)
check "the call to cancel is ringing" wait_for 5 status_is "$cancel_sid" ringing
code=$(update "$cancel_sid" Status=canceled)
check "Status=canceled on a ringing call answers 200, reading canceled" \
  python3 -c 'import json,sys; c = json.load(open(sys.argv[1])); sys.exit(0 if sys.argv[2] == "200" and c["status"] == "canceled" else 1)' \
  "$tmp/update.json" "$code"
check "the canceled callee got CANCEL" exited_ok "$cancel_pid"

callee uas_answer_then_bye.xml byer
byer_pid=$callee_pid
byer_sid=$(place "To=$callee_uri" From=+15557650000 "Url=$app/pause-long" | field sid)
check "a callee's BYE ends the call completed" wait_for 10 status_is "$byer_sid" completed
check "the callee's BYE got 200" exited_ok "$byer_pid"

# Inline TwiML runs without a fetch.
callee builtin-uas twiml
twiml_pid=$callee_pid
twiml_sid=$(place "To=$callee_uri" From=dialtone "Twiml=<Response><Hangup/></Response>" | field sid)
check "a call placed with Twiml runs it (Hangup) and ends completed" wait_for 10 status_is "$twiml_sid" completed
check "the Twiml call's callee got the BYE" exited_ok "$twiml_pid"

# Record=true records the whole call (here: what the call says), as source OutboundAPI.
callee builtin-uas recorded
rec_pid=$callee_pid
rec_sid=$(place "To=$callee_uri" From=+15557650000 Record=true "RecordingStatusCallback=$app/recstatus" \
  "Twiml=<Response><Say>This call is recorded</Say><Pause length=\"1\"/></Response>" | field sid)
check "the recorded call ends completed" wait_for 20 status_is "$rec_sid" completed
check "its callee got the BYE" exited_ok "$rec_pid"
recording_of() {
  curl -sf -u "$sid:$token" "$api/Calls/$rec_sid/Recordings.json" | python3 -c '
import json, sys
rs = json.load(sys.stdin)["recordings"]
ok = len(rs) == 1 and rs[0]["source"] == "OutboundAPI" and rs[0]["status"] == "completed" and 2 <= int(rs[0]["duration"]) <= 4
print(rs); sys.exit(0 if ok else 1)'
}
check "Record=true left one recording of the call (OutboundAPI, 2-4 s)" wait_for 10 recording_of
check "the recording status callback came for it" python3 -c '
import json, sys, urllib.parse, urllib.request
reqs = json.load(urllib.request.urlopen(sys.argv[1] + "/_requests"))
got = [dict(urllib.parse.parse_qsl(r["body"])) for r in reqs if r["path"] == "/recstatus"]
sys.exit(0 if any(g.get("CallSid") == sys.argv[2] and g.get("RecordingSource") == "OutboundAPI" for g in got) else 1)' \
  "$app" "$rec_sid"

# A phone number goes through the trunk, which challenges: the router answers with the trunk's
# credentials, the trunk answers the call.
sipp -sf "$here/sipp/uas_trunk_auth.xml" -i 127.0.0.1 -p "$trunk_port" -m 1 -timeout 30s \
  -timeout_error -nostdin >"$tmp/trunk.log" 2>&1 &
trunk_pid=$!
pids+=("$trunk_pid")
wait_for 5 dt_udp_bound "$trunk_port"
trunk_sid=$(place To=+15551230000 From=+15557650000 \
  "Twiml=<Response><Pause length=\"1\"/><Hangup/></Response>" | field sid)
check "a call to a phone number via the digest-protected trunk ends completed" \
  wait_for 15 status_is "$trunk_sid" completed
check "the trunk saw the number in the Request-URI and valid credentials (SIPp passed)" \
  exited_ok "$trunk_pid"

# Status callbacks of the answered call: initiated, ringing, answered, completed, numbered.
check "the status callbacks came in order: initiated, ringing, in-progress, completed" python3 -c '
import json, sys, urllib.parse, urllib.request
reqs = json.load(urllib.request.urlopen(sys.argv[1] + "/_requests"))
cbs = [dict(urllib.parse.parse_qsl(r["body"])) for r in reqs if r["path"] == "/ocb"]
cbs = [c for c in cbs if c.get("CallSid") == sys.argv[2]]
got = [(c.get("CallStatus"), c.get("SequenceNumber")) for c in cbs]
want = [("initiated", "0"), ("ringing", "1"), ("in-progress", "2"), ("completed", "3")]
print(got); sys.exit(0 if got == want and cbs[-1].get("CallDuration") in ("1", "2") else 1)' \
  "$app" "$answered_sid"
check "every request to the app is signed with the account's token" python3 - "$app" "$token" <<'PY'
import base64, hashlib, hmac, json, sys, urllib.parse, urllib.request
app, token = sys.argv[1], sys.argv[2]
reqs = json.load(urllib.request.urlopen(app + "/_requests"))
for r in reqs:
    url = app + r["path"]
    params = sorted(urllib.parse.parse_qsl(r["body"], keep_blank_values=True))
    data = url + "".join(k + v for k, v in params)
    sig = base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()
    if sig != r["headers"].get("x-twilio-signature"):
        print("bad signature on", r["path"]); sys.exit(1)
sys.exit(0 if reqs else 1)
PY

# Calls list by time: StartTime (that UTC day), StartTime< / StartTime> (twilio-node's
# startTimeBefore / startTimeAfter), EndTime likewise.
count_calls() {  # QUERY -> number of calls listed
  curl -sf -u "$sid:$token" -G "$api/Calls.json" --data-urlencode PageSize=1000 "$@" |
    python3 -c 'import json,sys; print(len(json.load(sys.stdin)["calls"]))'
}
today=$(date -u +%F)
all=$(count_calls)
answered=$(psql_q "select count(*) from calls where start_time::date = '$today'::date")
check "StartTime=today lists every call that started today ($answered)" test "$(count_calls --data-urlencode "StartTime=$today")" = "$answered"
check "StartTime< 2000-01-01 lists none" test "$(count_calls --data-urlencode 'StartTime<=2000-01-01')" = 0
check "StartTime> 2000-01-01 lists every call that started ($answered of $all)" \
  test "$(count_calls --data-urlencode 'StartTime>=2000-01-01')" = "$answered"
check "EndTime> 2100-01-01 lists none" test "$(count_calls --data-urlencode 'EndTime>=2100-01-01')" = 0
check "a malformed StartTime is a 400" \
  test "$(curl -s -o /dev/null -w '%{http_code}' -u "$sid:$token" "$api/Calls.json?StartTime=yesterday")" = 400

# REST errors, with Twilio's codes.
err_is() {  # HTTP_STATUS CODE VAR=VALUE...
  local want_status=$1 want_code=$2
  shift 2
  place "$@" >/dev/null
  python3 -c 'import json,sys; e = json.load(open(sys.argv[1])); sys.exit(0 if sys.argv[2] == sys.argv[3] and e["code"] == int(sys.argv[4]) and e["status"] == int(sys.argv[3]) else 1)' \
    "$tmp/place.json" "$(cat "$tmp/place.code")" "$want_status" "$want_code"
}
check "no To: 400 with 21201" err_is 400 21201 From=+15557650000 "Url=$app/hangup"
check "no From: 400 with 21213" err_is 400 21213 To=sip:a@127.0.0.1 "Url=$app/hangup"
check "a malformed To: 400 with 21211" err_is 400 21211 To=12345 From=+15557650000 "Url=$app/hangup"
check "a malformed From: 400 with 21212" err_is 400 21212 To=sip:a@127.0.0.1 "From=bad from" "Url=$app/hangup"
check "no Url, Twiml or ApplicationSid: 400 with 21205" err_is 400 21205 To=sip:a@127.0.0.1 From=+15557650000
check "an invalid Url: 400 with 21205" err_is 400 21205 To=sip:a@127.0.0.1 From=+15557650000 Url=notaurl
check "broken Twiml: 400 with 12100" err_is 400 12100 To=sip:a@127.0.0.1 From=+15557650000 "Twiml=<Response>"
check "Timeout over 600: 400" err_is 400 21216 To=sip:a@127.0.0.1 From=+15557650000 "Url=$app/hangup" Timeout=601
code=$(update CA00000000000000000000000000000000 Status=completed)
check "updating an unknown call: 404 with 20404" \
  python3 -c 'import json,sys; e = json.load(open(sys.argv[1])); sys.exit(0 if sys.argv[2] == "404" and e["code"] == 20404 else 1)' \
  "$tmp/update.json" "$code"
check "the router is still running" kill -0 "$router_pid"
finish
