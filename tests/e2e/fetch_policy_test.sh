#!/usr/bin/env bash
# The fetch policy in a running call-router (issue 21, part): with no allowance, a number whose
# VoiceUrl and status callback point at a loopback listener gets no request there (the listener
# counts none) and the call fails with the router's error; the router logs why. A media-layer with
# no allowance refuses a loopback <Play> URL and the call-router's metrics URL. Loopback only.
set -euo pipefail
source "$(dirname "$0")/../lib/testlib.sh"

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d /tmp/dialtone-fetchpolicy.XXXXXX)
chmod 755 "$tmp"
ROUTER_ENV=(DIALTONE_FETCH_ALLOW=)  # this router: no inside address allowed
source "$here/../lib/router_stack.sh"
psql_q() { psql -h 127.0.0.1 -p "$pg_port" -U dialtone -d dialtone -Atqc "$1"; }

psql_q "insert into incoming_phone_numbers (sid, account_sid, phone_number, voice_url, status_callback)
        values ('PN$(python3 -c 'import uuid; print(uuid.uuid4().hex)')', '$sid', '+15005550180',
                '$app/twiml', '$app/callback')" >/dev/null
curl -sf -X POST "$app/_reset" >/dev/null
sip_caller "$sip_port" +15005550180 refused
ended() { ! alive "$caller_pid"; }
check "the call ends" wait_for 30 ended
call=$(psql_q "select sid || ' ' || status from calls where to_number = '+15005550180'")
echo "call: $call"
check "its row exists and ended (not in progress)" bash -c "[[ '$call' =~ ^CA[0-9a-f]+\ (completed|failed)$ ]]"
sleep 1
check "the loopback listener got no request at all" test "$(curl -sf "$app/_count")" = 0
check "the router says why: refused by the fetch policy, loopback" \
  grep -q 'refused by the fetch policy: 127.0.0.1 is a loopback address' "$tmp/router.log"

# A media-layer with no allowance: <Play> URLs on loopback, and the platform's own metrics port,
# are refused before any connection.
mblock=$(free_port_block 2)
strict_media=127.0.0.1:$mblock
start_media_layer media-strict "$strict_media" $((mblock + 1)) "$(dt_free_port)" DIALTONE_FETCH_ALLOW=
wait_for 60 serving "$strict_media" || { cat "$tmp/media-strict.log" >&2; fail "strict media-layer serving"; finish; }
echo "not audio, but the request must not even leave" >"$tmp/media/tone.wav"
curl -sf -X POST "$app/_reset" >/dev/null
out=$("$CTL" media resolve "$app/media/tone.wav" --account "$sid" --addr "$strict_media" 2>&1) && rc=0 || rc=$?
echo "  $out"
check "dialtonectl media resolve of a loopback URL fails (exit $rc)" test "$rc" -ne 0
check "with the policy's reason" grep -q "refused by the fetch policy" <<<"$out"
check "and the listener saw no request" test "$(curl -sf "$app/_count")" = 0
out=$("$CTL" media resolve "http://127.0.0.1:$((grpc_base + 3))/metrics" --account "$sid" --addr "$strict_media" 2>&1) || true
check "the call-router's metrics URL is refused the same (no fetch of the platform's insides)" \
  grep -q "refused by the fetch policy" <<<"$out"
finish
