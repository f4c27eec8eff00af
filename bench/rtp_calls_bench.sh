#!/usr/bin/env bash
# Concurrent calls with audio. For each N: SIPp opens N calls (100 a second) to a number whose
# app answers <Play loop="0"> of a cached 5 s WAV, holds them HOLD seconds and hangs up. SIPp runs
# with -rtp_echo, so every packet the router sends comes back to the leg that sent it. Measured
# on call-router while all N calls are up (the middle of the hold): CPU (utime+stime from /proc),
# and over each call's life: packets sent, received back, lost (sequence gaps) and late frames
# (sent by a tick that came more than 20 ms late), from the router's "call media closed" log.
# Reference, same run: SIPp itself streams the same audio (rtp_stream, looped) to
# `sipp -sn uas -rtp_echo`, which echoes it; its CPU per call is the yardstick for moving 50
# packets a second each way per call.
#   DIALTONE_BUILD_DIR=build/release bench/rtp_calls_bench.sh [HOLD_SECONDS [N ...]]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export DIALTONE_SOURCE_DIR=$ROOT
export DIALTONE_BUILD_DIR=${DIALTONE_BUILD_DIR:-$ROOT/build/release}
source "$ROOT/tests/lib/testlib.sh"
HOLD=${1:-30}
COUNTS=("${@:2}")
((${#COUNTS[@]})) || COUNTS=(100 250 500 1000)
NUMBER=+15005550200
SIPP_DIR=$ROOT/tests/e2e/sipp
command -v sipp >/dev/null && command -v nginx >/dev/null || dt_die "sipp and nginx are needed (scripts/dev setup)"
ulimit -n 65536 2>/dev/null || true

source "$ROOT/bench/lib/bench_stack.sh"
bench_stack_up rtp-bench

# The prompt: 5 s of a 440 Hz tone, as WAV for Play and as raw mu-law for SIPp's rtp_stream.
python3 - "$WORK/prompt.wav" "$WORK/prompt.ulaw" <<'PY'
import audioop, math, struct, sys, wave
pcm = b"".join(struct.pack("<h", int(6000 * math.sin(2 * math.pi * 440 * i / 8000))) for i in range(40000))
w = wave.open(sys.argv[1], "wb"); w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000); w.writeframes(pcm); w.close()
open(sys.argv[2], "wb").write(audioop.lin2ulaw(pcm, 2))
PY
bench_nginx 4096 "location = /prompt.wav { alias $WORK/prompt.wav; default_type audio/wav; add_header Cache-Control \"max-age=3600\"; }
    location / { default_type text/xml; return 200 '<Response><Play loop=\"0\">/prompt.wav</Play></Response>'; }"
curl -sf -u "$sid:$token" "$api/Accounts/$sid/IncomingPhoneNumbers.json" \
  --data-urlencode "PhoneNumber=$NUMBER" --data-urlencode "VoiceUrl=http://127.0.0.1:$nport/voice" \
  >/dev/null || dt_die "could not bind $NUMBER"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# udp_drops LOW HIGH -> datagrams the kernel dropped (receive buffer full) on open UDP sockets
# bound to ports LOW..HIGH, from /proc/net/udp's per-socket counter.
udp_drops() {
  python3 - "$1" "$2" <<'PY'
import sys
lo, hi = int(sys.argv[1]), int(sys.argv[2])
total = 0
for line in list(open("/proc/net/udp"))[1:]:
    f = line.split()
    port = int(f[1].split(":")[1], 16)
    if lo <= port <= hi: total += int(f[-1])
print(total)
PY
}
# run NAME TARGET SCENARIO N MEASURED_PID -> "ok failed cpu_percent drops_router drops_sipp"
run() {
  local name=$1 target=$2 scenario=$3 n=$4 pid=$5 dir t0 t1 c0 c1 hz
  dir=$WORK/$name-$n
  mkdir -p "$dir"
  hz=$(getconf CLK_TCK)
  local mp
  mp=$(dt_free_port)
  (cd "$dir" && sipp "$target" -sf "$scenario" -s "$NUMBER" -i 127.0.0.1 -p "$(dt_free_port)" \
    -mp "$mp" -rtp_echo -r 100 -m "$n" -l "$n" -d $((HOLD * 1000)) \
    -timeout $((HOLD * 3 + 60))s -nostdin -trace_stat -stf "$dir/stat.csv" -fd 1 \
    >"$dir/sipp.out" 2>&1 </dev/null) &
  local sipp_pid=$!
  # Measure the middle of the hold, once every call is up.
  sleep $(( n / 100 + 2 + HOLD / 4 ))
  c0=$(cpu_ticks "$pid"); t0=$(date +%s.%N)
  sleep $(( HOLD / 2 ))
  c1=$(cpu_ticks "$pid"); t1=$(date +%s.%N)
  # Drops so far, while every call's sockets are still open: the router's RTP range, SIPp's
  # media port (-mp; -rtp_echo receives on mp+2? both are counted).
  local dr ds
  dr=$(udp_drops "$DIALTONE_RTP_PORT_MIN" "$DIALTONE_RTP_PORT_MAX")
  ds=$(udp_drops "$mp" $((mp + 3)))
  wait "$sipp_pid" || true
  python3 - "$dir/stat.csv" "$c0" "$c1" "$t0" "$t1" "$hz" "$dr" "$ds" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1]), delimiter=";"))
last = dict(zip(rows[0], rows[-1]))
c0, c1, t0, t1, hz = map(float, sys.argv[2:7])
print(last["SuccessfulCall(C)"], last["FailedCall(C)"], f"{100 * (c1 - c0) / hz / (t1 - t0):.1f}", sys.argv[7], sys.argv[8])
PY
}

router_pid=$(cat "$DIALTONE_DEV_DIR/pids/call-router.pid")
router_log=$DIALTONE_DEV_DIR/logs/call-router.log
declare -A D R Q
echo "== Dialtone: N calls playing a cached prompt, held ${HOLD} s, echoed back by SIPp" >&2
for n in "${COUNTS[@]}"; do
  lines_before=$(wc -l <"$router_log")
  D[$n]=$(run dialtone "127.0.0.1:$DIALTONE_SIP_PORT" "$SIPP_DIR/bench_uac_hold.xml" "$n" "$router_pid")
  sleep 2
  # The router's own count of what it sent, got back, lost and sent late, over those calls.
  Q[$n]=$(tail -n +$((lines_before + 1)) "$router_log" | python3 -c '
import json, sys
s = r = lost = late = calls = 0
for line in sys.stdin:
    try: e = json.loads(line)
    except ValueError: continue
    if e.get("msg") != "call media closed": continue
    calls += 1; s += e["rtp_sent"]; r += e["rtp_received"]; lost += e["rtp_lost"]; late += e.get("rtp_late", 0)
bad = (max(0, s - r) + late) / s * 100 if s else 100
print(calls, s, r, lost, late, f"{bad:.3f}")')
  echo "  $n calls: ok failed router-cpu% drops(router sockets, SIPp socket): ${D[$n]} | calls sent received lost late bad%: ${Q[$n]}" >&2
  kill -0 "$router_pid" 2>/dev/null || { echo "  call-router exited; stopping" >&2; break; }
done

sed "s|\[rtp_file\]|$WORK/prompt.ulaw|" "$SIPP_DIR/bench_uac_hold_stream.xml" >"$WORK/ref.xml"
uas_port=$(dt_free_port)
(cd "$WORK" && exec sipp -sn uas -rtp_echo -i 127.0.0.1 -p "$uas_port" -mp "$(dt_free_port)" -nostdin \
  >"$WORK/uas.out" 2>&1 </dev/null) &
UAS_PID=$!
BENCH_PIDS+=("$UAS_PID")
sleep 0.5
echo "== reference: SIPp streams the same audio to sipp -sn uas -rtp_echo" >&2
for n in "${COUNTS[@]}"; do
  R[$n]=$(run reference "127.0.0.1:$uas_port" "$WORK/ref.xml" "$n" "$UAS_PID")
  echo "  $n calls: ok failed uas-cpu% drops(-, the streaming UAC's socket): ${R[$n]}" >&2
done

printf '\n%-6s | %-18s | %-7s | %-13s | %-34s | %-23s | %-18s\n' "calls" "Dialtone ok/failed" "CPU %" "CPU ms/call/s" "sent/back/lost/late (bad %)" "drops: router / SIPp" "reference echo CPU %"
best=0
own=0
for n in "${COUNTS[@]}"; do
  read -r ok failed cpu dr ds <<<"${D[$n]:-0 0 0 0 0}"
  read -r calls sent back lost late bad <<<"${Q[$n]:-0 0 0 0 0 100}"
  read -r rok rfailed rcpu _ _ <<<"${R[$n]:-0 0 0 0 0}"
  per_call=$(python3 -c "import sys; print(f'{float(sys.argv[1]) * 10 / max(1, int(sys.argv[2])):.3f}')" "$cpu" "$n")
  printf '%-6s | %-18s | %-7s | %-13s | %-34s | %-23s | %-18s\n' "$n" "$ok/$failed" "$cpu" "$per_call" \
    "$sent/$back/$lost/$late ($bad%)" "$dr / $ds" "$rcpu (ok $rok)"
  if [[ $ok == "$n" && $failed == 0 ]] && python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < 0.1 else 1)" "$bad"; then
    best=$n
  fi
  # Dialtone's own share: late frames and drops at its sockets (the echo's losses excluded).
  if [[ $ok == "$n" && $failed == 0 ]] && python3 -c "import sys; s, l, d = map(float, sys.argv[1:]); sys.exit(0 if s and (l + d) / s * 100 < 0.1 else 1)" "$sent" "$late" "$dr"; then
    own=$n
  fi
done
echo
echo "Most calls held with < 0.1 % late or lost packets, round trip through SIPp's echo: $best"
echo "Most calls held with < 0.1 % late frames or drops at the router's own sockets: $own"
echo "Reproduce: DIALTONE_BUILD_DIR=${DIALTONE_BUILD_DIR#"$ROOT"/} bench/rtp_calls_bench.sh $HOLD ${COUNTS[*]}"
