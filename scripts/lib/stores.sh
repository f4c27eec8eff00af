# Local Redis and PostgreSQL on loopback, for `scripts/dev` and the test scripts. Source it.
# PostgreSQL refuses to run as root, so as root it runs as the `postgres` system user that
# Debian's package creates.

dt_log() { printf '%s\n' "dev: $*" >&2; }
dt_die() { printf '%s\n' "dev: error: $*" >&2; exit 1; }

# The ports `scripts/dev up` takes by default (README, "Ports"): SIP, REST, media HTTP, the demo
# app, metrics, PostgreSQL, Redis, RTP and gRPC, as "FIRST-LAST" ranges, with those of up to 8
# replicas (`up --replicas`: routers' SIP, gateways' and media-layers' HTTP, gRPC and metrics).
# Ports picked for tests avoid them, so tests run beside a dev stack, and the stack starts while
# tests run.
DT_DEV_STACK_PORTS="5060-5060 5070-5077 8080-8082 8090-8097 8101-8108 9101-9140 15432-15432 16379-16379 20000-29999 50051-50090"

dt_dev_stack_port() {  # FIRST [LAST] -> 0 when any port in FIRST..LAST is one of the dev stack's
  local first=$1 last=${2:-$1} r
  for r in $DT_DEV_STACK_PORTS; do
    ((first <= ${r#*-} && last >= ${r%-*})) && return 0
  done
  return 1
}

# A TCP port on 127.0.0.1 that nothing listens on right now, and not one of the dev stack's.
dt_free_port() {
  local p
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    p=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
    dt_dev_stack_port "$p" || { echo "$p"; return 0; }
  done
  dt_die "no free port outside the dev stack's"
}

# A fresh key for rest-gateway's DIALTONE_SECRETS_KEY: 32 random bytes in base64.
dt_new_secrets_key() { head -c 32 /dev/urandom | base64 -w0; }

# dt_secrets_key FILE: the key kept in FILE, made (readable by its owner only) when missing.
# The local PostgreSQL keeps tokens sealed with it, so it lives as long as the stack's data.
dt_secrets_key() {
  if [[ ! -s $1 ]]; then
    mkdir -p "$(dirname "$1")"
    (umask 077 && dt_new_secrets_key >"$1.tmp" && mv "$1.tmp" "$1")
  fi
  cat "$1"
}

dt_port_open() {  # PORT -> 0 when something accepts connections on 127.0.0.1:PORT
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

dt_udp_bound() {  # PORT -> 0 when something has bound UDP 127.0.0.1:PORT (e.g. a SIPp callee)
  ! python3 -c 'import socket, sys; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).bind(("127.0.0.1", int(sys.argv[1])))' "$1" 2>/dev/null
}

dt_pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n $d ]] || dt_die "PostgreSQL server binaries not found (run scripts/dev setup)"
  printf '%s' "$d"
}

# Runs a command as the user that owns the PostgreSQL data (postgres when we are root).
dt_as_pg() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The folder PostgreSQL's files go in for DIR. As root the server runs as `postgres`, which
# cannot enter a private parent (e.g. a clone under /root): then a folder under /var/tmp named
# after DIR is used instead, so the same DIR always maps to the same data.
dt_pg_dir() {
  local dir=$1
  if [[ $(id -u) -eq 0 ]]; then
    mkdir -p "$dir" && chown postgres: "$dir"
    if ! runuser -u postgres -- test -w "$dir" 2>/dev/null; then
      dir=/var/tmp/dialtone-pg-$(printf '%s' "$1" | cksum | cut -d' ' -f1)
      mkdir -p "$dir" && chown postgres: "$dir"
    fi
  fi
  printf '%s' "$dir"
}

# dt_pg_start DIR PORT: initialise the data once, start on 127.0.0.1:PORT, create database
# `dialtone` owned by superuser `dialtone` (trust auth on loopback: a development server).
dt_pg_start() {
  local dir port=$2 bin
  bin=$(dt_pg_bin)
  mkdir -p "$1"
  dir=$(dt_pg_dir "$1")
  [[ $dir == "$1" ]] || dt_log "PostgreSQL data for $1 lives in $dir (user postgres cannot enter $1)"
  if [[ ! -f $dir/data/PG_VERSION ]]; then
    dt_as_pg "$bin/initdb" -D "$dir/data" -A trust -U dialtone -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; dt_die "initdb failed (log: $dir/initdb.log)"; }
  fi
  if dt_as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    return 0
  fi
  dt_as_pg "$bin/pg_ctl" -D "$dir/data" -w -t 60 -l "$dir/postgres.log" \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" start >/dev/null \
    || { tail -n 20 "$dir/postgres.log" >&2; dt_die "PostgreSQL did not start on port $port"; }
  local i
  for i in $(seq 1 50); do
    psql -h 127.0.0.1 -p "$port" -U dialtone -d postgres -Atqc 'select 1' >/dev/null 2>&1 && break
    sleep 0.2
  done
  if ! psql -h 127.0.0.1 -p "$port" -U dialtone -d postgres -Atqc "select 1 from pg_database where datname='dialtone'" | grep -q 1; then
    psql -h 127.0.0.1 -p "$port" -U dialtone -d postgres -qc 'create database dialtone' >/dev/null
  fi
}

dt_pg_stop() {  # DIR
  local dir bin
  dir=$(dt_pg_dir "$1")
  [[ -f $dir/data/PG_VERSION ]] || return 0
  bin=$(dt_pg_bin)
  dt_as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

# dt_redis_start DIR PORT: a throwaway Redis (no persistence) on 127.0.0.1:PORT.
dt_redis_start() {
  local dir=$1 port=$2 i
  mkdir -p "$dir"
  if [[ -f $dir/redis.pid ]] && kill -0 "$(cat "$dir/redis.pid")" 2>/dev/null; then return 0; fi
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null \
    || dt_die "redis-server did not start on port $port"
  for i in $(seq 1 50); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  dt_die "Redis did not answer on port $port (log: $dir/redis.log)"
}

dt_redis_stop() {  # DIR
  local dir=$1 pid i
  [[ -f $dir/redis.pid ]] || return 0
  pid=$(cat "$dir/redis.pid")
  kill "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$dir/redis.pid"
}
