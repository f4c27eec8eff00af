#!/usr/bin/env bash
# Who may call in: a call-router with an allow-list (127.0.0.1/32) and digest credentials
# (trunk / s3cret). SIPp from 127.0.0.2 gets 403; from 127.0.0.1 without credentials, 401 with a
# challenge; with the wrong password, 401 again; with the right ones, the call is answered and
# runs its app (Hangup). Real processes on loopback.
set -euo pipefail
source "$(dirname "$0")/../lib/testlib.sh"

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d /tmp/dialtone-sipaccess.XXXXXX)
chmod 755 "$tmp"
ROUTER_ENV=(DIALTONE_SIP_ALLOWED_SOURCES=127.0.0.1/32 DIALTONE_SIP_AUTH_USERNAME=trunk
            DIALTONE_SIP_AUTH_PASSWORD=s3cret DIALTONE_SIP_AUTH_REALM=dialtone-test)
source "$here/../lib/router_stack.sh"

pn=PN$(python3 -c 'import uuid; print(uuid.uuid4().hex)')
psql -h 127.0.0.1 -p "$pg_port" -U dialtone -d dialtone -Atqc \
  "insert into incoming_phone_numbers (sid, account_sid, phone_number, voice_url)
   values ('$pn', '$sid', '+15005550030', '$app/hangup')" >/dev/null

sipp_from() {  # LOCAL_IP SCENARIO LOG [extra sipp args]: one call to +15005550030
  local ip=$1 scenario=$2 log=$3
  shift 3
  sipp "127.0.0.1:$sip_port" -sf "$here/sipp/$scenario" -s +15005550030 -i "$ip" \
    -p "$(dt_free_port)" -m 1 -timeout 20s -timeout_error -nostdin -trace_msg \
    -message_file "$tmp/$log.msg" "$@" >"$tmp/$log.log" 2>&1
}
check "an INVITE from 127.0.0.2 (not on the allow-list) gets 403" \
  sipp_from 127.0.0.2 uac_expect_403.xml outsider
check "the router logged the refused source" grep -q '"source":"127.0.0.2"' "$tmp/router.log"
check "an INVITE without credentials gets 401" sipp_from 127.0.0.1 uac_expect_401.xml nocreds
check "the 401 carries a digest challenge for the realm" \
  grep -q 'WWW-Authenticate: Digest realm="dialtone-test", nonce="[0-9a-f]*\.[0-9a-f]\{32\}", algorithm=MD5, qop="auth"' \
  "$tmp/nocreds.msg"
check "credentials with the right password get the call answered (then BYE)" \
  sipp_from 127.0.0.1 uac_digest.xml digest
wrong_password() {  # the same scenario with a wrong password must fail: 401 again
  sed 's/password=s3cret/password=wrong/' "$here/sipp/uac_digest.xml" >"$tmp/uac_wrong.xml"
  ! sipp "127.0.0.1:$sip_port" -sf "$tmp/uac_wrong.xml" -s +15005550030 -i 127.0.0.1 \
    -p "$(dt_free_port)" -m 1 -timeout 10s -timeout_error -nostdin -trace_msg \
    -message_file "$tmp/wrong.msg" >"$tmp/wrong.log" 2>&1 &&
    [[ $(grep -c '^SIP/2.0 401' "$tmp/wrong.msg") -ge 2 ]]
}
check "a wrong password is challenged again, never answered" wrong_password
check "exactly one call reached the app (the authenticated one)" python3 -c '
import json, sys, urllib.request
reqs = json.load(urllib.request.urlopen(sys.argv[1] + "/_requests"))
sys.exit(0 if len([r for r in reqs if r["path"] == "/hangup"]) == 1 else 1)' "$app"
check "the router is still running" kill -0 "$router_pid"
finish
