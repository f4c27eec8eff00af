#!/usr/bin/env bash
# REST gateway throughput: wrk fetching one call by SID (keep-alive, 64 connections) through a
# private `scripts/dev up` stack, beside wrk against nginx serving the same JSON bytes as a static
# file in the same run. The call is an ended one (the gateway keeps ended calls' answers: they
# never change); a live call, fetched from call-router every time, is measured too. Loopback
# only; about 50 s.
#   DIALTONE_BUILD_DIR=build/release bench/rest_gateway_bench.sh [SECONDS]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export DIALTONE_SOURCE_DIR=$ROOT
export DIALTONE_BUILD_DIR=${DIALTONE_BUILD_DIR:-$ROOT/build/release}
source "$ROOT/tests/lib/testlib.sh"
SECS=${1:-10}
command -v wrk >/dev/null && command -v nginx >/dev/null || dt_die "wrk and nginx are needed (scripts/dev setup)"

source "$ROOT/bench/lib/bench_stack.sh"
DIALTONE_LOG_LEVEL=warn bench_stack_up rest-bench

# One finished call to fetch (calls are created by the SIP stack; here straight into its table).
call=CA$(printf '%032x' 1)
psql -h 127.0.0.1 -p "$DIALTONE_LOCAL_PG_PORT" -U dialtone -d dialtone -qc \
  "insert into calls (sid, account_sid, to_number, from_number, status, direction, start_time,
   end_time, duration) values ('$call', '$sid', '+15005550001', '+15005550006', 'completed',
   'inbound', now() - interval '42 seconds', now(), 42)" >/dev/null
# And a live one: its answer is never cached, so every fetch goes to call-router and PostgreSQL.
live=CA$(printf '%032x' 2)
psql -h 127.0.0.1 -p "$DIALTONE_LOCAL_PG_PORT" -U dialtone -d dialtone -qc \
  "insert into calls (sid, account_sid, to_number, from_number, status, direction, start_time)
   values ('$live', '$sid', '+15005550001', '+15005550006', 'in-progress', 'inbound', now())" >/dev/null
url="$api/Accounts/$sid/Calls/$call.json"
curl -sf -u "$sid:$token" "$url" >"$WORK/call.json"
bytes=$(wc -c <"$WORK/call.json")

# nginx serving the same bytes.
mkdir -p "$WORK/www"
cp "$WORK/call.json" "$WORK/www/call.json"
bench_nginx 1024 "root $WORK/www; default_type application/json;" 2

auth=$(printf '%s:%s' "$sid" "$token" | base64 -w0)
run() {  # NAME URL [wrk args]
  local name=$1 u=$2; shift 2
  wrk -t2 -c64 -d"${SECS}s" --latency "$@" "$u" >"$WORK/$name.txt"
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/$name.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$WORK/$name.txt")
  echo "$name $rps $p99"
}
read -r _ g_rps g_p99 < <(run gateway "$url" -H "Authorization: Basic $auth")
read -r _ l_rps l_p99 < <(run gateway-live "$api/Accounts/$sid/Calls/$live.json" -H "Authorization: Basic $auth")
read -r _ n_rps n_p99 < <(run nginx "http://127.0.0.1:$nport/call.json")
non2xx=$(awk '/Non-2xx/ {print $NF}' "$WORK/gateway.txt")
ratio=$(python3 -c "print(f'{float($n_rps)/float($g_rps):.2f}')")
cat <<TXT
rest-gateway GET Call by SID ($bytes bytes JSON), wrk -t2 -c64 -d${SECS}s, keep-alive:
  gateway, an ended call: $g_rps requests/s, p99 $g_p99${non2xx:+, non-2xx $non2xx}
  gateway, a live call (never cached: gRPC + PostgreSQL each time): $l_rps requests/s, p99 $l_p99
  nginx (same bytes, static): $n_rps requests/s, p99 $n_p99
  nginx / gateway: ${ratio}x   (aim: 10,000 requests/s, within 3x of nginx)
reproduce: DIALTONE_BUILD_DIR=$DIALTONE_BUILD_DIR bench/rest_gateway_bench.sh $SECS
TXT
