#!/usr/bin/env bash
# Two replicas behind the front door (`scripts/dev up --replicas 2`): SIPp sends 200 calls to
# Kamailio; every call is answered and ends (the demo app: Pause 1 s, Hangup, so the BYE comes
# back through Kamailio's record-route), and both routers took calls, by each router's own log:
# every call in exactly one router's log, none lost, none taken twice. A router that stops
# answering is routed around and taken out by Kamailio's OPTIONS probes, and brought back. The
# stack also lists each replica in .dev/env, and `scripts/dev status` and `down` handle them.
set -euo pipefail
source "$(dirname "$0")/../lib/testlib.sh"
source "$DIALTONE_SOURCE_DIR/tests/lib/replica_stack.sh"

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d /tmp/dialtone-replicas.XXXXXX)
chmod 755 "$tmp"
cleanup() { local rc=$?; replica_stack_down; remove_tmp "$tmp" "$rc"; }
trap cleanup EXIT
CALLS=200

replica_stack_up "$tmp" 2 || { fail "scripts/dev up --replicas 2"; finish; }
pass "scripts/dev up --replicas 2 exits 0"
check ".dev/env lists two router SIP URIs" test "${#router_sips[@]}" -eq 2
check ".dev/env lists two gateway API URLs" test "${#api_urls[@]}" -eq 2
check "each replica writes its own log" \
  test -s "$(replica_log call-router 1)" -a -s "$(replica_log rest-gateway 1)" -a -s "$(replica_log media-layer 1)"
status=$("$DIALTONE_SOURCE_DIR/scripts/dev" status 2>&1) && rc=0 || rc=$?
echo "$status"
check "scripts/dev status exits 0" test "$rc" -eq 0
check "status names each of the 8 services SERVING" test "$(grep -c ' SERVING$' <<<"$status")" -eq 8
check "status shows Kamailio and nginx up" grep -q '^kamailio UP' <<<"$status"
for i in 0 1; do
  check "gateway $i answers the REST API itself" \
    curl -sf -u "$sid:$token" "${api_urls[$i]}/Accounts/$sid.json" -o /dev/null
done

# 200 calls, 25 a second, through Kamailio.
(cd "$tmp" && sipp "$sip_target" -sf "$here/sipp/bench_uac_far_bye.xml" -s "$demo_number" \
  -i 127.0.0.1 -p "$(dt_free_port)" -r 25 -m "$CALLS" -l 100 -recv_timeout 20000 -timeout 120s \
  -nostdin -trace_stat -stf "$tmp/stat.csv" >"$tmp/sipp.log" 2>&1 </dev/null) && rc=0 || rc=$?
check "SIPp: all $CALLS calls through Kamailio answered and ended (exit 0)" test "$rc" -eq 0
successful=$(python3 -c 'import csv,sys; r=list(csv.reader(open(sys.argv[1]), delimiter=";")); print(dict(zip(r[0], r[-1]))["SuccessfulCall(C)"])' "$tmp/stat.csv" 2>/dev/null || echo 0)
check "SIPp counts $CALLS successful calls (got $successful)" test "$successful" -eq "$CALLS"

# Each router's own record of the calls it took.
router_call_sids 0 >"$tmp/router0.sids"
router_call_sids 1 >"$tmp/router1.sids"
n0=$(wc -l <"$tmp/router0.sids")
n1=$(wc -l <"$tmp/router1.sids")
echo "router 0 took $n0 calls, router 1 took $n1"
check "router 0 took calls" test "$n0" -gt 0
check "router 1 took calls" test "$n1" -gt 0
check "the routers' logs hold $CALLS calls between them" test $((n0 + n1)) -eq "$CALLS"
check "no call was taken by both routers" test -z "$(comm -12 "$tmp/router0.sids" "$tmp/router1.sids")"
completed=$(psql -h 127.0.0.1 -p "$DIALTONE_LOCAL_PG_PORT" -U dialtone -d dialtone -Atc \
  "select count(*) from calls where to_number = '$demo_number' and status = 'completed'")
check "$CALLS Call resources are completed (got $completed)" test "$completed" -eq "$CALLS"

# Kamailio probed both routers with OPTIONS all along: one that had not answered 200 would have
# been taken out (and logged).
kam_log=$DIALTONE_DEV_DIR/logs/kamailio.log
check "Kamailio never took a router out while both ran" bash -c "! grep -q 'call-router down' '$kam_log'"

# Router 1 stops answering (SIGSTOP): calls are still answered, by router 0 (those hashed to
# router 1 move on after Kamailio's fr_timer), and Kamailio's probes take router 1 out; once it
# runs again (SIGCONT) they bring it back.
before=$(router_call_sids 0 | wc -l)
kill -STOP "$(replica_pid call-router 1)"
(cd "$tmp" && sipp "$sip_target" -sf "$here/sipp/bench_uac_far_bye.xml" -s "$demo_number" \
  -i 127.0.0.1 -p "$(dt_free_port)" -r 2 -m 10 -recv_timeout 20000 -timeout 60s -nostdin \
  >"$tmp/sipp-stopped.log" 2>&1 </dev/null) && rc=0 || rc=$?
check "with router 1 stopped, 10 calls through Kamailio are all answered and ended" test "$rc" -eq 0
check "router 0 took those 10 calls" test $(($(router_call_sids 0 | wc -l) - before)) -eq 10
check "Kamailio took router 1 out" \
  wait_for 20 grep -q "call-router down: sip:${router_sips[1]}" "$kam_log"
kill -CONT "$(replica_pid call-router 1)"
check "Kamailio brought router 1 back once it answered probes again" \
  wait_for 20 grep -q "call-router up: sip:${router_sips[1]}" "$kam_log"

pids=$(cat "$DIALTONE_DEV_DIR"/pids/*.pid)
"$DIALTONE_SOURCE_DIR/scripts/dev" down >"$tmp/down.log" 2>&1 && rc=0 || rc=$?
check "scripts/dev down exits 0" test "$rc" -eq 0
for p in $pids; do
  check "process $p is gone after down" bash -c "! kill -0 $p 2>/dev/null"
done
check "nothing answers on Kamailio's SIP port after down" \
  bash -c "! (exec 3<>/dev/tcp/127.0.0.1/$DIALTONE_SIP_PORT) 2>/dev/null"
finish
