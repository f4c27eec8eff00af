#!/usr/bin/env bash
# Auth tokens at rest in a running rest-gateway (issue 21, item 6): it will not start without
# DIALTONE_SECRETS_KEY (unless DIALTONE_SECRETS_PLAINTEXT opts out) nor with a malformed one, and
# says why without printing the key; a token a plaintext gateway stored is sealed when a gateway
# with the key starts, and still authenticates; new and rotated tokens are stored sealed; a
# gateway with another key, or with none, stops on a database of sealed tokens, saying why; no
# log line carries a token or the key. Real processes on loopback: PostgreSQL, rest-gateway.
set -euo pipefail
source "$(dirname "$0")/../lib/testlib.sh"

tmp=$(mktemp -d /tmp/dialtone-secrets.XXXXXX)
chmod 755 "$tmp"
gw_pid=
cleanup() {
  local rc=$?
  [[ -z $gw_pid ]] || { kill "$gw_pid" 2>/dev/null || true; wait "$gw_pid" 2>/dev/null || true; }
  dt_pg_stop "$tmp/pg"
  remove_tmp "$tmp" "$rc"
}
trap cleanup EXIT

pg_port=$(dt_free_port)
dt_pg_start "$tmp/pg" "$pg_port"
pg_url="postgresql://dialtone@127.0.0.1:$pg_port/dialtone"
psql_q() { psql -h 127.0.0.1 -p "$pg_port" -U dialtone -d dialtone -Atqc "$1"; }
grpc_base=$(free_port_block 2)
gw_grpc=127.0.0.1:$grpc_base
rest_port=$(dt_free_port)
api=http://127.0.0.1:$rest_port/2010-04-01
key1=$(dt_new_secrets_key)
key2=$(dt_new_secrets_key)
n=0

# gateway NAME=value...: a rest-gateway on this PostgreSQL, without the suite's key unless given,
# logging to $tmp/gw-N.log (N counts the starts); sets gw_pid and gw_log.
gateway() {
  n=$((n + 1))
  gw_log=$tmp/gw-$n.log
  env -u DIALTONE_SECRETS_KEY -u DIALTONE_SECRETS_PLAINTEXT "$@" \
    DIALTONE_GRPC_ADDR="$gw_grpc" DIALTONE_METRICS_ADDR=127.0.0.1:$((grpc_base + 1)) \
    DIALTONE_PG_URL="$pg_url" DIALTONE_MIGRATIONS_DIR="$DIALTONE_SOURCE_DIR/deploy/sql" \
    DIALTONE_HTTP_ADDR=127.0.0.1:$rest_port DIALTONE_USAGE_SPOOL="$tmp/gw.spool" \
    DIALTONE_CALL_ROUTER_ADDR=127.0.0.1:1 DIALTONE_MEDIA_LAYER_ADDR=127.0.0.1:1 \
    DIALTONE_USAGE_METERING_ADDR=127.0.0.1:1 DIALTONE_TRIGGERS_ADDR=127.0.0.1:1 \
    "$DIALTONE_BUILD_DIR/services/rest-gateway/rest-gateway" >"$gw_log" 2>&1 &
  gw_pid=$!
}
serving() { [[ $(health_of "$gw_grpc") == SERVING ]]; }
stop_gateway() { kill "$gw_pid"; wait "$gw_pid" || true; gw_pid=; }
# exits_with CODE: the gateway ends by itself within 20 s with exit status CODE.
exits_with() {
  local rc=0
  wait_for 20 bash -c "! kill -0 $gw_pid 2>/dev/null" || { stop_gateway; return 1; }
  wait "$gw_pid" || rc=$?
  gw_pid=
  echo "  exit status $rc: $(tail -n 1 "$gw_log")"
  ((rc == $1))
}
status_of() {  # SID TOKEN -> the HTTP status of GET Accounts/SID.json
  curl -s -o /dev/null -w '%{http_code}' -u "$1:$2" "$api/Accounts/$1.json"
}
json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# 1. No key, no opt-out; a malformed key (64 hex digits: base64, but 48 bytes).
gateway
check "without DIALTONE_SECRETS_KEY it does not start (exit 2)" exits_with 2
check "and says what to set" grep -q 'DIALTONE_SECRETS_KEY is not set.*openssl rand -base64 32.*DIALTONE_SECRETS_PLAINTEXT=true' "$gw_log"
hex_key=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
gateway DIALTONE_SECRETS_KEY="$hex_key"
check "a malformed key stops it (exit 2)" exits_with 2
check "saying it decodes to 48 bytes" grep -q 'DIALTONE_SECRETS_KEY is malformed.*48 bytes' "$gw_log"
check "without printing the key" bash -c "! grep -qF '$hex_key' '$gw_log'"

# 2. The explicit opt-out stores a plaintext token: a row as from before sealing.
gateway DIALTONE_SECRETS_PLAINTEXT=true
check "DIALTONE_SECRETS_PLAINTEXT=true serves" wait_for 30 serving
check "and warns that tokens are plaintext" grep -q 'auth tokens are stored in plaintext' "$gw_log"
old=$("$CTL" accounts create --friendly-name Old --addr "$gw_grpc")
old_sid=$(json_field sid <<<"$old")
old_token=$(json_field auth_token <<<"$old")
check "its row holds the token as it is" test "$(psql_q "select auth_token from accounts where sid = '$old_sid'")" = "$old_token"
stop_gateway

# 3. A gateway with the key seals the old row at startup; the old token still works.
gateway DIALTONE_SECRETS_KEY="$key1"
check "with a key it serves" wait_for 30 serving
check "it sealed the plaintext token at startup" grep -q '"plaintext auth tokens sealed".*"accounts":1' "$gw_log"
stored=$(psql_q "select auth_token from accounts where sid = '$old_sid'")
check "the old row now holds v1:..., not the token" bash -c "[[ '$stored' == v1:* && '$stored' != *'$old_token'* ]]"
check "the old token authenticates" test "$(status_of "$old_sid" "$old_token")" = 200
new=$("$CTL" accounts create --friendly-name New --addr "$gw_grpc")
new_sid=$(json_field sid <<<"$new")
new_token=$(json_field auth_token <<<"$new")
stored=$(psql_q "select auth_token from accounts where sid = '$new_sid'")
check "a new account's row holds v1:..., not its token" bash -c "[[ '$stored' == v1:* && '$stored' != *'$new_token'* ]]"
check "the new token authenticates" test "$(status_of "$new_sid" "$new_token")" = 200
check "the stored value does not" test "$(status_of "$new_sid" "$stored")" = 401
rotated=$("$CTL" accounts rotate-token "$new_sid" --addr "$gw_grpc")
rotated_token=$(json_field auth_token <<<"$rotated")
stored=$(psql_q "select auth_token from accounts where sid = '$new_sid'")
check "a rotated token is stored sealed" bash -c "[[ '$stored' == v1:* && '$stored' != *'$rotated_token'* ]]"
check "the rotated token authenticates" wait_for 5 bash -c "test \"\$(curl -s -o /dev/null -w '%{http_code}' -u '$new_sid:$rotated_token' '$api/Accounts/$new_sid.json')\" = 200"
check "the replaced one does not" test "$(status_of "$new_sid" "$new_token")" = 401
stop_gateway

# 4. Another key, or none, on a database of sealed tokens: it stops and says why.
gateway DIALTONE_SECRETS_KEY="$key2"
check "with another key it stops (exit 1)" exits_with 1
check "saying the key does not open the stored tokens" grep -q 'DIALTONE_SECRETS_KEY does not open the auth tokens in PostgreSQL' "$gw_log"
gateway DIALTONE_SECRETS_PLAINTEXT=true
check "without a key on sealed tokens it stops (exit 1)" exits_with 1
check "saying the tokens are sealed and no key is set" grep -q 'sealed, but DIALTONE_SECRETS_KEY is not set' "$gw_log"
gateway DIALTONE_SECRETS_KEY="$key1"
check "with the right key it serves again" wait_for 30 serving
check "and the old token still authenticates" test "$(status_of "$old_sid" "$old_token")" = 200
stop_gateway

# 5. No log line of any start carries a token or a key.
i=0
for secret in "$old_token" "$new_token" "$rotated_token" "$key1" "$key2"; do
  i=$((i + 1))
  check "no log holds secret $i of 5 (3 tokens, 2 keys)" bash -c "! grep -qF -- '$secret' '$tmp'/gw-*.log"
done
finish
