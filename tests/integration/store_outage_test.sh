#!/usr/bin/env bash
# A service started while its store is down stays up, reports NOT_SERVING, and turns SERVING
# within seconds of the store starting; it follows the store down and up again; SIGTERM stops it.
# Real PostgreSQL and Redis, started and stopped by this test on free ports.
set -euo pipefail
source "$(dirname "$0")/../lib/testlib.sh"

tmp=$(mktemp -d /tmp/dialtone-outage.XXXXXX)
chmod 755 "$tmp"
pids=()
cleanup() {
  local rc=$? p
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  dt_pg_stop "$tmp/pg"
  dt_redis_stop "$tmp/redis"
  remove_tmp "$tmp" "$rc"
}
trap cleanup EXIT

is() { [[ $(health_of "$1") == "$2" ]]; }

# --- PostgreSQL: the triggers service (its only store) ---
pg_port=$(dt_free_port)
grpc=$(dt_free_port)
metrics=$(dt_free_port)
DIALTONE_PG_URL=postgresql://dialtone@127.0.0.1:$pg_port/dialtone \
DIALTONE_GRPC_ADDR=127.0.0.1:$grpc DIALTONE_METRICS_ADDR=127.0.0.1:$metrics \
DIALTONE_MIGRATIONS_DIR=$DIALTONE_SOURCE_DIR/deploy/sql \
  "$DIALTONE_BUILD_DIR/services/triggers/triggers" >"$tmp/triggers.log" 2>&1 &
svc=$!
pids+=("$svc")

check "triggers answers health while PostgreSQL is down" wait_for 10 is "127.0.0.1:$grpc" NOT_SERVING
sleep 2
check "triggers is still running after 2 s without PostgreSQL" alive "$svc"
check "triggers still reports NOT_SERVING" is "127.0.0.1:$grpc" NOT_SERVING
check "/metrics says not serving" bash -c "curl -sf http://127.0.0.1:$metrics/metrics | grep -q '^dialtone_serving 0'"

dt_pg_start "$tmp/pg" "$pg_port"
start=$SECONDS
check "triggers turns SERVING within 10 s of PostgreSQL starting" wait_for 10 is "127.0.0.1:$grpc" SERVING
echo "# SERVING $((SECONDS - start)) s after PostgreSQL started"
check "its migrations were applied once" bash -c \
  "[[ \$(psql -h 127.0.0.1 -p $pg_port -U dialtone -d dialtone -Atc \"select count(*) from dialtone_schema_migrations where component = 'triggers'\") -ge 1 ]]"

dt_pg_stop "$tmp/pg"
check "triggers reports NOT_SERVING within 5 s of PostgreSQL stopping" wait_for 5 is "127.0.0.1:$grpc" NOT_SERVING
check "triggers survived losing PostgreSQL" alive "$svc"
dt_pg_start "$tmp/pg" "$pg_port"
check "triggers is SERVING again after PostgreSQL returns" wait_for 10 is "127.0.0.1:$grpc" SERVING

# --- Redis: the media-layer service ---
redis_port=$(dt_free_port)
mgrpc=$(dt_free_port)
mmetrics=$(dt_free_port)
mhttp=$(dt_free_port)
DIALTONE_REDIS_URL=redis://127.0.0.1:$redis_port/0 \
DIALTONE_GRPC_ADDR=127.0.0.1:$mgrpc DIALTONE_METRICS_ADDR=127.0.0.1:$mmetrics \
DIALTONE_HTTP_ADDR=127.0.0.1:$mhttp DIALTONE_USAGE_METERING_ADDR=127.0.0.1:$(dt_free_port) \
DIALTONE_MEDIA_DIR=$tmp/media \
  "$DIALTONE_BUILD_DIR/services/media-layer/media-layer" >"$tmp/media.log" 2>&1 &
media=$!
pids+=("$media")
check "media-layer reports NOT_SERVING while Redis is down" wait_for 10 is "127.0.0.1:$mgrpc" NOT_SERVING
dt_redis_start "$tmp/redis" "$redis_port"
check "media-layer turns SERVING once Redis starts" wait_for 10 is "127.0.0.1:$mgrpc" SERVING
dt_redis_stop "$tmp/redis"
check "media-layer reports NOT_SERVING after Redis stops" wait_for 5 is "127.0.0.1:$mgrpc" NOT_SERVING
dt_redis_start "$tmp/redis" "$redis_port"
check "media-layer is SERVING again after Redis restarts" wait_for 10 is "127.0.0.1:$mgrpc" SERVING

# --- SIGTERM ---
for p in "$svc" "$media"; do kill -TERM "$p"; done
stopped() { ! alive "$svc" && ! alive "$media"; }
check "both services exit within 5 s of SIGTERM" wait_for 5 stopped
rc_svc=0
wait "$svc" || rc_svc=$?
check "triggers exited with status 0" test "$rc_svc" -eq 0
check "the log says it stopped" grep -q '"msg":"service stopped"' "$tmp/triggers.log"
check "no line of the log is anything but JSON" \
  /usr/bin/python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$tmp/triggers.log"
finish
