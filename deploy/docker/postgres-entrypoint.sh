#!/bin/sh
# First start: create the cluster in $PGDATA with superuser $POSTGRES_USER (password
# $POSTGRES_PASSWORD) and database $POSTGRES_DB, as the public postgres image does. Then run
# the command (postgres) listening on every address of the container.
set -eu
: "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD (the superuser password network clients use)}"
user=${POSTGRES_USER:-postgres}
db=${POSTGRES_DB:-$user}
log() { printf '{"service":"postgres-entrypoint","level":"info","msg":"%s"}\n' "$*"; }

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  log "initialising $PGDATA (user $user, database $db)"
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb -D "$PGDATA" -U "$user" --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pwfile"
  printf 'host all all all scram-sha-256\n' >>"$PGDATA/pg_hba.conf"
  if [ "$db" != postgres ]; then
    echo "CREATE DATABASE \"$db\";" | postgres --single -D "$PGDATA" postgres >/dev/null
  fi
  log "initialised"
fi

if [ "${1:-}" = postgres ]; then
  shift
  exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
fi
exec "$@"
