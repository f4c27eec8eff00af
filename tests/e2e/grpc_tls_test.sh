#!/usr/bin/env bash
# gRPC with mutual TLS (issue 21): a test CA made with the openssl CLI signs one certificate for
# every service (named dialtone.internal, reached through DIALTONE_GRPC_TLS_SERVER_NAME);
# `scripts/dev up` runs the whole stack with it (its readiness probes are dialtonectl over TLS).
# A SIP call and REST requests cross gRPC hops: rest-gateway -> call-router, usage-metering and
# triggers; call-router -> rest-gateway (auth token) and usage-metering (call usage). Then every
# service refuses a plaintext client, a client whose certificate another CA signed and a client
# that trusts another CA; the name in the server's certificate is checked; a partial TLS
# configuration stops a service at start. Private stack on free ports.
set -euo pipefail
source "$(dirname "$0")/../lib/testlib.sh"

command -v openssl >/dev/null || { echo "FAIL: openssl CLI missing (scripts/dev setup installs it)" >&2; exit 1; }
tmp=$(mktemp -d /tmp/dialtone-grpctls.XXXXXX)
chmod 755 "$tmp"
stack_env "$tmp"
unset DIALTONE_DEMO_NUMBER
dev=$DIALTONE_SOURCE_DIR/scripts/dev
cleanup() {
  local rc=$?
  "$dev" down >/dev/null 2>&1 || true
  remove_tmp "$tmp" "$rc"
}
trap cleanup EXIT

# ca NAME: a self-signed CA in $tmp/pki/NAME-ca.{key,crt}.
# leaf NAME CA: a key and a certificate for both ends of a gRPC connection (serverAuth and
# clientAuth), named dialtone.internal only, signed by CA.
pki=$tmp/pki
mkdir -p "$pki"
ca() {
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$1 test CA" \
    -keyout "$pki/$1-ca.key" -out "$pki/$1-ca.crt" 2>>"$pki/openssl.log"
}
leaf() {
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$1" -keyout "$pki/$1.key" -out "$pki/$1.csr" \
    2>>"$pki/openssl.log"
  printf '%s\n' 'subjectAltName=DNS:dialtone.internal' 'extendedKeyUsage=serverAuth,clientAuth' \
    'basicConstraints=CA:FALSE' >"$pki/$1.ext"
  openssl x509 -req -in "$pki/$1.csr" -CA "$pki/$2-ca.crt" -CAkey "$pki/$2-ca.key" \
    -CAcreateserial -days 2 -extfile "$pki/$1.ext" -out "$pki/$1.crt" 2>>"$pki/openssl.log"
}
ca dialtone && leaf service dialtone && ca other && leaf rogue other ||
  { cat "$pki/openssl.log" >&2; fail "test CAs and certificates made with openssl"; finish; }
pass "openssl made the test CA, a service certificate and one from another CA"

export DIALTONE_GRPC_TLS_CERT=$pki/service.crt DIALTONE_GRPC_TLS_KEY=$pki/service.key
export DIALTONE_GRPC_TLS_CA=$pki/dialtone-ca.crt DIALTONE_GRPC_TLS_SERVER_NAME=dialtone.internal

"$dev" up >"$tmp/up.log" 2>&1 </dev/null || { cat "$tmp/up.log" >&2; fail "scripts/dev up with gRPC TLS"; finish; }
pass "scripts/dev up with DIALTONE_GRPC_TLS_*: every service SERVING to dialtonectl over mutual TLS"
logs=$DIALTONE_DEV_DIR/logs
services=(call-router media-layer rest-gateway usage-metering triggers)
for s in "${services[@]}"; do
  check "$s serves gRPC with TLS (its start-up log says so)" \
    grep -q '"msg":"service started".*"grpc_tls":true' "$logs/$s.log"
done
check ".dev/env exports the TLS variables for dialtonectl" \
  test "$(env_value DIALTONE_GRPC_TLS_CA)" = "$pki/dialtone-ca.crt"
sid=$(env_value DIALTONE_ACCOUNT_SID)
token=$(env_value DIALTONE_AUTH_TOKEN)
api=$(env_value DIALTONE_API_URL)
addrs=()
for var in CALL_ROUTER MEDIA_LAYER REST_GATEWAY USAGE_METERING TRIGGERS; do
  addrs+=("$(env_value "DIALTONE_${var}_ADDR")")
done

# 1. Flows across gRPC hops, all on TLS.
"$dev" call +15005550006 >"$tmp/call.out" 2>&1 </dev/null && rc=0 || rc=$?
check "a SIP call to the demo number is answered and hung up (router <-> gateway over TLS)" \
  test "$rc" -eq 0
call_sid=$(sed -nE 's/^Call (CA[0-9a-f]{32}): status completed.*/\1/p' "$tmp/call.out")
check "the Call resource reads completed through REST (gateway -> router over TLS)" \
  test -n "$call_sid"
signed_ok() {  # the demo app's requests were signed with the account's token (router asked the gateway)
  python3 - "$logs/demo-app.log" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip().startswith("{")]
hits = [r for r in rows if r.get("msg") == "request" and r.get("path") == "/voice"]
sys.exit(0 if hits and all(r["signature"] == "valid" for r in hits) else 1)
PY
}
check "the demo app's /voice request carries a valid signature (token fetched over TLS)" signed_ok
rest() { curl -sf -u "$sid:$token" "$@"; }
app_json=$(rest -X POST "$api/Accounts/$sid/Applications.json" -d FriendlyName=tls \
  -d VoiceUrl=https://app.example/voice) || app_json=
app_sid=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["sid"])' <<<"$app_json" 2>/dev/null || true)
check "REST creates an Application (gateway -> call-router over TLS)" test -n "$app_sid"
app_named_tls() {
  rest "$api/Accounts/$sid/Applications/$app_sid.json" |
    python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)["friendly_name"] == "tls" else 1)'
}
check "REST reads it back" app_named_tls
trigger_sid=$(rest -X POST "$api/Accounts/$sid/Usage/Triggers.json" -d UsageCategory=calls \
  -d TriggerValue=1000 -d CallbackUrl=https://app.example/t |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["sid"])' 2>/dev/null || true)
check "REST creates a usage trigger (gateway -> triggers over TLS)" test -n "$trigger_sid"
usage_at_least() {  # CATEGORY N: the account's all-time count has reached N
  rest "$api/Accounts/$sid/Usage/Records.json?Category=$1" | python3 -c '
import json, sys
r = json.load(sys.stdin)["usage_records"]
sys.exit(0 if r and int(r[0]["count"]) >= int(sys.argv[1]) else 1)' "$2"
}
check "usage-metering counted the call (router -> metering over TLS)" \
  wait_for 20 usage_at_least calls-inbound 1
check "usage-metering counted the API requests (gateway -> metering over TLS)" \
  wait_for 20 usage_at_least api-requests 3

# 2. Who is refused. ctl_as ENV... -- ARGS: dialtonectl with the TLS variables replaced.
ctl_as() {
  local -a envs=(-u DIALTONE_GRPC_TLS_CERT -u DIALTONE_GRPC_TLS_KEY -u DIALTONE_GRPC_TLS_CA
    -u DIALTONE_GRPC_TLS_SERVER_NAME)
  while [[ $1 != -- ]]; do envs+=("$1"); shift; done
  shift
  env "${envs[@]}" "$CTL" "$@"
}
good=(DIALTONE_GRPC_TLS_CERT="$pki/service.crt" DIALTONE_GRPC_TLS_KEY="$pki/service.key"
  DIALTONE_GRPC_TLS_CA="$pki/dialtone-ca.crt" DIALTONE_GRPC_TLS_SERVER_NAME=dialtone.internal)
rogue_cert=(DIALTONE_GRPC_TLS_CERT="$pki/rogue.crt" DIALTONE_GRPC_TLS_KEY="$pki/rogue.key"
  DIALTONE_GRPC_TLS_CA="$pki/dialtone-ca.crt" DIALTONE_GRPC_TLS_SERVER_NAME=dialtone.internal)
# A good client certificate, but only the other CA trusted: the client must refuse the server.
rogue_ca=(DIALTONE_GRPC_TLS_CERT="$pki/service.crt" DIALTONE_GRPC_TLS_KEY="$pki/service.key"
  DIALTONE_GRPC_TLS_CA="$pki/other-ca.crt" DIALTONE_GRPC_TLS_SERVER_NAME=dialtone.internal)
no_name=(DIALTONE_GRPC_TLS_CERT="$pki/service.crt" DIALTONE_GRPC_TLS_KEY="$pki/service.key"
  DIALTONE_GRPC_TLS_CA="$pki/dialtone-ca.crt")
status_as() {  # NAME ADDR: the health dialtonectl reports with the settings in array NAME (gRPC's
  # own log lines, such as a failed handshake, go to ctl-stderr.log)
  local -n settings=$1
  ctl_as "${settings[@]}" -- health --addr "$2" --timeout-ms 3000 2>>"$tmp/ctl-stderr.log" | awk '{print $NF}'
}
plain=()
for i in "${!services[@]}"; do
  s=${services[$i]} addr=${addrs[$i]}
  check "$s: a client with the CA's certificate gets SERVING" test "$(status_as good "$addr")" = SERVING
  check "$s: a plaintext client is refused" test "$(status_as plain "$addr")" = UNREACHABLE
  check "$s: a client whose certificate another CA signed is refused" \
    test "$(status_as rogue_cert "$addr")" = UNREACHABLE
  check "$s: a client trusting another CA refuses the server" \
    test "$(status_as rogue_ca "$addr")" = UNREACHABLE
  check "$s: without the server name override, 127.0.0.1 does not match the certificate" \
    test "$(status_as no_name "$addr")" = UNREACHABLE
done
# Not only health: an RPC with data is refused the same way.
gateway=${addrs[2]}
ctl_as "${good[@]}" -- accounts list --addr "$gateway" >"$tmp/good.out" 2>&1 || true
check "Accounts.ListAccounts works with the CA's certificate" grep -q "$sid" "$tmp/good.out"
ctl_as "${rogue_cert[@]}" -- accounts list --addr "$gateway" >"$tmp/rogue.out" 2>&1 && rc=0 || rc=$?
check "Accounts.ListAccounts is refused with another CA's certificate" test "$rc" -ne 0
check "... and answers no account data" bash -c "! grep -q '$sid' '$tmp/rogue.out'"
# The listener is TLS even to a client that speaks no gRPC: a plaintext HTTP/2 preface gets no
# HTTP/2 answer.
check "a plaintext HTTP/2 request to call-router's gRPC port gets no answer" \
  bash -c "! curl -s --http2-prior-knowledge -m 3 -o /dev/null 'http://${addrs[0]}/grpc.health.v1.Health/Check'"

# 3. A partial configuration stops a service at start, naming what is missing.
env -u DIALTONE_GRPC_TLS_KEY DIALTONE_GRPC_ADDR=127.0.0.1:0 DIALTONE_METRICS_ADDR=127.0.0.1:0 \
  timeout 10 "$DIALTONE_BUILD_DIR/services/usage-metering/usage-metering" >"$tmp/partial.out" 2>&1 && rc=0 || rc=$?
check "usage-metering with a certificate but no key exits 2" test "$rc" -eq 2
check "... saying all three TLS variables are needed" grep -q "DIALTONE_GRPC_TLS_KEY" "$tmp/partial.out"
ctl_as "${good[@]}" DIALTONE_GRPC_TLS_CA=/nonexistent -- health --addr "$gateway" \
  >"$tmp/badca.out" 2>&1 && rc=0 || rc=$?
check "dialtonectl with a missing CA file exits 2" test "$rc" -eq 2
check "... naming the file" grep -qF 'DIALTONE_GRPC_TLS_CA="/nonexistent": cannot read' "$tmp/badca.out"

finish
