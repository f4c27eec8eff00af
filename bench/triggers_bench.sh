#!/usr/bin/env bash
# Usage triggers: 10,000 armed triggers across 1,000 accounts under a stream of usage events
# through the real usage-metering (pushing counters) and triggers services, with a local
# callback server (tests/lib/app_server.py). Prints the evaluation rate and the latency from
# usage event to delivered callback (p50/p99). Loopback only; private Redis and PostgreSQL on
# free ports; bounded to about two minutes.
#   DIALTONE_BUILD_DIR=build/release bench/triggers_bench.sh [ACCOUNTS] [PER_ACCOUNT]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../scripts/lib/stores.sh
source "$ROOT/scripts/lib/stores.sh"
BUILD_DIR=${DIALTONE_BUILD_DIR:-$ROOT/build/release}
ACCOUNTS=${1:-1000}
PER_ACCOUNT=${2:-10}
STEP=${TRIGGERS_BENCH_STEP:-5}          # trigger values STEP, 2*STEP, ...: one round crosses 1/10
ROUND_MS=${TRIGGERS_BENCH_ROUND_MS:-200}
METERING=$BUILD_DIR/services/usage-metering/usage-metering
TRIGGERS=$BUILD_DIR/services/triggers/triggers
DRIVER=$BUILD_DIR/services/triggers/triggers_bench
for b in "$METERING" "$TRIGGERS" "$DRIVER"; do
  [[ -x $b ]] || dt_die "build usage-metering, triggers and triggers_bench first ($BUILD_DIR)"
done

WORK=$(mktemp -d /tmp/dt-triggers-bench.XXXXXX)
chmod 755 "$WORK"
REDIS_PORT=$(dt_free_port); PG_PORT=$(dt_free_port)
M_GRPC=$(dt_free_port); M_METRICS=$(dt_free_port); T_GRPC=$(dt_free_port); T_METRICS=$(dt_free_port)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  dt_redis_stop "$WORK/redis"; dt_pg_stop "$WORK/pg"
  [[ -n ${PG_DATA:-} && $PG_DATA != "$WORK/pg" ]] && rm -rf "$PG_DATA"
  rm -rf "$WORK"
}
trap cleanup EXIT

dt_redis_start "$WORK/redis" "$REDIS_PORT"
dt_pg_start "$WORK/pg" "$PG_PORT" 2>/dev/null
PG_DATA=$(dt_pg_dir "$WORK/pg")
PG_URL="postgresql://dialtone@127.0.0.1:$PG_PORT/dialtone"

python3 "$ROOT/tests/lib/app_server.py" 0 >"$WORK/app.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do grep -q '^PORT' "$WORK/app.log" 2>/dev/null && break; sleep 0.05; done
APP_PORT=$(awk '/^PORT/ {print $2; exit}' "$WORK/app.log")
[[ -n $APP_PORT ]] || dt_die "callback server did not start"

"$METERING" --grpc_addr "127.0.0.1:$M_GRPC" --metrics_addr "127.0.0.1:$M_METRICS" \
  --redis_url "redis://127.0.0.1:$REDIS_PORT/0" --pg_url "$PG_URL" \
  --triggers_addr "127.0.0.1:$T_GRPC" --trigger_push_interval 20ms --log_level warn \
  >"$WORK/metering.log" 2>&1 &
PIDS+=($!)
# The sweep runs every 10 s here: the push path is what is measured; the sweep is the safety net.
"$TRIGGERS" --grpc_addr "127.0.0.1:$T_GRPC" --metrics_addr "127.0.0.1:$T_METRICS" \
  --pg_url "$PG_URL" --usage_metering_addr "127.0.0.1:$M_GRPC" \
  --test_auth_token 0123456789abcdef0123456789abcdef --sweep_interval 10s \
  --delivery_workers 8 --delivery_poll_interval 200ms --log_level warn >"$WORK/triggers.log" 2>&1 &
PIDS+=($!)
for p in $M_GRPC $T_GRPC; do
  for _ in $(seq 1 100); do dt_port_open "$p" && break; sleep 0.1; done
  dt_port_open "$p" || { cat "$WORK"/*.log >&2; dt_die "a service did not start"; }
done
sleep 1  # migrations

echo "== triggers: $((ACCOUNTS * PER_ACCOUNT)) count triggers across $ACCOUNTS accounts, one event per account every ${ROUND_MS} ms"
OUT=$(timeout 150 "$DRIVER" "127.0.0.1:$T_GRPC" "127.0.0.1:$M_GRPC" "http://127.0.0.1:$APP_PORT/callback" \
  "$ACCOUNTS" "$PER_ACCOUNT" "$STEP" "$ROUND_MS") || { echo "$OUT"; tail -20 "$WORK/triggers.log" >&2; dt_die "driver failed"; }
echo "$OUT" | grep -v stream_seconds
STREAM_S=$(echo "$OUT" | awk -F= '/stream_seconds/ {print $2}')
METRICS=$(curl -s "127.0.0.1:$T_METRICS/metrics")
EVALS=$(echo "$METRICS" | awk '/^dialtone_trigger_evaluations_total\{source="push"\}/ {print $2}')
echo "   evaluations (trigger x counter comparisons) on pushes: ${EVALS} in ${STREAM_S} s of stream = $(awk -v e="$EVALS" -v s="$STREAM_S" 'BEGIN {printf "%.0f", e / s}')/s"
echo "   from /metrics:"
echo "$METRICS" | grep -E '^dialtone_trigger(s_armed|_firings_total|_delivery_attempts_total|_event_to_callback_seconds_(sum|count))' | sed 's/^/   /'
echo "reproduce: DIALTONE_BUILD_DIR=$BUILD_DIR $0 $ACCOUNTS $PER_ACCOUNT   (cores: $(nproc))"
