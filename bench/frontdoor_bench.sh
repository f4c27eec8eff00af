#!/usr/bin/env bash
# Inbound SIP call rate through the front door (issue 17), three ramps in one run:
#   1 router:   SIPp -> Kamailio -> one call-router   (`scripts/dev up --replicas 1`)
#   2 routers:  SIPp -> Kamailio -> two call-routers  (`scripts/dev up --replicas 2`)
#   reference:  SIPp -> Kamailio -> SIPp's uas         (Kamailio alone, the same config)
# Kamailio is deploy/kamailio/kamailio.cfg (dispatcher, Call-ID hash, record-route) with its
# default 4 UDP workers. Each step is `-r RATE -m RATE*STEP_SECONDS`; a ramp stops at its first
# step with a failure. The call shapes are sip_ramp_bench.sh's (7 messages, about 1 s per call:
# Dialtone holds its second before the answer, with the app's <Pause length="1"/> then <Hangup/>
# served by nginx; the reference after it, with the caller's BYE); in-dialog requests pass
# through Kamailio too (record-route). The figure is the highest rate with zero failures, and the
# ratio 2 routers / 1 router. Everything shares the machine's cores: SIPp, Kamailio, nginx,
# PostgreSQL, Redis and the routers. About 5 minutes with the default ramp.
#   DIALTONE_BUILD_DIR=build/release bench/frontdoor_bench.sh [STEP_SECONDS [RATE ...]]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export DIALTONE_SOURCE_DIR=$ROOT
export DIALTONE_BUILD_DIR=${DIALTONE_BUILD_DIR:-$ROOT/build/release}
source "$ROOT/tests/lib/testlib.sh"
STEP=${1:-10}
RATES=("${@:2}")
((${#RATES[@]})) || RATES=(100 200 400 600 800 1000 1200)
NUMBER=+15005550100
SIPP_DIR=$ROOT/tests/e2e/sipp
command -v sipp >/dev/null && command -v nginx >/dev/null && command -v kamailio >/dev/null \
  || dt_die "sipp, nginx and kamailio are needed (scripts/dev setup)"

source "$ROOT/bench/lib/bench_stack.sh"
source "$ROOT/bench/lib/sip_ramp.sh"
source "$ROOT/tests/lib/replica_stack.sh"
source "$ROOT/scripts/lib/replicas.sh"
WORK=$(mktemp -d /tmp/dt-frontdoor.XXXXXX)
chmod 755 "$WORK"
trap bench_cleanup EXIT
# Room for 1,000 calls open at once per router. The services log at info (the default), so that
# each router's log names the calls it took.
export DIALTONE_TEST_RTP_PORTS=${DIALTONE_TEST_RTP_PORTS:-4400}

# The app: nginx answering every request (the router POSTs) with the TwiML.
bench_nginx 4096 "location / { default_type text/xml; return 200 '<Response><Pause length=\"1\"/><Hangup/></Response>'; }"

# ramp ASSOC-ARRAY NAME TARGET SCENARIO: the steps of RATES until one fails.
ramp() {
  local -n out=$1
  local rate a s f
  for rate in "${RATES[@]}"; do
    out[$rate]=$(step "$2" "$3" "$4" "$rate")
    echo "  $rate calls/s: tried ok failed secs peak call-ms answer-p50 answer-p99: ${out[$rate]}" >&2
    read -r a s f _ <<<"${out[$rate]}"
    ((a == rate * STEP && s == a && f == 0)) || break
    sleep 3  # the last calls' rows and usage drain before the next step
  done
}

# routers N ASSOC-ARRAY: a ramp through Kamailio in front of N routers, in its own stack.
routers() {
  replica_stack_up "$WORK/replicas-$1" "$1" || dt_die "scripts/dev up --replicas $1 failed"
  curl -sf -u "$sid:$token" "$api/Accounts/$sid/IncomingPhoneNumbers.json" \
    --data-urlencode "PhoneNumber=$NUMBER" --data-urlencode "VoiceUrl=http://127.0.0.1:$nport/voice" \
    --data-urlencode VoiceMethod=POST >/dev/null || dt_die "could not bind $NUMBER"
  echo "== Kamailio at $sip_target in front of $1 call-router(s): ${router_sips[*]}" >&2
  ramp "$2" "routers$1" "$sip_target" "$SIPP_DIR/bench_uac_far_bye.xml"
  local r
  calls_rows[$1]=$(psql -h 127.0.0.1 -p "$DIALTONE_LOCAL_PG_PORT" -U dialtone -d dialtone -Atc \
    "select status || '=' || count(*) from calls where to_number = '$NUMBER' group by status order by 1" | paste -sd' ')
  per_router[$1]=$(for ((r = 0; r < $1; r++)); do echo -n "router $r: $(router_call_sids "$r" | wc -l) "; done)
  replica_stack_down
}

declare -A ONE TWO REF calls_rows per_router
routers 1 ONE
routers 2 TWO

# SIPp's uas as a real UA behind a proxy: it copies Record-Route (bench_uas_record_route.xml).
# It cannot answer OPTIONS, so this Kamailio does not probe (DS_PING_INTERVAL 0).
uas_port=$(dt_free_port)
(cd "$WORK" && exec sipp -sf "$SIPP_DIR/bench_uas_record_route.xml" -i 127.0.0.1 -p "$uas_port" -nostdin \
  >"$WORK/uas.out" 2>&1 </dev/null) &
BENCH_PIDS+=($!)
kam_port=$(dt_free_port)
DIALTONE_KAMAILIO_PING_INTERVAL=0 \
  dt_kamailio_start "$WORK/kamailio-ref" "$kam_port" "$WORK/kamailio-ref.log" "sip:127.0.0.1:$uas_port"
BENCH_PIDS+=("$KAMAILIO_PID")
wait_for 10 dt_udp_bound "$kam_port" || dt_die "Kamailio did not start ($WORK/kamailio-ref.log)"
echo "== reference: Kamailio at 127.0.0.1:$kam_port in front of SIPp uas (Record-Route copied) at 127.0.0.1:$uas_port" >&2
ramp REF reference "127.0.0.1:$kam_port" "$SIPP_DIR/bench_uac_own_bye.xml"

b1=$(best ONE)
b2=$(best TWO)
br=$(best REF)
echo
echo "SIP inbound call ramp through Kamailio, UDP on loopback, SIPp uac -r RATE -m RATE*$STEP (${STEP} s per step), 1 s calls"
echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), load $(cut -d' ' -f1-3 /proc/loadavg)"
head="tried    ok  fail  secs peak  call answer p50/p99"
printf '%7s | %-47s | %-47s | %-47s\n' "" "Kamailio + 1 call-router" "Kamailio + 2 call-routers" "reference: Kamailio + SIPp uas"
printf '%7s | %-47s | %-47s | %-47s\n' "calls/s" "$head" "$head" "$head"
for rate in "${RATES[@]}"; do
  printf '%7s | %-47s | %-47s | %-47s\n' "$rate" "$(fmt "${ONE[$rate]:-}")" "$(fmt "${TWO[$rate]:-}")" "$(fmt "${REF[$rate]:-}")"
done
echo "(columns as in sip_ramp_bench.sh; 'not run': the ramp stopped at its first failing step)"
echo "Call resources, 1 router: ${calls_rows[1]}; 2 routers: ${calls_rows[2]}"
echo "calls each router logged, 1 router: ${per_router[1]}; 2 routers: ${per_router[2]}"
echo "highest rate with zero failures: 1 router $(mark "$b1"), 2 routers $(mark "$b2"), Kamailio + SIPp uas $(mark "$br")"
echo "2 routers / 1 router: $(ratio "$b2" "$b1"); 1 router / reference: $(ratio "$b1" "$br"); 2 routers / reference: $(ratio "$b2" "$br")"
echo "reproduce: DIALTONE_BUILD_DIR=$DIALTONE_BUILD_DIR bench/frontdoor_bench.sh $STEP ${RATES[*]}"
