#!/usr/bin/env bash
# Usage metering throughput: events/s counted exactly once from 4 publishers through the real
# usage-metering service, beside redis-benchmark's pipelined HINCRBY on the same Redis, in one
# run. Loopback only; private Redis and PostgreSQL on free ports; bounded to about a minute.
#   DIALTONE_BUILD_DIR=build/release bench/usage_metering_bench.sh [EVENTS_PER_PUBLISHER]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../scripts/lib/stores.sh
source "$ROOT/scripts/lib/stores.sh"
BUILD_DIR=${DIALTONE_BUILD_DIR:-$ROOT/build/release}
EVENTS=${1:-${USAGE_BENCH_EVENTS:-50000}}
PUBLISHERS=4
METERING=$BUILD_DIR/services/usage-metering/usage-metering
DRIVER=$BUILD_DIR/services/usage-metering/usage_metering_bench
[[ -x $METERING && -x $DRIVER ]] || dt_die "build usage-metering and usage_metering_bench first ($BUILD_DIR)"

WORK=$(mktemp -d /tmp/dt-usage-bench.XXXXXX)
REDIS_PORT=$(dt_free_port); PG_PORT=$(dt_free_port); GRPC_PORT=$(dt_free_port); METRICS_PORT=$(dt_free_port)
METERING_PID=
cleanup() {
  [[ -n $METERING_PID ]] && kill "$METERING_PID" 2>/dev/null && wait "$METERING_PID" 2>/dev/null
  dt_redis_stop "$WORK/redis"; dt_pg_stop "$WORK/pg"
  # As root the PostgreSQL data lives outside $WORK (see dt_pg_dir).
  [[ -n ${PG_DATA:-} && $PG_DATA != "$WORK/pg" ]] && rm -rf "$PG_DATA"
  rm -rf "$WORK"
}
trap cleanup EXIT

dt_redis_start "$WORK/redis" "$REDIS_PORT"
dt_pg_start "$WORK/pg" "$PG_PORT" 2>/dev/null
PG_DATA=$(dt_pg_dir "$WORK/pg")
"$METERING" --grpc_addr "127.0.0.1:$GRPC_PORT" --metrics_addr "127.0.0.1:$METRICS_PORT" \
  --redis_url "redis://127.0.0.1:$REDIS_PORT/0" --pg_url "postgresql://dialtone@127.0.0.1:$PG_PORT/dialtone" \
  --push_to_triggers=false --log_level warn >"$WORK/metering.log" 2>&1 &
METERING_PID=$!
for _ in $(seq 1 100); do dt_port_open "$GRPC_PORT" && break; sleep 0.1; done
dt_port_open "$GRPC_PORT" || { cat "$WORK/metering.log" >&2; dt_die "usage-metering did not start"; }

echo "== usage-metering: $PUBLISHERS publishers x $EVENTS events (10% of ids shared), exactly-once check"
timeout 100 "$DRIVER" "127.0.0.1:$GRPC_PORT" "$PUBLISHERS" "$EVENTS" "$WORK" 8
echo "   script latency (from /metrics):"
curl -s "127.0.0.1:$METRICS_PORT/metrics" | grep -E '^dialtone_usage_(script_seconds_(sum|count)|events_total)' | sed 's/^/   /'

echo "== redis-benchmark: pipelined HINCRBY (-P 64, 4 clients) on the same Redis"
timeout 60 redis-benchmark -h 127.0.0.1 -p "$REDIS_PORT" -c 4 -n 1000000 -P 64 -q \
  HINCRBY 'bench:{AC0}:h' count 1 | tr '\r' '\n' | grep -v '^$' | tail -n 1
echo "reproduce: DIALTONE_BUILD_DIR=$BUILD_DIR $0 $EVENTS   (cores: $(nproc))"
