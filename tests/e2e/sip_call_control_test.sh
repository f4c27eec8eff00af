#!/usr/bin/env bash
# Inbound SIP calls end to end (call router part 1): SIPp calls numbers whose app (app_server.py)
# returns Reject busy/rejected, Hangup, Pause->Hangup, Redirect->Hangup, or calls an unknown
# number; the SIP answers and timing, the signed requests the app saw, the status callback and
# the Call resources (read back through rest-gateway -> CallRouter.GetCall) are checked. Then
# every RFC 4475 torture message goes to the SIP port and the router must still answer.
# Real processes on loopback: PostgreSQL, rest-gateway (auth tokens), call-router, SIPp.
set -euo pipefail
source "$(dirname "$0")/../lib/testlib.sh"

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d /tmp/dialtone-sip.XXXXXX)
chmod 755 "$tmp"
source "$here/../lib/router_stack.sh"

psql_q() { psql -h 127.0.0.1 -p "$pg_port" -U dialtone -d dialtone -Atqc "$1"; }
add_number() {  # NUMBER PATH [STATUS_CALLBACK] [FALLBACK_PATH]
  local pn fallback=${4:+$app$4}
  pn=PN$(python3 -c 'import uuid; print(uuid.uuid4().hex)')
  psql_q "insert into incoming_phone_numbers (sid, account_sid, phone_number, voice_url, status_callback, voice_fallback_url)
          values ('$pn', '$sid', '$1', '$app$2', '${3:-}', '$fallback')"
}
add_number +15005550001 /reject-busy
add_number +15005550002 /reject
add_number +15005550003 /hangup "$app/callback"
add_number +15005550004 /pause-hangup
add_number +15005550005 /redirect-hangup
add_number +15005550006 /say
add_number +15005550007 /pause-hangup "$app/callback"
add_number +15005550008 /error "" /fallback
add_number +15005550009 /error

# sipp_call SCENARIO NUMBER: one call; prints the seconds it took; status = SIPp's.
sipp_call() {
  local start rc
  start=$(date +%s.%N)
  sipp "127.0.0.1:$sip_port" -sf "$here/sipp/$1" -s "$2" -i 127.0.0.1 -p "$(dt_free_port)" \
    -m 1 -timeout 20s -timeout_error -nostdin >"$tmp/sipp-$2.log" 2>&1 && rc=0 || rc=$?
  python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$start" "$(date +%s.%N)"
  return "$rc"
}
within() { python3 -c 'import sys; v, lo, hi = map(float, sys.argv[1:]); sys.exit(0 if lo <= v <= hi else 1)' "$@"; }

t=$(sipp_call uac_expect_486.xml +15005550001) && rc=0 || rc=$?
check "Reject reason=busy: 180 then 486 Busy Here" test "$rc" -eq 0
t=$(sipp_call uac_expect_603.xml +15005550002) && rc=0 || rc=$?
check "Reject (rejected): 180 then 603 Decline" test "$rc" -eq 0
t=$(sipp_call uac_answer_bye.xml +15005550003) && rc=0 || rc=$?
check "Hangup: 200 with a PCMU answer, ACK, then BYE from the router" test "$rc" -eq 0
check "Hangup ends the call quickly ($t s)" within "$t" 0 1.5
t=$(sipp_call uac_answer_bye.xml +15005550004) && rc=0 || rc=$?
check "Pause then Hangup: 200, ACK, BYE" test "$rc" -eq 0
check "Pause length=2 delays the answer by 2 s ($t s)" within "$t" 1.9 3.0
t=$(sipp_call uac_answer_bye.xml +15005550005) && rc=0 || rc=$?
check "Redirect then Hangup: 200, ACK, BYE" test "$rc" -eq 0
t=$(sipp_call uac_expect_404.xml +15009999999) && rc=0 || rc=$?
check "an unknown number gets 404" test "$rc" -eq 0
t=$(sipp_call uac_answer_bye.xml +15005550006) && rc=0 || rc=$?
check "Say is answered, spoken (media layer) and hung up" test "$rc" -eq 0
check "Say took as long as its speech, not an instant ($t s)" within "$t" 0.8 5
t=$(sipp_call uac_answer_bye.xml +15005550008) && rc=0 || rc=$?
check "a failing voice URL falls back to the fallback URL (its Hangup answers, then BYE)" test "$rc" -eq 0
t=$(sipp_call uac_expect_500.xml +15005550009) && rc=0 || rc=$?
check "a failing voice URL without fallback: 500 before answering" test "$rc" -eq 0
t=$(sipp_call uac_cancel.xml +15005550007) && rc=0 || rc=$?
check "CANCEL during a Pause before the answer: 200 to CANCEL, 487 to the INVITE" test "$rc" -eq 0
t=$(sipp_call bye_unknown_dialog.xml +15005550003) && rc=0 || rc=$?
check "a BYE in an unknown dialog gets 481" test "$rc" -eq 0
tcp_call() {  # SIPp over TCP (one connection per call)
  sipp "127.0.0.1:$sip_port" -sf "$here/sipp/uac_expect_486.xml" -s +15005550001 -t t1 \
    -i 127.0.0.1 -p "$(dt_free_port)" -m 1 -timeout 20s -timeout_error -nostdin >"$tmp/sipp-tcp.log" 2>&1
}
check "the SIP port takes calls over TCP too (Reject busy -> 486)" tcp_call

# Call rows are written by the router's store worker: give the last one a moment.
sleep 0.5
curl -sf "$app/_requests" >"$tmp/requests.json"
python3 - "$tmp/requests.json" "$app" >"$tmp/requests.check" <<'PY' || true
import json, sys, urllib.parse
reqs, app = json.load(open(sys.argv[1])), sys.argv[2]
for r in reqs:
    params = urllib.parse.parse_qsl(r["body"], keep_blank_values=True)
    print(json.dumps({"path": r["path"], "url": app + r["path"], "t": r["t"],
                      "sig": r["headers"].get("x-twilio-signature", ""), "params": params}))
PY
while IFS= read -r line; do
  url=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["url"])' "$line")
  sig=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["sig"])' "$line")
  mapfile -t kv < <(python3 -c 'import json,sys; [print(f"{k}={v}") for k, v in json.loads(sys.argv[1])["params"]]' "$line")
  if "$CTL" webhook validate --token "$token" --url "$url" --signature "$sig" "${kv[@]}" >"$tmp/validate.out" 2>&1; then
    pass "request to $url is signed with the account's token"
  else
    fail "request to $url is signed with the account's token: $(cat "$tmp/validate.out") $line"
  fi
done <"$tmp/requests.check"
param_check() {  # PATH -> checks the first request to PATH
  python3 - "$tmp/requests.check" "$1" "$sid" <<'PY'
import json, re, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
row = next(r for r in rows if r["path"] == sys.argv[2])
p = dict(row["params"])
want = {"From": "+15551234567", "Direction": "inbound", "AccountSid": sys.argv[3],
        "ApiVersion": "2010-04-01"}
bad = {k: p.get(k) for k, v in want.items() if p.get(k) != v}
if not re.fullmatch(r"CA[0-9a-f]{32}", p.get("CallSid", "")): bad["CallSid"] = p.get("CallSid")
if not p.get("To", "").startswith("+150055500"): bad["To"] = p.get("To")
if row["path"] != "/callback" and p.get("CallStatus") != "ringing": bad["CallStatus"] = p.get("CallStatus")
print(bad or "ok")
sys.exit(1 if bad else 0)
PY
}
for path in /reject-busy /reject /hangup /pause-hangup /redirect-hangup; do
  check "the app saw CallSid, From, To, CallStatus=ringing, Direction=inbound for $path" param_check "$path"
done
check "Redirect fetched /hangup after /redirect-hangup" \
  grep -q '"path": "/hangup".*"To", "+15005550005"' "$tmp/requests.check"
check "the status callback arrived for the Hangup number with CallStatus=completed" \
  python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
cb = [dict(r["params"]) for r in rows if r["path"] == "/callback" and dict(r["params"]).get("To") == "+15005550003"]
sys.exit(0 if len(cb) == 1 and cb[0].get("CallStatus") == "completed" and cb[0].get("SequenceNumber") == "0"
         and cb[0].get("CallDuration") in ("0", "1") and cb[0].get("To") == "+15005550003" else 1)' "$tmp/requests.check"

# The Call resources, through the public API (rest-gateway -> CallRouter.GetCall).
call_json() {  # NUMBER -> the call's JSON from GET /Calls/{sid}.json
  local csid
  csid=$(psql_q "select sid from calls where to_number = '$1' order by date_created limit 1")
  curl -sf -u "$sid:$token" "http://127.0.0.1:$rest_port/2010-04-01/Accounts/$sid/Calls/$csid.json"
}
call_is() {  # NUMBER STATUS MIN_DURATION MAX_DURATION
  local j
  j=$(call_json "$1") || { echo "no call for $1"; return 1; }
  python3 -c '
import json, sys
c = json.loads(sys.argv[1]); status, lo, hi = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
ok = (c["status"] == status and c["direction"] == "inbound" and c["from"] == "+15551234567"
      and c["to"] == sys.argv[5] and c["start_time"] and c["end_time"]
      and lo <= int(c["duration"]) <= hi)
print(c if not ok else "ok"); sys.exit(0 if ok else 1)' "$j" "$2" "$3" "$4" "$1"
}
check "busy call reads back busy, inbound, duration 0" call_is +15005550001 busy 0 0
check "rejected call reads back no-answer" call_is +15005550002 no-answer 0 0
check "hung-up call reads back completed" call_is +15005550003 completed 0 1
check "paused call reads back completed (answered after the pause)" call_is +15005550004 completed 0 1
check "redirected call reads back completed" call_is +15005550005 completed 0 1
check "canceled call reads back canceled, duration 0" call_is +15005550007 canceled 0 0
check "the canceled call's status callback says CallStatus=canceled" \
  python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
cb = [dict(r["params"]) for r in rows if r["path"] == "/callback" and dict(r["params"]).get("To") == "+15005550007"]
sys.exit(0 if len(cb) == 1 and cb[0].get("CallStatus") == "canceled" and cb[0].get("CallDuration") == "0" else 1)' "$tmp/requests.check"
check "the fallback fetch followed the failed one" \
  grep -q '"path": "/fallback".*"To", "+15005550008"' "$tmp/requests.check"
check "fallback call reads back completed" call_is +15005550008 completed 0 1
check "call whose document could not be fetched reads back failed" call_is +15005550009 failed 0 0
check "no Call row for the unknown number" test "$(psql_q "select count(*) from calls where to_number like '%5009999999'")" -eq 0
check "paused call answered about 2 s after it was created" \
  test "$(psql_q "select extract(epoch from start_time - date_created) between 1.8 and 3 from calls where to_number = '+15005550004'")" = t

# RFC 4475 torture messages, then the router must still be up and answering.
python3 "$here/sip_send_torture.py" 127.0.0.1 "$sip_port" "$DIALTONE_SOURCE_DIR/tests/data/sip-torture/rfc4475" \
  >"$tmp/torture.log" 2>&1 || true
cat "$tmp/torture.log"
check "every torture message was sent" test "$(grep -c '\.dat:' "$tmp/torture.log")" -eq 49
check "CSeq method different from the request's gets 400" grep -q '^probe-cseq-mismatch: SIP/2.0 400' "$tmp/torture.log"
check "Content-Length past the datagram gets 400" grep -q '^probe-bad-content-length: SIP/2.0 400' "$tmp/torture.log"
check "an unparsable CSeq gets 400" grep -q '^probe-bad-cseq: SIP/2.0 400' "$tmp/torture.log"
check "an unknown method gets 501" grep -q '^probe-unknown-method: SIP/2.0 501' "$tmp/torture.log"
check "call-router survived the torture messages" alive "$router_pid"
t=$(sipp_call options.xml ping) && rc=0 || rc=$?
check "OPTIONS is answered 200 after the torture messages" test "$rc" -eq 0
t=$(sipp_call uac_expect_486.xml +15005550001) && rc=0 || rc=$?
check "a call still works after the torture messages" test "$rc" -eq 0

# Usage: every answered call counted once in calls-inbound (and rolled up into calls).
inbound_calls() {
  "$CTL" usage query --account "$sid" --addr "$metering_grpc" 2>/dev/null | python3 -c '
import json, sys
recs = json.load(sys.stdin).get("records", [])
c = {r["category"]: int(r.get("count", "0")) for r in recs}
print(c.get("calls-inbound", 0), c.get("calls", 0))'
}
answered=$(psql_q "select count(*) from calls where account_sid = '$sid' and status = 'completed'")
counted() { [[ $(inbound_calls) == "$answered $answered" ]]; }
check "usage counts each of the $answered answered calls once (calls-inbound = calls)" wait_for 15 counted
echo "# usage (calls-inbound calls): $(inbound_calls), answered calls: $answered"

kill -TERM "$router_pid"
rc=0
wait "$router_pid" || rc=$?
check "call-router stops cleanly on SIGTERM (exit $rc)" test "$rc" -eq 0
check "call-router logged no errors but the expected ones (failed fetches)" \
  test "$(grep '"level":"error"' "$tmp/router.log" | grep -v 'call ended by an error\|TwiML fetch failed' | grep -c .)" -eq 0

if ((T_FAILS > 0)); then
  echo "--- requests the app saw"; cat "$tmp/requests.check"
  echo "--- router log (tail)"; tail -n 40 "$tmp/router.log"
  for f in "$tmp"/sipp-*.log; do echo "--- $f"; tail -n 15 "$f"; done
fi
finish
