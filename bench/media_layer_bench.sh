#!/usr/bin/env bash
# Media layer: Resolve hit latency (p50/p99) and hits per second, the cost of a miss for a 10 s
# 44.1 kHz stereo WAV, and TTS time for 200 characters, each beside redis-benchmark GET of the
# same payload size on the same Redis, in one run. Loopback only; a private Redis, origin and
# media-layer on free ports; bounded to about a minute.
#   DIALTONE_BUILD_DIR=build/release bench/media_layer_bench.sh [HIT_SECONDS] [THREADS]
# MEDIA_BENCH_FLAGS adds media-layer flags, e.g. --local_cache_ttl=0 to make every hit read Redis.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../scripts/lib/stores.sh
source "$ROOT/scripts/lib/stores.sh"
BUILD_DIR=${DIALTONE_BUILD_DIR:-$ROOT/build/release}
HIT_SECONDS=${1:-${MEDIA_BENCH_SECONDS:-6}}
THREADS=${2:-${MEDIA_BENCH_THREADS:-16}}
MEDIA=$BUILD_DIR/services/media-layer/media-layer
DRIVER=$BUILD_DIR/services/media-layer/media_layer_bench
[[ -x $MEDIA && -x $DRIVER ]] || dt_die "build media-layer and media_layer_bench first ($BUILD_DIR)"

WORK=$(mktemp -d /tmp/dt-media-bench.XXXXXX)
chmod 755 "$WORK"
REDIS_PORT=$(dt_free_port); ORIGIN_PORT=$(dt_free_port); GRPC_PORT=$(dt_free_port)
HTTP_PORT=$(dt_free_port); METRICS_PORT=$(dt_free_port)
MEDIA_PID=; ORIGIN_PID=
cleanup() {
  [[ -n $MEDIA_PID ]] && kill "$MEDIA_PID" 2>/dev/null && wait "$MEDIA_PID" 2>/dev/null
  [[ -n $ORIGIN_PID ]] && kill "$ORIGIN_PID" 2>/dev/null && wait "$ORIGIN_PID" 2>/dev/null
  dt_redis_stop "$WORK/redis"
  rm -rf "$WORK"
}
trap cleanup EXIT

# The 10 s source: a 44.1 kHz stereo 16-bit WAV made here (no binary in the repository).
mkdir -p "$WORK/origin"
python3 - "$WORK/origin/ten.wav" <<'PY'
import math, struct, sys, wave
with wave.open(sys.argv[1], "wb") as w:
    w.setnchannels(2); w.setsampwidth(2); w.setframerate(44100)
    frames = bytearray()
    for i in range(441000):
        l = int(12000 * math.sin(2 * math.pi * 440 * i / 44100))
        r = int(12000 * math.sin(2 * math.pi * 660 * i / 44100))
        frames += struct.pack("<hh", l, r)
    w.writeframes(bytes(frames))
PY
dt_redis_start "$WORK/redis" "$REDIS_PORT"
python3 "$ROOT/tests/lib/app_server.py" "$ORIGIN_PORT" "$WORK/origin" >"$WORK/origin.log" 2>&1 &
ORIGIN_PID=$!
"$MEDIA" --grpc_addr "127.0.0.1:$GRPC_PORT" --metrics_addr "127.0.0.1:$METRICS_PORT" \
  --http_addr "127.0.0.1:$HTTP_PORT" --redis_url "redis://127.0.0.1:$REDIS_PORT/0" \
  --media_dir "$WORK/media" --log_level warn ${MEDIA_BENCH_FLAGS:-} >"$WORK/media.log" 2>&1 &
MEDIA_PID=$!
for _ in $(seq 1 100); do dt_port_open "$GRPC_PORT" && dt_port_open "$ORIGIN_PORT" && break; sleep 0.1; done
dt_port_open "$GRPC_PORT" || { cat "$WORK/media.log" >&2; dt_die "media-layer did not start"; }
ADDR=127.0.0.1:$GRPC_PORT
URL=http://127.0.0.1:$ORIGIN_PORT/media/ten.wav

echo "== media-layer Resolve hits ($HIT_SECONDS s; 1 client in sequence for a third of it, then $THREADS clients)"
timeout $((HIT_SECONDS * 3 + 30)) "$DRIVER" hit "$ADDR" "$URL?cc=max-age%3D3600" "$HIT_SECONDS" "$THREADS" \
  | tee "$WORK/hit.txt" | sed 's/^/   /'
SIZE=$(awk '/^response_bytes/ {print $2}' "$WORK/hit.txt")

echo "== media-layer Resolve misses: 10 s WAV (44.1 kHz stereo, 1.7 MB) fetched, decoded, resampled, encoded, stored"
timeout 60 "$DRIVER" miss "$ADDR" "$URL" 5 | sed 's/^/   /'

echo "== media-layer Resolve of new <Say> text: 200 characters through espeak-ng"
timeout 60 "$DRIVER" tts "$ADDR" 200 5 | sed 's/^/   /'

echo "   from /metrics:"
curl -s "127.0.0.1:$METRICS_PORT/metrics" \
  | grep -E '^dialtone_media_(resolves_total|(fetch|synthesis)_seconds_(sum|count))' | sed 's/^/   /'

echo "== redis-benchmark GET of a ${SIZE}-byte value on the same Redis"
for clients in 1 $THREADS; do
  out=$(timeout 60 redis-benchmark -h 127.0.0.1 -p "$REDIS_PORT" -c "$clients" -n 100000 -d "$SIZE" \
    -t get --precision 3 2>/dev/null | tr '\r' '\n')
  rps=$(grep -m1 'throughput summary' <<<"$out" | awk '{print $3}')
  lat=$(grep -A2 'latency summary' <<<"$out" | tail -n1)
  echo "   redis_get_clients $clients  per_second $rps  p50_us $(awk '{print $3 * 1000}' <<<"$lat")  p99_us $(awk '{print $5 * 1000}' <<<"$lat")"
done
echo "reproduce: DIALTONE_BUILD_DIR=$BUILD_DIR $0 $HIT_SECONDS $THREADS   (cores: $(nproc))"
