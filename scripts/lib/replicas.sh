# `scripts/dev up --replicas N` (README, "Replicas"): N call-routers, media-layers and
# rest-gateways on loopback behind Kamailio (SIP, on DIALTONE_SIP_PORT) and nginx (REST on
# DIALTONE_REST_PORT, media on DIALTONE_MEDIA_PORT). Sourced by scripts/dev, which sets the
# *_BASE ports, DEV_DIR and ROOT.
#
# Replica i (0-based) of a replicated service takes gRPC GRPC_BASE + 5i + k and metrics
# METRICS_BASE + 5i + k (k: 0 call-router, 1 media-layer, 2 rest-gateway), so that replica 0 sits
# on the ports of `scripts/dev up`; usage-metering and triggers stay single, on +3 and +4. Router i
# takes SIP ROUTER_SIP_BASE + i and the i-th slice of the RTP range; gateway i HTTP
# GATEWAY_HTTP_BASE + i, media-layer i MEDIA_HTTP_BASE + i. Gateway i and media-layer i talk to
# router i, router i to media-layer i, so that paths across replicas are exercised.

REPLICATED=(call-router media-layer rest-gateway)
DT_MAX_REPLICAS=8

# The number of replicas `up --replicas` started in DEV_DIR (0: the one-of-each stack).
replicas_running() { cat "$DEV_DIR/state/replicas" 2>/dev/null || echo 0; }

grpc_port() { echo $((GRPC_BASE + 5 * $2 + $1)); }        # KIND REPLICA
metrics_port() { echo $((METRICS_BASE + 5 * $2 + $1)); }  # KIND REPLICA
router_sip_port() { echo $((ROUTER_SIP_BASE + $1)); }
gateway_http_port() { echo $((GATEWAY_HTTP_BASE + $1)); }
media_http_port() { echo $((MEDIA_HTTP_BASE + $1)); }

# rtp_slice REPLICA -> "MIN MAX": the RTP range split evenly between the routers, on even ports.
rtp_slice() {
  local size=$(((RTP_PORT_MAX - RTP_PORT_MIN + 1) / REPLICAS / 2 * 2))
  echo "$((RTP_PORT_MIN + $1 * size)) $((RTP_PORT_MIN + ($1 + 1) * size - 1))"
}

# The extra environment of replica REPLICA of NAME (after service_env's).
replica_env() {
  local name=$1 r=$2 slice
  case $name in
    call-router)
      read -r -a slice <<<"$(rtp_slice "$r")"
      echo "DIALTONE_SIP_HOST=127.0.0.1"
      echo "DIALTONE_SIP_PORT=$(router_sip_port "$r")"
      echo "DIALTONE_RTP_PORT_MIN=${slice[0]}"
      echo "DIALTONE_RTP_PORT_MAX=${slice[1]}"
      echo "DIALTONE_MEDIA_HOST=127.0.0.1"
      # Kamailio runs here: only its X-Dialtone-Source is believed.
      echo "DIALTONE_SIP_TRUSTED_PROXIES=127.0.0.1"
      echo "DIALTONE_ADVERTISE_ADDR=127.0.0.1:$(grpc_port 0 "$r")"
      [[ -z ${DIALTONE_DRAIN_SECONDS:-} ]] || echo "DIALTONE_DRAIN_SECONDS=$DIALTONE_DRAIN_SECONDS" ;;
    media-layer)
      # One media folder for all; the persistent addresses go through the nginx front.
      echo "DIALTONE_HTTP_ADDR=127.0.0.1:$(media_http_port "$r")"
      echo "DIALTONE_PUBLIC_URL=http://127.0.0.1:$MEDIA_PORT" ;;
    rest-gateway)
      echo "DIALTONE_HTTP_ADDR=127.0.0.1:$(gateway_http_port "$r")" ;;
  esac
}

# dt_kamailio_start DIR PORT LOG DEST...: Kamailio (deploy/kamailio/run.sh) on 127.0.0.1:PORT,
# UDP and TCP, dispatching to the SIP URIs DEST; its dispatcher list and runtime files in DIR, its
# log appended to LOG. Sets KAMAILIO_PID. DIALTONE_KAMAILIO_PING_INTERVAL, _PROBING_THRESHOLD,
# _FR_TIMER_MS and _CHILDREN pass through (run.sh).
dt_kamailio_start() {
  local dir=$1 port=$2 log=$3
  shift 3
  command -v kamailio >/dev/null || dt_die "kamailio not found (scripts/dev setup installs it)"
  DIALTONE_SIP_ROUTERS="$*" DIALTONE_KAMAILIO_RUN_DIR=$dir \
    DIALTONE_KAMAILIO_LISTEN="udp:127.0.0.1:$port tcp:127.0.0.1:$port" \
    nohup "$ROOT/deploy/kamailio/run.sh" >>"$log" 2>&1 </dev/null &
  KAMAILIO_PID=$!
}

# Kamailio on 127.0.0.1:SIP_PORT in front of the N routers.
start_kamailio() {
  local r routers=()
  for ((r = 0; r < REPLICAS; r++)); do routers+=("sip:127.0.0.1:$(router_sip_port "$r")"); done
  dt_kamailio_start "$DEV_DIR/kamailio" "$SIP_PORT" "$DEV_DIR/logs/kamailio.log" "${routers[@]}"
  echo "$KAMAILIO_PID" >"$DEV_DIR/pids/kamailio.pid"
}

# nginx: REST_PORT over the gateways, MEDIA_PORT over the media-layers.
start_nginx() {
  local dir=$DEV_DIR/nginx r gateways="" media=""
  command -v nginx >/dev/null || dt_die "nginx not found (scripts/dev setup installs nginx-light)"
  mkdir -p "$dir"
  for ((r = 0; r < REPLICAS; r++)); do
    gateways+="server 127.0.0.1:$(gateway_http_port "$r");"$'\n    '
    media+="server 127.0.0.1:$(media_http_port "$r");"$'\n    '
  done
  cat >"$dir/nginx.conf" <<CONF
# Written by scripts/dev up --replicas $REPLICAS
worker_processes 1;
pid $dir/nginx.pid;
error_log $DEV_DIR/logs/nginx.log;
$( [[ $(id -u) -eq 0 ]] && echo "user root;" )
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  client_max_body_size 64m;
  proxy_http_version 1.1;
  proxy_set_header Connection "";
  proxy_set_header Host \$http_host;
  proxy_set_header X-Forwarded-For \$remote_addr;
  proxy_next_upstream error timeout http_502 http_503;
  upstream gateways {
    $gateways keepalive 64;
  }
  upstream media {
    $media keepalive 64;
  }
  server { listen 127.0.0.1:$REST_PORT; location / { proxy_pass http://gateways; } }
  server { listen 127.0.0.1:$MEDIA_PORT; location / { proxy_pass http://media; } }
}
CONF
  nohup nginx -c "$dir/nginx.conf" -g 'daemon off;' >>"$DEV_DIR/logs/nginx.log" 2>&1 </dev/null &
  echo $! >"$DEV_DIR/pids/nginx.pid"
}

# The front doors are up when Kamailio has bound its SIP port and nginx accepts on both of its.
fronts_up() {
  dt_udp_bound "$SIP_PORT" && dt_port_open "$SIP_PORT" && dt_port_open "$REST_PORT" \
    && dt_port_open "$MEDIA_PORT"
}

# Every replica's address, one line each: NAME-i gRPC-ADDR (what status and `up` print).
replica_addrs() {
  local r k name
  for ((r = 0; r < REPLICAS; r++)); do
    for k in 0 1 2; do
      name=${REPLICATED[$k]}
      echo "$name-$r 127.0.0.1:$(grpc_port "$k" "$r")"
    done
  done
  echo "usage-metering 127.0.0.1:$(grpc_port 3 0)"
  echo "triggers 127.0.0.1:$(grpc_port 4 0)"
}

# The lines `up --replicas` adds to .dev/env: each replica's addresses, space-separated.
replica_env_lines() {
  local r sip=() api=() media=() routers=() gateways=() layers=() metrics=()
  for ((r = 0; r < REPLICAS; r++)); do
    sip+=("sip:127.0.0.1:$(router_sip_port "$r")")
    api+=("http://127.0.0.1:$(gateway_http_port "$r")/2010-04-01")
    media+=("http://127.0.0.1:$(media_http_port "$r")/v1/Media")
    routers+=("127.0.0.1:$(grpc_port 0 "$r")")
    layers+=("127.0.0.1:$(grpc_port 1 "$r")")
    gateways+=("127.0.0.1:$(grpc_port 2 "$r")")
    metrics+=("http://127.0.0.1:$(metrics_port 0 "$r")/metrics")
  done
  cat <<ENV
export DIALTONE_REPLICAS=$REPLICAS
export DIALTONE_SIP_URIS="${sip[*]}"
export DIALTONE_API_URLS="${api[*]}"
export DIALTONE_MEDIA_URLS="${media[*]}"
export DIALTONE_CALL_ROUTER_ADDRS="${routers[*]}"
export DIALTONE_MEDIA_LAYER_ADDRS="${layers[*]}"
export DIALTONE_REST_GATEWAY_ADDRS="${gateways[*]}"
export DIALTONE_CALL_ROUTER_METRICS_URLS="${metrics[*]}"
ENV
}
