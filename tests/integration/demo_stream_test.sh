#!/usr/bin/env bash
# scripts/demo_app.py's Media Streams echo without the rest of the stack: /echo's TwiML, and its
# /stream WebSocket (handshake, ping/pong, fragments, the 0.5 s echo, close, an unmasked frame
# refused) driven by tests/lib/ws_echo_check.py; the signed upgrade is logged "valid".
set -euo pipefail
source "$(dirname "$0")/../lib/testlib.sh"

tmp=$(mktemp -d /tmp/dialtone-demo-stream.XXXXXX)
trap 'kill "$demo_pid" 2>/dev/null || true; wait "$demo_pid" 2>/dev/null || true; remove_tmp "$tmp" $?' EXIT
token=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
python3 -u "$DIALTONE_SOURCE_DIR/scripts/demo_app.py" --port 0 --port-file "$tmp/demo.port" \
  --auth-token "$token" 2>"$tmp/demo.log" &
demo_pid=$!
wait_for 10 test -s "$tmp/demo.port" || { fail "the demo app started"; finish; }
check "the demo app's /echo and /stream (tests/lib/ws_echo_check.py)" \
  python3 "$DIALTONE_SOURCE_DIR/tests/lib/ws_echo_check.py" "127.0.0.1:$(cat "$tmp/demo.port")" "$token"
check "the signed upgrade was logged valid, the unsigned one missing" \
  bash -c "grep -q '\"msg\":\"stream connected\".*\"signature\":\"valid\"' '$tmp/demo.log' &&
           grep -q '\"msg\":\"stream connected\".*\"signature\":\"missing\"' '$tmp/demo.log'"
check "the demo app logged the stream's start and end" \
  grep -q '"msg":"stream ended".*"received":50,"echoed":50' "$tmp/demo.log"
finish
