# Sourced by tests and benches after testlib.sh: a private `scripts/dev up --replicas N` stack
# (Kamailio and nginx in front of N call-routers, media-layers and rest-gateways, one Redis and
# PostgreSQL) on free ports under a scratch folder, with the binaries CTest built.
#
#   replica_stack_up DIR N      starts it (DIR/dev holds .dev); exported DIALTONE_* settings reach
#                               every service (e.g. DIALTONE_SIP_ALLOWED_SOURCES). Sets:
#     sip_target    Kamailio, HOST:PORT (SIPp's target)    api, sid, token  REST through nginx
#     router_sips[i] router i's HOST:PORT (bypassing Kamailio)
#     api_urls[i] router_grpcs[i] gateway_grpcs[i] media_grpcs[i] router_metrics[i]
#     demo_number   bound to the demo app (Pause 1 s, Hangup)
#   replica_stack_down          stops it (also on EXIT through replica_stack_cleanup)
#   replica_pid NAME I          the pid of replica I of NAME (call-router, media-layer, rest-gateway)
#   replica_log NAME I          its log file
#   router_call_sids I          the Call SIDs router I logged as inbound calls, one a line
# DIALTONE_TEST_RTP_PORTS (default 400) is the RTP range the routers share.

replica_stack_up() {
  local dir=$1 n=$2 r
  mkdir -p "$dir"
  DIALTONE_TEST_RTP_PORTS=${DIALTONE_TEST_RTP_PORTS:-400} stack_env "$dir"
  # stack_env's blocks are for one of each: replica i takes +5i in gRPC and metrics. One block
  # for all the replicas' ports, so that no two of them are picked alike.
  # The routers' SIP ports are UDP too: keep the block out of their RTP range.
  local base tries=0
  while :; do
    base=$(free_port_block $((13 * n))) || { echo "no block of $((13 * n)) free ports" >&2; return 1; }
    ((base + 13 * n <= DIALTONE_RTP_PORT_MIN || base > DIALTONE_RTP_PORT_MAX)) && break
    ((++tries < 50)) || { echo "no free block outside the RTP range" >&2; return 1; }
  done
  DIALTONE_GRPC_PORT_BASE=$base
  DIALTONE_METRICS_PORT_BASE=$((base + 5 * n))
  DIALTONE_ROUTER_SIP_PORT_BASE=$((base + 10 * n))
  DIALTONE_GATEWAY_HTTP_PORT_BASE=$((base + 11 * n))
  DIALTONE_MEDIA_HTTP_PORT_BASE=$((base + 12 * n))
  export DIALTONE_GRPC_PORT_BASE DIALTONE_METRICS_PORT_BASE DIALTONE_ROUTER_SIP_PORT_BASE \
    DIALTONE_GATEWAY_HTTP_PORT_BASE DIALTONE_MEDIA_HTTP_PORT_BASE
  "$DIALTONE_SOURCE_DIR/scripts/dev" up --replicas "$n" >"$dir/up.log" 2>&1 </dev/null \
    || { tail -n 40 "$dir/up.log" >&2; return 1; }
  sid=$(env_value DIALTONE_ACCOUNT_SID)
  token=$(env_value DIALTONE_AUTH_TOKEN)
  api=$(env_value DIALTONE_API_URL)
  demo_number=$(env_value DIALTONE_DEMO_NUMBER)
  sip_target=$(env_value DIALTONE_SIP_URI)
  sip_target=${sip_target#sip:}
  read -r -a router_sips <<<"$(env_list DIALTONE_SIP_URIS)"
  for r in "${!router_sips[@]}"; do router_sips[r]=${router_sips[r]#sip:}; done
  read -r -a api_urls <<<"$(env_list DIALTONE_API_URLS)"
  read -r -a router_grpcs <<<"$(env_list DIALTONE_CALL_ROUTER_ADDRS)"
  read -r -a gateway_grpcs <<<"$(env_list DIALTONE_REST_GATEWAY_ADDRS)"
  read -r -a media_grpcs <<<"$(env_list DIALTONE_MEDIA_LAYER_ADDRS)"
  read -r -a router_metrics <<<"$(env_list DIALTONE_CALL_ROUTER_METRICS_URLS)"
}

# env_list NAME: a space-separated list `up --replicas` wrote (quoted) in .dev/env.
env_list() { env_value "$1" | tr -d '"'; }

replica_stack_down() { "$DIALTONE_SOURCE_DIR/scripts/dev" down >/dev/null 2>&1 || true; }

replica_pid() { cat "$DIALTONE_DEV_DIR/pids/$1-$2.pid"; }
replica_log() { echo "$DIALTONE_DEV_DIR/logs/$1-$2.log"; }

router_call_sids() {
  grep -h '"inbound call"' "$(replica_log call-router "$1")" | grep -o '"call_sid":"CA[0-9a-f]*"' \
    | cut -d'"' -f4 | sort -u
}
