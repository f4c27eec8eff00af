#!/usr/bin/env bash
# `scripts/dev up` brings the whole stack up (its own Redis and PostgreSQL, five services, a demo
# account, .dev/env); a second `up` is safe; `scripts/dev down` leaves nothing running.
# Runs on free ports in a scratch DIALTONE_DEV_DIR, with the binaries CTest built.
set -euo pipefail
source "$(dirname "$0")/../lib/testlib.sh"

tmp=$(mktemp -d /tmp/dialtone-stack.XXXXXX)
chmod 755 "$tmp"
stack_env "$tmp"
dev=$DIALTONE_SOURCE_DIR/scripts/dev
cleanup() { local rc=$?; "$dev" down >/dev/null 2>&1 || true; remove_tmp "$tmp" "$rc"; }
trap cleanup EXIT

"$dev" up >"$tmp/up1.log" 2>&1 || { cat "$tmp/up1.log" >&2; fail "scripts/dev up"; finish; }
pass "scripts/dev up exits 0"
check "up prints the demo account" grep -q "Demo account   AC" "$tmp/up1.log"

envf=$DIALTONE_DEV_DIR/env
for var in DIALTONE_API_URL DIALTONE_ACCOUNT_SID DIALTONE_AUTH_TOKEN DIALTONE_SIP_URI \
  DIALTONE_MEDIA_URL DIALTONE_CALL_ROUTER_ADDR DIALTONE_MEDIA_LAYER_ADDR DIALTONE_REST_GATEWAY_ADDR \
  DIALTONE_USAGE_METERING_ADDR DIALTONE_TRIGGERS_ADDR; do
  check ".dev/env exports $var" grep -q "^export $var=." "$envf"
done

# In a clean shell, as a user would.
health=$(env -i PATH=/usr/bin:/bin bash -c ". '$envf' && dialtonectl health") && rc=0 || rc=$?
echo "$health"
check "dialtonectl health (after sourcing .dev/env) exits 0" test "$rc" -eq 0
check "all five services report SERVING" test "$(grep -c ' SERVING$' <<<"$health")" -eq 5
for name in call-router media-layer rest-gateway usage-metering triggers; do
  check "health names $name" grep -q "^$name " <<<"$health"
done
for i in 0 1 2 3 4; do
  port=$((DIALTONE_METRICS_PORT_BASE + i))
  check "/metrics on $port answers and reports serving" \
    bash -c "curl -sf http://127.0.0.1:$port/metrics | grep -q '^dialtone_serving 1'"
done

sid=$(sed -n 's/^export DIALTONE_ACCOUNT_SID=//p' "$envf")
token=$(sed -n 's/^export DIALTONE_AUTH_TOKEN=//p' "$envf")
got=$("$CTL" accounts get "$sid" --addr "127.0.0.1:$((DIALTONE_GRPC_PORT_BASE + 2))")
check "the demo account exists with the token in .dev/env" \
  grep -q "\"auth_token\": \"$token\"" <<<"$got"

# The official twilio helper library against the REST gateway, base URL changed only.
api_base=$(sed -n 's|^export DIALTONE_API_URL=\(.*\)/2010-04-01$|\1|p' "$envf")
node_out=$(node "$DIALTONE_SOURCE_DIR/tests/node/fetch_account.js" "$api_base" "$sid" "$token") && rc=0 || rc=$?
echo "$node_out"
check "twilio-node fetches and updates the account" test "$rc" -eq 0
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$node_out" "$1"; }
check "twilio-node sees the demo account's SID" test "$(field sid)" = "$sid"
check "twilio-node parses date_created as a date" test "$(field dateCreatedIsDate)" = True
check "twilio-node's update comes back renamed" test "$(field renamed)" = "Renamed by twilio-node"
check "twilio-node gets 401/20003 with a wrong token" \
  test "$(field wrongToken)" = "{'status': 401, 'code': 20003}"

# Media: Say text through the running media layer, then download its persistent address.
media=$(env -i PATH=/usr/bin:/bin bash -c ". '$envf' && dialtonectl media resolve --say 'Welcome to Dialtone' --codec pcmu") && rc=0 || rc=$?
echo "$media"
check "dialtonectl media resolve --say works against the stack" test "$rc" -eq 0
media_url=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["media"]["url"])' "$media" 2>/dev/null || true)
check "the persistent address serves a mu-law WAV" \
  bash -c "curl -sf '$media_url' -o '$tmp/say.wav' && file -b '$tmp/say.wav' | grep -q 'mu-law, mono 8000 Hz'"

pids_before=$(cat "$DIALTONE_DEV_DIR"/pids/*.pid | sort)
"$dev" up >"$tmp/up2.log" 2>&1 && rc=0 || rc=$?
check "a second scripts/dev up exits 0" test "$rc" -eq 0
check "the second up keeps the demo account" \
  test "$(sed -n 's/^export DIALTONE_ACCOUNT_SID=//p' "$envf")" = "$sid"
check "all five are SERVING after the second up" \
  test "$(grep -c ' SERVING$' "$tmp/up2.log")" -eq 5
check "the second up replaced the services (no duplicates left behind)" \
  bash -c "for p in $(echo $pids_before); do ! kill -0 \$p 2>/dev/null || exit 1; done"
pids=$(cat "$DIALTONE_DEV_DIR"/pids/*.pid)
redis_pid=$(cat "$DIALTONE_DEV_DIR/redis/redis.pid")

"$dev" down >"$tmp/down.log" 2>&1 && rc=0 || rc=$?
check "scripts/dev down exits 0" test "$rc" -eq 0
for p in $pids $redis_pid; do
  check "process $p is gone after down" bash -c "! kill -0 $p 2>/dev/null"
done
check "no service listens on its gRPC ports" \
  bash -c "for i in 0 1 2 3 4; do (exec 3<>/dev/tcp/127.0.0.1/\$(($DIALTONE_GRPC_PORT_BASE + i))) 2>/dev/null && exit 1; done; exit 0"
check "PostgreSQL is stopped" bash -c "! (exec 3<>/dev/tcp/127.0.0.1/$DIALTONE_LOCAL_PG_PORT) 2>/dev/null"
finish
