# Sourced by the SIP call-rate benches (sip_ramp_bench.sh, frontdoor_bench.sh) after
# bench_stack.sh: one SIPp step at a fixed rate, and the figures drawn from a ramp of them.
# Uses WORK, STEP (seconds per step), NUMBER (the number called) and RATES (the ramp).

# step NAME TARGET SCENARIO RATE -> "tried ok failed seconds peak call_ms answer_p50 answer_p99"
# From SIPp's statistics (-trace_stat), its per-call INVITE->200 times (-trace_rtt) and its
# screen (peak of calls open at once, about RATE x a call's life).
step() {
  local name=$1 target=$2 scenario=$3 rate=$4 dir start end
  dir=$WORK/$name-$rate
  mkdir -p "$dir"
  start=$(date +%s.%N)
  # -l: room for 5 s of calls; -recv_timeout: a call stuck for 10 s counts as failed.
  (cd "$dir" && sipp "$target" -sf "$scenario" -s "$NUMBER" -i 127.0.0.1 -p "$(dt_free_port)" \
    -r "$rate" -m $((rate * STEP)) -l $((rate * 5 + 100)) -recv_timeout 10000 \
    -timeout $((STEP * 3 + 60))s -nostdin -trace_stat -stf "$dir/stat.csv" -fd 1 \
    -trace_rtt -rtt_freq 20 >"$dir/sipp.out" 2>&1 </dev/null) || true
  end=$(date +%s.%N)
  python3 - "$dir" "$start" "$end" <<'PY'
import csv, glob, re, sys
d = sys.argv[1]
def ms(v):  # SIPp's HH:MM:SS:micro
    h, m, s, us = map(int, v.split(":"))
    return round(((h * 60 + m) * 60 + s) * 1000 + us / 1000)
try:
    rows = list(csv.reader(open(f"{d}/stat.csv"), delimiter=";"))
    last = dict(zip(rows[0], rows[-1]))
    tried, ok, failed = last["TotalCallCreated"], last["SuccessfulCall(C)"], last["FailedCall(C)"]
    length = ms(last["CallLength(C)"])
except (OSError, IndexError, KeyError, ValueError):
    tried = ok = failed = length = -1
rtt = []
for f in glob.glob(f"{d}/*_rtt.csv"):
    for line in open(f):
        parts = line.strip().split(";")
        if len(parts) == 3 and parts[1].isdigit():
            rtt.append(int(parts[1]))
rtt.sort()
pct = lambda q: rtt[min(len(rtt) - 1, int(q * len(rtt)))] if rtt else -1
peak = re.findall(r"Peak was (\d+) calls", open(f"{d}/sipp.out", errors="replace").read())
print(tried, ok, failed, f"{float(sys.argv[3]) - float(sys.argv[2]):.1f}", peak[-1] if peak else -1,
      length, pct(0.5), pct(0.99))
PY
}

# best NAME-OF-ASSOC-ARRAY [MAX_CALL_MS] -> the highest rate whose step made every call and failed
# none (and, given MAX_CALL_MS, kept the mean call that short), below every rate that did not.
best() {
  local -n m=$1
  local max=${2:-0} rate b=0 a s f l
  for rate in "${RATES[@]}"; do
    [[ -n ${m[$rate]:-} ]] || break
    read -r a s f _ _ l _ <<<"${m[$rate]}"
    ((a == rate * STEP && s == a && f == 0)) || break
    ((max == 0 || l <= max)) || break
    b=$rate
  done
  echo "$b"
}
ratio() { python3 -c "import sys; d, r = map(float, sys.argv[1:]); print(f'{d / r:.2f}' if r else 'n/a')" "$1" "$2"; }
fmt() {  # step's figures -> a table cell
  local a s f t p l r50 r99
  if [[ -z ${1:-} ]]; then printf 'not run'; return; fi
  read -r a s f t p l r50 r99 <<<"$1"
  printf '%5s %5s %5s %5s %4s %5s %5s/%-5s' "$a" "$s" "$f" "$t" "$p" "$l" "$r50" "$r99"
}
# mark RATE -> "RATE calls/s", flagged when it is the top of the ramp (the real figure may be more).
mark() { [[ $1 == "${RATES[-1]}" ]] && echo "$1 calls/s (the top of the ramp: at least)" || echo "$1 calls/s"; }
