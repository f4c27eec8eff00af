#!/usr/bin/env bash
# Media Streams echo (issue 18): N concurrent bidirectional streams echoing the caller's audio,
# against the same echo done by the RTP engine alone, in one run and with the same driver.
#   streams    N callers -> a number whose app answers
#              <Connect><Stream url="ws://127.0.0.1:P/echo"/></Connect>; a Node `ws` server
#              (bench/lib/stream_echo_server.js) sends every inbound media payload straight back
#              as an outbound media message: RTP in -> WebSocket -> app -> WebSocket -> RTP out.
#   reference  the same N callers -> a number whose app answers
#              <Dial><Sip>sip:echo@127.0.0.1:PORT</Sip></Dial> to `sipp -sn uas -rtp_echo`:
#              RTP in -> bridged -> SIPp echoes -> bridged back -> RTP out, no WebSocket.
# The driver (bench/lib/stream_callers.py) sends 20 ms PCMU frames that carry their own call,
# number and send time, and takes each echo's arrival time from the kernel: delay per frame =
# arrival - send, over the frames sent in the middle half of a HOLD-second hold once every call
# is up. Also measured over that window: call-router's CPU (utime+stime from /proc) and its
# threads' (named with one gdb look at the end); over each call's life: the router's late frames
# ("call media closed" log, rtp_late). The echo app records when each frame reached it, which
# splits the streams' round trip into the way to the app and the way back, and when its own event
# loop was held up, which tells the app's stalls from the router's.
# Aim (issue 18): p99 added delay (streams minus reference) under 20 ms on 2 cores.
#   DIALTONE_BUILD_DIR=build/ci bench/media_streams_bench.sh [N [HOLD_SECONDS]]
# Defaults: N=200, HOLD=20 (about 2.5 minutes in all). MEDIA_STREAMS_BENCH_RATE: calls a second
# (50); MEDIA_STREAMS_BENCH_APP_NICE: renice the echo app (root). Needs sipp, nginx, node and
# tests/node's npm packages (scripts/dev setup); DIALTONE_KEEP_TMP=1 keeps every frame's times.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export DIALTONE_SOURCE_DIR=$ROOT
export DIALTONE_BUILD_DIR=${DIALTONE_BUILD_DIR:-$ROOT/build/release}
source "$ROOT/tests/lib/testlib.sh"
N=${1:-200}
HOLD=${2:-20}
RATE=${MEDIA_STREAMS_BENCH_RATE:-50}  # new calls a second
# A niceness for the echo app (e.g. -10): it shares the 2 cores with the router, and its own
# stalls queue up in the calls like the router's would; this tells the two apart.
APP_NICE=${MEDIA_STREAMS_BENCH_APP_NICE:-}
STREAM_NUMBER=+15005550218
ECHO_NUMBER=+15005550219
export NODE_PATH=$ROOT/tests/node/node_modules
for tool in sipp nginx node; do
  command -v "$tool" >/dev/null || dt_die "sipp, nginx and node are needed (scripts/dev setup)"
done
node -e "require('ws')" 2>/dev/null || dt_die "npm's ws is missing from tests/node (scripts/dev setup)"
ulimit -n 65536 2>/dev/null || true

source "$ROOT/bench/lib/bench_stack.sh"
bench_stack_up streams-bench
router_pid=$(cat "$DIALTONE_DEV_DIR/pids/call-router.pid")
router_log=$DIALTONE_DEV_DIR/logs/call-router.log

# The app's WebSocket server, and SIPp's RTP echo for the reference.
node "$ROOT/bench/lib/stream_echo_server.js" 0 "$WORK/ws.trace" >"$WORK/ws.out" 2>"$WORK/ws.err" &
WS_PID=$!
BENCH_PIDS+=("$WS_PID")
wait_for 10 grep -q port "$WORK/ws.out" || dt_die "the echo server did not start ($WORK/ws.err)"
[[ -z $APP_NICE ]] || renice -n "$APP_NICE" -p "$WS_PID" >/dev/null
ws_port=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["port"])' "$WORK/ws.out")
uas_port=$(dt_free_port)
(cd "$WORK" && exec sipp -sn uas -rtp_echo -i 127.0.0.1 -p "$uas_port" -mp "$(dt_free_port)" \
  -nostdin >"$WORK/uas.out" 2>&1 </dev/null) &
UAS_PID=$!
BENCH_PIDS+=("$UAS_PID")
wait_for 5 dt_udp_bound "$uas_port" || dt_die "sipp -sn uas did not start"

bench_nginx 4096 "location = /streams { default_type text/xml; return 200 '<Response><Connect><Stream url=\"ws://127.0.0.1:$ws_port/echo\"/></Connect></Response>'; }
    location = /reference { default_type text/xml; return 200 '<Response><Dial><Sip>sip:echo@127.0.0.1:$uas_port</Sip></Dial></Response>'; }"
for pair in "$STREAM_NUMBER=streams" "$ECHO_NUMBER=reference"; do
  curl -sf -u "$sid:$token" "$api/Accounts/$sid/IncomingPhoneNumbers.json" \
    --data-urlencode "PhoneNumber=${pair%%=*}" \
    --data-urlencode "VoiceUrl=http://127.0.0.1:$nport/${pair#*=}" >/dev/null ||
    dt_die "could not bind ${pair%%=*}"
done

# phase NAME NUMBER ECHO_PID -> the driver's JSON in $WORK/NAME.json, the router's log lines of
# those calls in $WORK/NAME.log
phase() {
  local name=$1 number=$2 echo_pid=$3 before
  mkdir -p "$WORK/$name"
  before=$(wc -l <"$router_log")
  python3 "$ROOT/bench/lib/stream_callers.py" "127.0.0.1:$DIALTONE_SIP_PORT" "$number" \
    --calls "$N" --hold "$HOLD" --rate "$RATE" --workdir "$WORK/$name" \
    --watch "router=$router_pid" --watch "echo=$echo_pid" --threads "$router_pid" \
    >"$WORK/$name.json" 2>"$WORK/$name.err" || dt_die "the driver failed ($WORK/$name.err)"
  # The calls' media closes once their BYE is through: wait for the log lines (a few seconds).
  wait_for 15 bash -c "[[ \$(tail -n +$((before + 1)) '$router_log' | grep -c '\"call media closed\"') -ge $N ]]" || true
  tail -n +$((before + 1)) "$router_log" >"$WORK/$name.log"
}

echo "== $N calls, each a <Connect><Stream> to a ws echo, held ${HOLD} s" >&2
phase streams "$STREAM_NUMBER" "$WS_PID"
kill -0 "$router_pid" 2>/dev/null || dt_die "call-router exited during the streams phase"
sleep 3
echo "== reference: the same $N calls, each a <Dial><Sip> to sipp -sn uas -rtp_echo" >&2
phase reference "$ECHO_NUMBER" "$UAS_PID"
kill "$WS_PID" 2>/dev/null || true
wait_for 10 test -s "$WORK/ws.trace" || true
# Which router thread is which (its threads have no names): one look with gdb, after measuring.
if command -v gdb >/dev/null; then
  timeout 60 gdb -p "$router_pid" -batch -ex "thread apply all bt 12" >"$WORK/router-threads.txt" 2>&1 </dev/null || true
fi

python3 - "$WORK" "$N" "$HOLD" "$(nproc)" "${DIALTONE_BUILD_DIR#"$ROOT"/}" <<'PY'
import json, sys
work, n, hold, cores, build = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
def router_counts(name):
    calls = sent = received = lost = late = 0
    for line in open(f"{work}/{name}.log"):
        try: e = json.loads(line)
        except ValueError: continue
        if e.get("msg") != "call media closed": continue
        calls += 1; sent += e["rtp_sent"]; received += e["rtp_received"]; lost += e["rtp_lost"]
        late += e.get("rtp_late", 0)
    return calls, sent, received, lost, late
r = {name: json.load(open(f"{work}/{name}.json")) for name in ("streams", "reference")}
try:
    ws = json.loads(open(f"{work}/ws.err").read().strip().splitlines()[-1])
except (IndexError, ValueError):
    ws = {}
node_stalls = ws.pop("stalls", [])
# Router threads named by what gdb saw them run (RtpEngine::Loop, the ws::Client's io_context...).
labels = {}
try:
    import re
    text = open(f"{work}/router-threads.txt").read()
    for block in re.split(r"\n(?=Thread \d+ )", text):
        m = re.match(r"Thread \d+ .*?LWP (\d+)", block)
        if not m: continue
        tid = int(m.group(1))
        for key, label in (("RtpEngine", "RTP"), ("dialtone::ws", "WebSocket"), ("sip_stack", "SIP"), ("sofia", "SIP"),
                           ("nua_", "SIP"), ("CallStore", "call store"), ("grpc", "gRPC"),
                           ("AppHttpClient", "app HTTP"), ("curl", "HTTP"), ("main (", "main")):
            if key in block:
                labels[tid] = label
                break
except OSError:
    pass
print()
print(f"{'':<26} {'streams':>22} {'reference (Dial+SIPp echo)':>28}")
def row(label, f):
    print(f"{label:<26} {f(r['streams']):>22} {f(r['reference']):>28}")
row("calls answered / failed", lambda x: f"{x['answered']}/{x['failed']}")
row("ended by the router", lambda x: str(x["ended_early"]))
row("window (s)", lambda x: str(x["window_s"]))
row("frames sent in window", lambda x: str(x["frames_sent"]))
row("frames lost", lambda x: f"{x['frames_lost']} ({100 * x['frames_lost'] / max(1, x['frames_sent']):.3f} %)")
row("frames mangled", lambda x: str(x["receiver"]["mangled"]))
for p in ("p50", "p90", "p99", "p999", "max"):
    row(f"delay {p} (ms)", lambda x, p=p: str(x["delay_ms"][p]))
row("call medians min/p50/max", lambda x: "/".join(str(x["call_median_ms"][k]) for k in ("min", "p50", "max")))
row("jitter p99 (ms)", lambda x: str(x["jitter_ms"]["p99"]))
row("router CPU % (1 core)", lambda x: str(x["cpu_percent"].get("router")))
row("router ms CPU/call-second", lambda x: f"{10 * x['cpu_percent'].get('router', 0) / n:.3f}")
row("echo peer CPU %", lambda x: str(x["cpu_percent"].get("echo")))
row("machine busy % (all cores)", lambda x: str(x.get("machine_busy_percent")))
row("driver CPU % (3 processes)", lambda x: str(round(sum(v for k, v in x["cpu_percent"].items() if k.startswith("driver")), 1)))
row("driver sends >5 ms late", lambda x: f"{x['sender_lateness']['over_5ms']} (max {x['sender_lateness']['max_ms']} ms)")
counts = {name: router_counts(name) for name in r}
row("router legs logged", lambda x: str(counts[[k for k in r if r[k] is x][0]][0]))
row("router late frames", lambda x: str(counts[[k for k in r if r[k] is x][0]][4]))
s, ref = r["streams"]["delay_ms"], r["reference"]["delay_ms"]
added = {p: (round(s[p] - ref[p], 2) if s[p] is not None and ref[p] is not None else None)
         for p in ("p50", "p99")}
print()
print(f"added delay (streams - reference): p50 {added['p50']} ms, p99 {added['p99']} ms")
if s["p99"] is not None and ref["p99"]:
    print(f"ratio streams/reference: p50 {s['p50'] / ref['p50']:.2f}, p99 {s['p99'] / ref['p99']:.2f}")
per_stream = r["streams"]["cpu_percent"].get("router", 0) / n
print(f"call-router CPU per stream: {per_stream:.3f} % of a core ({10 * per_stream:.3f} ms per stream-second); "
      f"reference {r['reference']['cpu_percent'].get('router', 0) / n:.3f} % per call")
ok = (r["streams"]["answered"] == n and added["p99"] is not None and added["p99"] < 20)
print(f"Aim (p99 added delay < 20 ms on 2 cores, all {n} streams up): {'met' if ok else 'NOT met'} "
      f"({cores} cores)")
print("echo server:", json.dumps(ws))
threads = {}
for phase in ("streams", "reference"):
    for t in r[phase]["threads"]:
        threads.setdefault(t["tid"], {})[phase] = t["cpu_percent"]
# The streams' round trip split where the app received each frame: caller -> router -> app, and
# app -> router -> caller (the playout's wait for its 20 ms tick is in the second).
try:
    at_app = {}
    for line in open(f"{work}/ws.trace"):
        k, seq, t = map(int, line.split())
        at_app[(k, seq)] = t
    g = json.load(open(f"{work}/streams/receiver.json"))
    w0, w1 = r["streams"]["window_ns"]
    there, back = [], []
    first_seq = {}
    for k, seq, sent, arrived in zip(g["calls"], g["seqs"], g["sent"], g["arrived"]):
        first_seq[k] = min(first_seq.get(k, seq), seq)
        if w0 <= sent < w1 and (k, seq) in at_app:
            there.append((at_app[(k, seq)] - sent) / 1e6)
            back.append((arrived - at_app[(k, seq)]) / 1e6)
    there.sort(); back.sort()
    # Each stream's first two frames: what reaches the app late then stays queued for the call.
    sent_at = {(k, seq): sent for k, seq, sent in zip(g["calls"], g["seqs"], g["sent"])}
    opening = sorted((at_app[(k, q)] - sent_at[(k, q)]) / 1e6 for k, f in first_seq.items()
                     for q in (f, f + 1) if (k, q) in at_app and (k, q) in sent_at)
    pct = lambda v, p: v[min(len(v) - 1, int(p / 100 * len(v)))]
    # Stalls on the way to the app: 100 ms of sending in which a quarter of the frames took 30 ms
    # or more (each stream's opening frames apart), and whether the app's own event loop was
    # held up then.
    bins = {}
    for k, seq, sent, arrived in zip(g["calls"], g["seqs"], g["sent"], g["arrived"]):
        if (k, seq) in at_app and seq >= first_seq[k] + 2:
            b = bins.setdefault(sent // 100_000_000, [0, 0, 0.0])
            late = (at_app[(k, seq)] - sent) / 1e6
            b[0] += 1; b[1] += late >= 30; b[2] = max(b[2], late)
    episodes = []
    for b in sorted(bins):
        if bins[b][1] * 4 >= bins[b][0]:
            if episodes and episodes[-1][1] == b - 1:
                episodes[-1][1] = b; episodes[-1][2] = max(episodes[-1][2], bins[b][2])
            else:
                episodes.append([b, b, bins[b][2]])
    in_app = 0
    for first, last, worst in episodes:
        lo, hi = first * 100 - 200, (last + 1) * 100 + 200  # ms, wall clock
        if any(lo <= t <= hi and late >= worst / 2 for t, late in node_stalls): in_app += 1
    print(f"stalls on the way to the app over the run: {len(episodes)} (worst {max([e[2] for e in episodes] or [0]):.0f} ms), "
          f"{in_app} of them with the app's event loop held up as long; the app's loop held up >= 25 ms "
          f"{len(node_stalls)} times (max {max([l for _, l in node_stalls] or [0])} ms)")
    print(f"streams split at the app: caller->router->app p50 {pct(there, 50):.2f} / p99 {pct(there, 99):.2f} ms; "
          f"app->router->caller p50 {pct(back, 50):.2f} / p99 {pct(back, 99):.2f} ms ({len(there)} frames); "
          f"each stream's first 2 frames caller->app p50 {pct(opening, 50):.1f} / max {opening[-1]:.1f} ms")
except (OSError, ValueError, IndexError) as e:
    print("streams split at the app: not available", e)
busiest = sorted(threads.items(), key=lambda kv: -max(kv[1].values()))[:10]
preempted = {}
for phase in ("streams", "reference"):
    for t in r[phase]["threads"]:
        preempted.setdefault(t["tid"], {})[phase] = t.get("preempted_per_s", 0)
print("router threads over the window, CPU % of a core and preemptions/s (streams | reference):",
      "; ".join(f"{labels.get(tid, tid)}: {v.get('streams', 0)} % {preempted[tid].get('streams', 0)}/s"
                f" | {v.get('reference', 0)} % {preempted[tid].get('reference', 0)}/s" for tid, v in busiest))
print(f"Reproduce: DIALTONE_BUILD_DIR={build} bench/media_streams_bench.sh {n} {hold}")
PY
