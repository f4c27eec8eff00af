#!/bin/sh
# Starts Kamailio in the foreground with the front door's config (kamailio.cfg beside this script,
# or DIALTONE_KAMAILIO_CFG), logging to stderr: for scripts/dev up --replicas, the compose `scale`
# profile and the Kubernetes Deployment (deploy/docker/kamailio.Dockerfile). Environment:
#   DIALTONE_SIP_ROUTERS       the call-routers' SIP URIs, space-separated: written as dispatcher
#                              set 1 into DIALTONE_KAMAILIO_RUN_DIR/dispatcher.list. Unset: the
#                              list already at DIALTONE_KAMAILIO_LIST is used (a ConfigMap)
#   DIALTONE_KAMAILIO_LIST     (default /etc/kamailio/dispatcher.list)
#   DIALTONE_KAMAILIO_RUN_DIR  runtime files (default /tmp/kamailio)
#   DIALTONE_KAMAILIO_LISTEN   listen addresses, space-separated, e.g. "udp:127.0.0.1:5060
#                              tcp:127.0.0.1:5060" or "udp:eth0:5060/203.0.113.5:5060" (the part
#                              after / is the address callers reach, written in Record-Route and
#                              Via). Default: every interface, port 5060
#   DIALTONE_KAMAILIO_PING_INTERVAL, DIALTONE_KAMAILIO_PROBING_THRESHOLD, DIALTONE_KAMAILIO_FR_TIMER_MS
#                              override the config's defaults (0 turns the probes off)
#   DIALTONE_KAMAILIO_CHILDREN worker processes per listen address (default 4)
#   DIALTONE_KAMAILIO_SHM_MB   shared memory (default 256): transactions live in it, and stay
#                              a few seconds after they end; Kamailio's 64 MB ran out at 800 calls/s
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cfg=${DIALTONE_KAMAILIO_CFG:-$here/kamailio.cfg}
dir=${DIALTONE_KAMAILIO_RUN_DIR:-/tmp/kamailio}
list=${DIALTONE_KAMAILIO_LIST:-/etc/kamailio/dispatcher.list}
mkdir -p "$dir"
if [ -n "${DIALTONE_SIP_ROUTERS:-}" ]; then
  list=$dir/dispatcher.list
  : >"$list"
  for router in $DIALTONE_SIP_ROUTERS; do echo "1 $router" >>"$list"; done
fi
set -- -A "DS_LIST=\"$list\""
[ -z "${DIALTONE_KAMAILIO_PING_INTERVAL:-}" ] || set -- "$@" -A "DS_PING_INTERVAL=$DIALTONE_KAMAILIO_PING_INTERVAL"
[ -z "${DIALTONE_KAMAILIO_PROBING_THRESHOLD:-}" ] || set -- "$@" -A "DS_PROBING_THRESHOLD=$DIALTONE_KAMAILIO_PROBING_THRESHOLD"
[ -z "${DIALTONE_KAMAILIO_FR_TIMER_MS:-}" ] || set -- "$@" -A "FR_TIMER_MS=$DIALTONE_KAMAILIO_FR_TIMER_MS"
for address in ${DIALTONE_KAMAILIO_LISTEN:-}; do set -- "$@" -l "$address"; done
# -DD: the main process stays in the foreground (a supervisor's to stop); -E: log to stderr.
exec kamailio -f "$cfg" -DD -E -Y "$dir" -P "$dir/kamailio.pid" -n "${DIALTONE_KAMAILIO_CHILDREN:-4}" \
  -m "${DIALTONE_KAMAILIO_SHM_MB:-256}" "$@"
