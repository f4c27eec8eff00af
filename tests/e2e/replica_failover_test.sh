#!/usr/bin/env bash
# A router dies or drains under load, behind the front door (`scripts/dev up --replicas 2`,
# Kamailio, leases of 5 s). SIPp sends calls at 50 a second (Say, Pause 5 s, Hangup) through
# Kamailio and, a few seconds in, one router gets
# - SIGKILL: every call the dead router held ends `completed` (answered) or `failed` within 60 s,
#   ended by the other router, each with one status callback saying so and its usage counted
#   once; every call begun after the kill is answered and completed by the other router;
# - SIGTERM (a new stack): no call is dropped: every call completes with its full length, the
#   draining router's last calls end normally, and it stops after its last call.
set -euo pipefail
source "$(dirname "$0")/../lib/testlib.sh"
source "$DIALTONE_SOURCE_DIR/tests/lib/replica_stack.sh"

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d /tmp/dialtone-failover.XXXXXX)
chmod 755 "$tmp"
app_pid=
cleanup() {
  local rc=$?
  [[ -n $app_pid ]] && kill "$app_pid" 2>/dev/null
  replica_stack_down
  remove_tmp "$tmp" "$rc"
}
trap cleanup EXIT
RATE=50
CALLS=600  # 12 s of calls
export DIALTONE_CALL_LEASE_SECONDS=5 DIALTONE_DRAIN_SECONDS=30
export DIALTONE_TEST_RTP_PORTS=1600  # 400 calls on each router

mkdir -p "$tmp/docs"
echo '<Response><Say>Hello</Say><Pause length="5"/><Hangup/></Response>' >"$tmp/docs/five.xml"
python3 -u "$DIALTONE_SOURCE_DIR/tests/lib/app_server.py" 0 "$tmp/docs" >"$tmp/app.out" 2>&1 &
app_pid=$!
wait_for 10 grep -q '^PORT ' "$tmp/app.out" || { fail "app server started"; finish; }
app="http://127.0.0.1:$(sed -n 's/^PORT //p' "$tmp/app.out")"

psql_q() { psql -h 127.0.0.1 -p "$DIALTONE_LOCAL_PG_PORT" -U dialtone -d dialtone -Atqc "$1"; }
NUMBER=+15005550170
# run_load NAME SIGNAL: a stack, SIPp's calls, SIGNAL to router 0 four seconds in. Sets t_signal
# (epoch seconds), sipp_rc, router0_pid.
run_load() {
  replica_stack_up "$tmp/$1" 2 || { fail "scripts/dev up --replicas 2"; finish; }
  psql_q "insert into incoming_phone_numbers (sid, account_sid, phone_number, voice_url, status_callback)
          values ('PN$(python3 -c 'import uuid; print(uuid.uuid4().hex)')', '$sid', '$NUMBER',
                  '$app/doc/five', '$app/callback')" >/dev/null
  curl -sf -X POST "$app/_reset" >/dev/null
  router0_pid=$(replica_pid call-router 0)
  (cd "$tmp/$1" && sipp "$sip_target" -sf "$here/sipp/bench_uac_far_bye.xml" -s "$NUMBER" \
    -i 127.0.0.1 -p "$(dt_free_port)" -r "$RATE" -m "$CALLS" -l 1000 -recv_timeout 30000 \
    -timeout 120s -nostdin -trace_stat -stf "$tmp/$1/stat.csv" -trace_err \
    >"$tmp/$1/sipp.log" 2>&1 </dev/null) &
  local sipp_pid=$!
  sleep 4
  t_signal=$(date +%s.%N)
  kill -"$2" "$router0_pid"
  sipp_rc=0
  wait "$sipp_pid" || sipp_rc=$?
}
sipp_stat() {  # NAME COUNTER: SIPp's final cumulative value
  python3 -c 'import csv,sys; r=list(csv.reader(open(sys.argv[1]), delimiter=";")); print(dict(zip(r[0], r[-1]))[sys.argv[2]])' \
    "$tmp/$1/stat.csv" "$2" 2>/dev/null || echo -1
}
# callbacks: CallSid -> the final statuses the app heard, one line each "CA… completed"
final_callbacks() {
  curl -sf "$app/_requests" | python3 -c '
import json, sys, urllib.parse
for r in json.load(sys.stdin):
    if r["path"].split("?")[0] != "/callback": continue
    f = dict(urllib.parse.parse_qsl(r["body"]))
    if f.get("CallStatus") in ("completed", "failed", "busy", "no-answer", "canceled"):
        print(f["CallSid"], f["CallStatus"])'
}
usage_calls() {
  curl -sf -u "$sid:$token" "$api/Accounts/$sid/Usage/Records.json?Category=calls-inbound" |
    python3 -c 'import json,sys; r=json.load(sys.stdin)["usage_records"]; print(r[0]["count"] if r else 0)'
}
not_live() { [[ $(psql_q "select count(*) from calls where status in ('queued','ringing','in-progress')") == 0 ]]; }

# ---- SIGKILL ----
run_load kill KILL
echo "SIPp: $(sipp_stat kill 'SuccessfulCall(C)') successful, $(sipp_stat kill 'FailedCall(C)') failed (exit $sipp_rc)"
t_ended=$SECONDS
check "within 60 s no call is left queued, ringing or in progress" wait_for 60 not_live
echo "  ($((SECONDS - t_ended)) s after SIPp finished)"
router_call_sids 0 >"$tmp/kill/router0.sids"
router_call_sids 1 >"$tmp/kill/router1.sids"
recovered=$(grep -h '"call of a dead router ended"' "$(replica_log call-router 1)" |
  grep -o '"call_sid":"CA[0-9a-f]*"' | cut -d'"' -f4 | sort -u)
n_recovered=$(grep -c . <<<"$recovered" || true)
echo "router 0 took $(wc -l <"$tmp/kill/router0.sids") calls before dying, router 1 $(wc -l <"$tmp/kill/router1.sids"); router 1 ended $n_recovered of router 0's"
check "router 0 held calls when it died, and router 1 ended them" test "$n_recovered" -gt 0
check "every call router 1 ended was router 0's" \
  test -z "$(comm -23 <(sort <<<"$recovered") "$tmp/kill/router0.sids")"
bad=$(psql_q "select count(*) from calls where to_number = '$NUMBER' and status not in ('completed', 'failed')")
check "every call is completed or failed (others: $bad)" test "$bad" = 0
final_callbacks >"$tmp/kill/finals"
dup=$(cut -d' ' -f1 "$tmp/kill/finals" | sort | uniq -d | wc -l)
check "no call got two final callbacks ($dup did)" test "$dup" = 0
psql_q "select sid || ' ' || status from calls where to_number = '$NUMBER' order by sid" >"$tmp/kill/rows"
check "every call's final callback says what its row says" \
  diff <(sort "$tmp/kill/finals") "$tmp/kill/rows"
answered=$(psql_q "select count(*) from calls where to_number = '$NUMBER' and status = 'completed'")
check "usage counts each answered call once ($answered)" wait_for 15 test "$(usage_calls)" = "$answered"
after=$(psql_q "select count(*) from calls where to_number = '$NUMBER'
                and date_created > to_timestamp($t_signal) + interval '2 seconds'
                and not (status = 'completed' and duration >= 5)")
check "every call begun after the kill was answered and ran its length ($after did not)" test "$after" = 0
timeouts=$(sipp_stat kill 'FailedTimeoutOnRecv(C)')
check "the calls SIPp never heard the end of ($timeouts) are the calls the dead router held ($n_recovered)" \
  test "$timeouts" = "$n_recovered"
# A call in flight when the router died can also see its messages cross (Kamailio retrying the
# INVITE on the other router): SIPp counts it failed though the call ran. At most 1%.
other=$(($(sipp_stat kill 'FailedCall(C)') - timeouts))
echo "SIPp's other failed calls: $other"
cat "$tmp"/kill/*_errors.log 2>/dev/null | grep -m 5 -i 'unexpected\|aborting' || true
check "SIPp's other failed calls ($other) are at most 1% of $CALLS" test "$other" -le $((CALLS / 100))
replica_stack_down

# ---- SIGTERM ----
run_load term TERM
echo "SIPp: $(sipp_stat term 'SuccessfulCall(C)') successful, $(sipp_stat term 'FailedCall(C)') failed (exit $sipp_rc)"
check "SIPp: all $CALLS calls answered and ended by Dialtone (exit 0)" test "$sipp_rc" = 0
check "SIPp counts $CALLS successful calls" test "$(sipp_stat term 'SuccessfulCall(C)')" = "$CALLS"
short=$(psql_q "select count(*) from calls where to_number = '$NUMBER' and not (status = 'completed' and duration >= 5)")
check "every call completed with its full length ($short did not)" test "$short" = 0
log0=$(replica_log call-router 0)
check "router 0 drained" grep -q '"drained: no call left"' "$log0"
check "and stopped after its last call" wait_for 40 bash -c "! kill -0 $router0_pid 2>/dev/null"
check "its log ends with the stop" grep -q '"service stopped"' "$log0"
check "no call of router 0 was ended by router 1" \
  bash -c "! grep -q 'call of a dead router ended' '$(replica_log call-router 1)'"
finish
