#!/usr/bin/env bash
# Who may call in, behind the front door: two routers with an allow-list (127.0.0.1/32), digest
# credentials (trunk / s3cret) and DIALTONE_SIP_TRUSTED_PROXIES=127.0.0.1 (Kamailio, which tells
# them the caller's address in X-Dialtone-Source). Through Kamailio, a caller at 127.0.0.2 is
# refused (403) although Kamailio's own address is allowed, even when it forges the header; a
# caller at 127.0.0.1 is challenged (401) and then answered, every time, whichever router the
# call's Call-ID hashes to (the retry with credentials must reach the router whose nonce it
# answers). Straight to a router, the forged header from 127.0.0.2 is ignored (403).
set -euo pipefail
source "$(dirname "$0")/../lib/testlib.sh"
source "$DIALTONE_SOURCE_DIR/tests/lib/replica_stack.sh"

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d /tmp/dialtone-replica-access.XXXXXX)
chmod 755 "$tmp"
cleanup() { local rc=$?; replica_stack_down; remove_tmp "$tmp" "$rc"; }
trap cleanup EXIT
AUTH_CALLS=20

export DIALTONE_SIP_ALLOWED_SOURCES=127.0.0.1/32 DIALTONE_SIP_AUTH_USERNAME=trunk \
  DIALTONE_SIP_AUTH_PASSWORD=s3cret DIALTONE_SIP_AUTH_REALM=dialtone-test
replica_stack_up "$tmp" 2 || { fail "scripts/dev up --replicas 2"; finish; }

# The refused scenario again, with the caller claiming to be 127.0.0.1.
sed 's|^\(\s*\)Call-ID: \[call_id\]$|&\n\1X-Dialtone-Source: 127.0.0.1|' \
  "$here/sipp/uac_expect_403.xml" >"$tmp/uac_forged_403.xml"
grep -q 'X-Dialtone-Source: 127.0.0.1' "$tmp/uac_forged_403.xml" || { fail "forged scenario written"; finish; }

sipp_to() {  # TARGET LOCAL_IP SCENARIO LOG [extra sipp args]: calls to the demo number
  local target=$1 ip=$2 scenario=$3 log=$4
  shift 4
  (cd "$tmp" && sipp "$target" -sf "$scenario" -s "$demo_number" -i "$ip" -p "$(dt_free_port)" \
    -timeout 60s -timeout_error -nostdin -trace_msg -message_file "$tmp/$log.msg" "$@" \
    >"$tmp/$log.log" 2>&1 </dev/null)
}
check "through Kamailio, a caller at 127.0.0.2 gets 403" \
  sipp_to "$sip_target" 127.0.0.2 "$here/sipp/uac_expect_403.xml" outsider -m 1
check "a router logged the refused caller's own address, not Kamailio's" \
  grep -q '"source":"127.0.0.2"' "$(replica_log call-router 0)" "$(replica_log call-router 1)"
check "through Kamailio, a forged X-Dialtone-Source from 127.0.0.2 still gets 403" \
  sipp_to "$sip_target" 127.0.0.2 "$tmp/uac_forged_403.xml" forged -m 1
check "the routers judged 127.0.0.2 both times, not the forged address" \
  test "$(cat "$(replica_log call-router 0)" "$(replica_log call-router 1)" | grep -c '"source":"127.0.0.2"')" -eq 2
check "through Kamailio, a caller at 127.0.0.1 without credentials gets 401" \
  sipp_to "$sip_target" 127.0.0.1 "$here/sipp/uac_expect_401.xml" nocreds -m 1
check "through Kamailio, $AUTH_CALLS callers with credentials are all answered" \
  sipp_to "$sip_target" 127.0.0.1 "$here/sipp/uac_digest.xml" digest -m "$AUTH_CALLS" -r 5
check "no credentialed INVITE was challenged twice" \
  test "$(grep -c '^SIP/2.0 401' "$tmp/digest.msg")" -eq "$AUTH_CALLS"
n0=$(router_call_sids 0 | wc -l)
n1=$(router_call_sids 1 | wc -l)
echo "authenticated calls: router 0 took $n0, router 1 took $n1"
check "both routers answered authenticated calls" test "$n0" -gt 0 -a "$n1" -gt 0
check "the routers took exactly the $AUTH_CALLS authenticated calls" test $((n0 + n1)) -eq "$AUTH_CALLS"

refused_before=$(grep -c '"source":"127.0.0.2"' "$(replica_log call-router 0)" || true)
check "straight to router 0, a forged X-Dialtone-Source from 127.0.0.2 is ignored (403)" \
  sipp_to "${router_sips[0]}" 127.0.0.2 "$tmp/uac_forged_403.xml" direct -m 1
check "router 0 refused it for 127.0.0.2" \
  test "$(grep -c '"source":"127.0.0.2"' "$(replica_log call-router 0)")" -eq $((refused_before + 1))
finish
