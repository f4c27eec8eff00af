#!/usr/bin/env bash
# `scripts/dev up` starts the demo app and binds the demo number to it (once: a second up reuses
# it); `scripts/dev call` places a SIPp call to it and reports the SIP answers, their timing and
# the Call resource; the demo app logs the signed requests as valid. Busy and unknown numbers
# make `call` fail unless --busy-ok accepts the busy one. Private stack on free ports.
set -euo pipefail
source "$(dirname "$0")/../lib/testlib.sh"

tmp=$(mktemp -d /tmp/dialtone-devcall.XXXXXX)
chmod 755 "$tmp"
stack_env "$tmp"
unset DIALTONE_DEMO_NUMBER
dev=$DIALTONE_SOURCE_DIR/scripts/dev
cleanup() {
  local rc=$?
  "$dev" down >/dev/null 2>&1 || true
  remove_tmp "$tmp" "$rc"
}
trap cleanup EXIT

"$dev" up >"$tmp/up1.log" 2>&1 </dev/null || { cat "$tmp/up1.log" >&2; fail "scripts/dev up"; finish; }
pass "scripts/dev up exits 0"
app=$(env_value DIALTONE_DEMO_APP_URL)
sid=$(env_value DIALTONE_ACCOUNT_SID)
token=$(env_value DIALTONE_AUTH_TOKEN)
api=$(env_value DIALTONE_API_URL)
log=$DIALTONE_DEV_DIR/logs/demo-app.log
check ".dev/env exports the demo app's URL on DIALTONE_DEMO_APP_PORT" \
  test "$app" = "http://127.0.0.1:$DIALTONE_DEMO_APP_PORT"
check ".dev/env exports the demo number" test "$(env_value DIALTONE_DEMO_NUMBER)" = +15005550006
check "up prints the demo number and where it points" \
  grep -q "Demo number    +15005550006 -> $app/voice   (PN" "$tmp/up1.log"
check "the demo app serves the Pause-then-Hangup TwiML at /voice" \
  bash -c "curl -sf '$app/voice' | grep -q '<Response><Pause length=\"1\"/><Hangup/></Response>'"
check "the demo app serves Reject busy at /busy" \
  bash -c "curl -sf '$app/busy' | grep -q '<Reject reason=\"busy\"/>'"

numbers() {  # NUMBER -> the account's IncomingPhoneNumbers with that PhoneNumber (JSON)
  curl -sf -u "$sid:$token" -G "$api/Accounts/$sid/IncomingPhoneNumbers.json" --data-urlencode "PhoneNumber=$1"
}
number_bound() {
  numbers +15005550006 | python3 -c '
import json, sys
ns = [n for n in json.load(sys.stdin)["incoming_phone_numbers"] if n["phone_number"] == "+15005550006"]
app = sys.argv[1]
ok = len(ns) == 1 and ns[0]["voice_url"] == app + "/voice" and ns[0]["voice_method"] == "POST" \
     and ns[0]["status_callback"] == app + "/status"
print(ns if not ok else ns[0]["sid"]); sys.exit(0 if ok else 1)' "$app"
}
check "the demo number is bound to the demo app's /voice with /status callbacks (REST)" number_bound
pn=$(number_bound || true)

"$dev" up >"$tmp/up2.log" 2>&1 </dev/null && rc=0 || rc=$?
check "a second up exits 0" test "$rc" -eq 0
check "the second up reuses the demo number" grep -q "demo number +15005550006: reused $pn" "$tmp/up2.log"
check "still exactly one demo number, bound the same way" number_bound

"$dev" call +15005550006 >"$tmp/call.out" 2>&1 </dev/null && rc=0 || rc=$?
cat "$tmp/call.out"
check "scripts/dev call +15005550006 exits 0" test "$rc" -eq 0
check "call shows 100 Trying and 180 Ringing" grep -q "100 Trying +[0-9]* ms, 180 Ringing" "$tmp/call.out"
check "call shows the 200 OK" grep -qE '^ +\+[0-9]+ ms  200 OK$' "$tmp/call.out"
check "call shows the BYE from Dialtone" grep -qE '^ +\+[0-9]+ ms  BYE received$' "$tmp/call.out"
answer_ms=$(sed -nE 's/.*200 OK \+([0-9]+) ms.*/\1/p' "$tmp/call.out" | head -n 1)
# <Pause> as the first verb delays the answer (as on Twilio), so the 200 comes about 1 s in.
check "the 200 OK comes about 1 s after the INVITE (<Pause length=1> first: ${answer_ms:-?} ms)" \
  test "${answer_ms:-0}" -ge 900 -a "${answer_ms:-0}" -le 2500
check "the call is reported answered and hung up by Dialtone" \
  grep -q "^Result: answered, then hung up by the far end" "$tmp/call.out"
# Answered after the pause and hung up at once, so it lasted under a second.
check "the Call resource is completed, inbound, duration 0 or 1" \
  grep -qE '^Call CA[0-9a-f]{32}: status completed, direction inbound, duration [01] s$' "$tmp/call.out"

signed_ok() {  # PATH CALLSTATUS: a logged request to PATH for the demo number with a valid signature
  python3 - "$log" "$1" "$2" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
hits = [r for r in rows if r.get("msg") == "request" and r["path"] == sys.argv[2]
        and r["params"].get("To") == "+15005550006" and r["params"].get("CallStatus") == sys.argv[3]]
ok = hits and all(r["signature"] == "valid" and r["method"] == "POST" for r in hits)
if not ok: print(hits)
sys.exit(0 if ok else 1)
PY
}
check "the demo app logged the voice request (ringing) with a valid signature" signed_ok /voice ringing
check "the demo app logged the status callback (completed) with a valid signature" \
  wait_for 5 signed_ok /status completed
check "the demo app's log is JSON lines with ts, level and service" \
  python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
sys.exit(0 if rows and all(r["service"] == "demo-app" and r["ts"] and r["level"] for r in rows) else 1)' "$log"

# A busy number (the demo app's /busy), bound through the REST API.
curl -sf -u "$sid:$token" "$api/Accounts/$sid/IncomingPhoneNumbers.json" \
  --data-urlencode PhoneNumber=+15005550007 --data-urlencode "VoiceUrl=$app/busy" >/dev/null
"$dev" call +15005550007 >"$tmp/busy.out" 2>&1 </dev/null && rc=0 || rc=$?
cat "$tmp/busy.out"
check "a busy call makes scripts/dev call exit 1" test "$rc" -eq 1
check "it prints the 486 Busy Here" grep -q "^Result: refused with 486 Busy Here" "$tmp/busy.out"
check "and the busy Call resource" grep -qE '^Call CA[0-9a-f]{32}: status busy, direction inbound' "$tmp/busy.out"
"$dev" call +15005550007 --busy-ok >"$tmp/busy-ok.out" 2>&1 </dev/null && rc=0 || rc=$?
check "--busy-ok accepts the busy call (exit 0)" test "$rc" -eq 0
"$dev" call +15009999999 >"$tmp/unknown.out" 2>&1 </dev/null && rc=0 || rc=$?
cat "$tmp/unknown.out"
check "an unknown number makes scripts/dev call exit 1" test "$rc" -eq 1
check "it prints the 404" grep -q "^Result: refused with 404 Not Found" "$tmp/unknown.out"
"$dev" call >/dev/null 2>&1 </dev/null && rc=0 || rc=$?
check "call without a NUMBER is a usage error" test "$rc" -ne 0

# The demo's /hello (Say, Gather one key) and its action /pressed (says the key back) are TwiML
# the router takes.
hello_ok() {
  curl -sf -X POST "$app/hello" | "$CTL" twiml check --url "$app/hello" - >"$tmp/hello.json" &&
    grep -q '"gather"\|"Gather"' "$tmp/hello.json"
}
check "the demo's /hello is valid TwiML with a Gather" hello_ok
check "the demo's /pressed says the key back" \
  bash -c "curl -sf -X POST --data Digits=5 '$app/pressed' | grep -q '<Say>You pressed 5.</Say>'"

app_pid=$(cat "$DIALTONE_DEV_DIR/pids/demo-app.pid")
"$dev" down >"$tmp/down.log" 2>&1 </dev/null && rc=0 || rc=$?
check "scripts/dev down exits 0" test "$rc" -eq 0
check "down stops the demo app" bash -c "! kill -0 $app_pid 2>/dev/null"
check "nothing listens on the demo app's port" bash -c "! (exec 3<>/dev/tcp/127.0.0.1/$DIALTONE_DEMO_APP_PORT) 2>/dev/null"
"$dev" call +15005550006 >"$tmp/down-call.out" 2>&1 </dev/null && rc=0 || rc=$?
check "a call with the stack down fails at once, saying so" \
  bash -c "test $rc -ne 0 && grep -q 'is not running' '$tmp/down-call.out'"

if ((T_FAILS > 0)); then
  echo "--- up"; cat "$tmp/up1.log"
  echo "--- demo app log"; cat "$log"
  echo "--- router log (tail)"; tail -n 30 "$DIALTONE_DEV_DIR/logs/call-router.log"
fi
finish
