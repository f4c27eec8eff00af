#!/usr/bin/env bash
# Inbound SIP call rate: SIPp (UDP, loopback) ramps call rates against call-router in a private
# `scripts/dev up` stack, then the same ramp against `sipp -sn uas` as the reference, in one run.
# Each step is `-r RATE -m RATE*STEP_SECONDS`; a call is counted successful when SIPp saw all of it.
# The table also gives each step's wall time, the peak of calls open at once (a call's life x
# RATE: it grows when answers or BYEs fall behind), the mean call length (ideally 1000 ms on both
# sides) and the INVITE->200 time's p50/p99.
#
# Call shape, kept the same on both sides (7 messages, about 1 s per call):
#   Dialtone:  INVITE -> 100, 180, [the app's <Pause length="1"/>] 200 -> ACK; Dialtone's BYE
#              (<Hangup/>) -> 200   (tests/e2e/sipp/bench_uac_far_bye.xml)
#   reference: INVITE -> 180, 200 -> ACK; [1 s] our BYE -> 200   (bench_uac_own_bye.xml)
# Dialtone holds the call before the answer (Pause first defers the answer, as on Twilio), the
# reference after it; both keep about RATE calls open at once.
# The number's app is nginx answering `return 200` with that TwiML (no status callback), so the
# figure is Dialtone's, not the app's. About 5 minutes with the default ramp.
#   DIALTONE_BUILD_DIR=build/release bench/sip_ramp_bench.sh [STEP_SECONDS [RATE ...]]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export DIALTONE_SOURCE_DIR=$ROOT
export DIALTONE_BUILD_DIR=${DIALTONE_BUILD_DIR:-$ROOT/build/release}
source "$ROOT/tests/lib/testlib.sh"
STEP=${1:-10}
RATES=("${@:2}")
((${#RATES[@]})) || RATES=(25 50 100 200 300 400 600 800)
NUMBER=+15005550100
SIPP_DIR=$ROOT/tests/e2e/sipp
command -v sipp >/dev/null && command -v nginx >/dev/null || dt_die "sipp and nginx are needed (scripts/dev setup)"

source "$ROOT/bench/lib/bench_stack.sh"
source "$ROOT/bench/lib/sip_ramp.sh"
UAS_PID=''
DIALTONE_LOG_LEVEL=warn bench_stack_up sip-bench

# The app: nginx answering every request (the router POSTs) with the TwiML.
bench_nginx 4096 "location / { default_type text/xml; return 200 '<Response><Pause length=\"1\"/><Hangup/></Response>'; }"
curl -sf -u "$sid:$token" "$api/Accounts/$sid/IncomingPhoneNumbers.json" \
  --data-urlencode "PhoneNumber=$NUMBER" --data-urlencode "VoiceUrl=http://127.0.0.1:$nport/voice" \
  --data-urlencode VoiceMethod=POST >/dev/null || dt_die "could not bind $NUMBER"

sip_target=127.0.0.1:$DIALTONE_SIP_PORT
router_pid=$(cat "$DIALTONE_DEV_DIR/pids/call-router.pid")
declare -A D R
echo "== Dialtone call-router at $sip_target (number $NUMBER -> nginx TwiML: Pause 1 s, Hangup)" >&2
for rate in "${RATES[@]}"; do
  D[$rate]=$(step dialtone "$sip_target" "$SIPP_DIR/bench_uac_far_bye.xml" "$rate")
  echo "  $rate calls/s: tried ok failed secs peak call-ms answer-p50 answer-p99: ${D[$rate]}" >&2
  kill -0 "$router_pid" 2>/dev/null || { echo "  call-router exited; stopping the ramp" >&2; break; }
  sleep 3  # let the last calls' rows and usage drain before the next step
done
calls_rows=$(psql -h 127.0.0.1 -p "$DIALTONE_LOCAL_PG_PORT" -U dialtone -d dialtone -Atc \
  "select status || '=' || count(*) from calls where to_number = '$NUMBER' group by status order by 1" | paste -sd' ')

uas_port=$(dt_free_port)
(cd "$WORK" && exec sipp -sn uas -i 127.0.0.1 -p "$uas_port" -nostdin >"$WORK/uas.out" 2>&1 </dev/null) &
UAS_PID=$!
BENCH_PIDS+=("$UAS_PID")
sleep 0.5
echo "== reference: sipp -sn uas at 127.0.0.1:$uas_port" >&2
for rate in "${RATES[@]}"; do
  R[$rate]=$(step reference "127.0.0.1:$uas_port" "$SIPP_DIR/bench_uac_own_bye.xml" "$rate")
  echo "  $rate calls/s: tried ok failed secs peak call-ms answer-p50 answer-p99: ${R[$rate]}" >&2
  sleep 1
done

bd=$(best D)
br=$(best R)
ratio=$(ratio "$bd" "$br")
# A call held 1 s that lasts over 1.1 s means answers or BYEs are queueing.
bd_fast=$(best D 1100)
br_fast=$(best R 1100)
ratio_fast=$(ratio "$bd_fast" "$br_fast")
echo
echo "SIP inbound call ramp, UDP on loopback, SIPp uac -r RATE -m RATE*$STEP (${STEP} s per step), 1 s calls"
echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%7s | %-47s | %-47s\n' "" "Dialtone call-router" "reference: sipp -sn uas"
head="tried    ok  fail  secs peak  call answer p50/p99"
printf '%7s | %-47s | %-47s\n' "calls/s" "$head" "$head"
for rate in "${RATES[@]}"; do
  printf '%7s | %-47s | %-47s\n' "$rate" "$(fmt "${D[$rate]:-}")" "$(fmt "${R[$rate]:-}")"
done
echo "(tried/ok/fail: SIPp's calls; secs: the step's wall time, ideally $STEP s plus one call; peak: most"
echo " calls open at once, about RATE x a call's life; call: mean ms from INVITE to the end, ideally"
echo " 1000 on both sides; answer: ms from INVITE to 200, which holds Dialtone's 1 s Pause, while the"
echo " reference answers at once and holds its 1 s after the answer)"
echo "Dialtone's Call resources for $NUMBER: $calls_rows"
echo "highest rate with zero failures: Dialtone $(mark "$bd"), sipp -sn uas $(mark "$br"), Dialtone / reference $ratio"
echo "highest rate with zero failures and mean call <= 1100 ms: Dialtone $(mark "$bd_fast"), sipp -sn uas $(mark "$br_fast"), Dialtone / reference $ratio_fast"
echo "reproduce: DIALTONE_BUILD_DIR=$DIALTONE_BUILD_DIR bench/sip_ramp_bench.sh $STEP ${RATES[*]}"
