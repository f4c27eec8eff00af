#!/usr/bin/env bash
# The REST API of a running stack (scripts/dev up) through the official twilio-node library:
# Applications, IncomingPhoneNumbers, Calls and Recordings, across two accounts; every JSON
# response checked against Twilio's OpenAPI schema for its operation. Calls ring SIPp callees
# on loopback (no trunk in the dev stack, so To is a SIP URI) and run the demo app's TwiML.
set -euo pipefail
source "$(dirname "$0")/../lib/testlib.sh"

spec=$DIALTONE_SOURCE_DIR/tests/data/twilio-oai/twilio_api_v2010.json
[[ -f $spec ]] || { echo "FAIL: $spec not found" >&2; exit 1; }
tmp=$(mktemp -d /tmp/dialtone-rest.XXXXXX)
chmod 755 "$tmp"
stack_env "$tmp"
dev=$DIALTONE_SOURCE_DIR/scripts/dev
pids=()
cleanup() {
  local rc=$? p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  "$dev" down >/dev/null 2>&1 || true
  if ((T_FAILS)); then  # what the router did, for a failed call check
    echo "--- call-router log (last 40 lines)" >&2
    tail -n 40 "$DIALTONE_DEV_DIR/logs/call-router.log" >&2 2>/dev/null || true
  fi
  remove_tmp "$tmp" "$rc"
}
trap cleanup EXIT
"$dev" up >"$tmp/up.log" 2>&1 || { cat "$tmp/up.log" >&2; fail "scripts/dev up"; finish; }

sid=$(env_value DIALTONE_ACCOUNT_SID)
token=$(env_value DIALTONE_AUTH_TOKEN)
api=$(env_value DIALTONE_API_URL)
other=$("$CTL" accounts create --friendly-name other --addr "$(env_value DIALTONE_REST_GATEWAY_ADDR)")
other_sid=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["sid"])' <<<"$other")
other_token=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["auth_token"])' <<<"$other")
app_url=$(env_value DIALTONE_DEMO_APP_URL)

callee() { sipp_callee "$1" "$2" 90; }  # see testlib.sh
sipp_passed() {  # PID: a SIPp callee's own verdict on the SIP it saw, given 10 s to finish
  wait_for 10 eval "! alive $1" || kill "$1" 2>/dev/null || true
  wait "$1"
}
# demo_app_saw METHOD PATH NAME=VALUE...: the demo app logged such a request with these
# parameters, and every such request had a valid X-Twilio-Signature.
demo_app_saw() {
  python3 - "$DIALTONE_DEV_DIR/logs/demo-app.log" "$@" <<'PY'
import json, sys
log, method, path, *want = sys.argv[1:]
want = dict(kv.split("=", 1) for kv in want)
hits = []
for line in open(log):
    try:
        r = json.loads(line)
    except ValueError:
        continue
    p = r.get("params", {})
    if r.get("msg") == "request" and r.get("method") == method and r.get("path") == path \
            and all(p.get(k) == v for k, v in want.items()):
        hits.append(r.get("signature"))
sys.exit(0 if hits and all(s == "valid" for s in hits) else 1)
PY
}

# 1. The official library. Its callees: two that answer, one that rings until CANCEL.
callee builtin-uas redirect
node_redirect_pid=$callee_pid node_redirect_uri=$callee_uri
callee builtin-uas hangup
node_hangup_pid=$callee_pid node_hangup_uri=$callee_uri
callee uas_ring_forever.xml ring
node_ring_pid=$callee_pid node_ring_uri=$callee_uri
node "$DIALTONE_SOURCE_DIR/tests/node/resources_e2e.js" "${api%/2010-04-01}" "$sid" "$token" \
  "$other_sid" "$other_token" "$app_url" "$node_redirect_uri" "$node_hangup_uri" "$node_ring_uri" \
  >"$tmp/node.out" 2>&1 || true
# One python for every line (verdict TAB check TAB line): the checks are many.
while IFS=$'\t' read -r verdict name line; do
  case $verdict in
    ok) pass "twilio-node: $name" ;;
    fail) fail "twilio-node: $name: $line" ;;
    *) echo "$line" ;;
  esac
done < <(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    line = line.rstrip("\n").replace("\t", " ")
    try:
        r = json.loads(line)
        name = r["check"]
    except (ValueError, TypeError, KeyError):
        print("raw", "-", line, sep="\t")
        continue
    print("ok" if r.get("ok") is True else "fail", name, line, sep="\t")' "$tmp/node.out")
check "twilio-node ran every check" test "$(grep -c '"check"' "$tmp/node.out")" -ge 49
check "the redirected callee saw INVITE, ACK and Dialtone's BYE (SIPp passed)" sipp_passed "$node_redirect_pid"
check "the hung-up callee saw Dialtone's BYE (SIPp passed)" sipp_passed "$node_hangup_pid"
check "the ringing callee saw the CANCEL (SIPp passed)" sipp_passed "$node_ring_pid"
check "the demo app got the redirect as GET /voice, signed, for the call in progress" \
  demo_app_saw GET /voice "To=$node_redirect_uri" CallStatus=in-progress

# 2. Raw responses against the OpenAPI schemas.
validate() {  # SCHEMA METHOD PATH [curl args...]
  local schema=$1 method=$2 path=$3; shift 3
  curl -sf -u "$sid:$token" -X "$method" "$api/Accounts/$sid$path" "$@" >"$tmp/body.json" &&
    python3 "$DIALTONE_SOURCE_DIR/tests/integration/validate_twilio_json.py" "$spec" "$schema" <"$tmp/body.json" || { cat "$tmp/body.json" >&2; echo >&2; return 1; }
}
check "Account fetch matches api.v2010.account" validate api.v2010.account GET .json
check "Application create matches api.v2010.account.application" \
  validate api.v2010.account.application POST /Applications.json -d FriendlyName=schema -d VoiceUrl=https://a.example/v
app_sid=$(python3 -c 'import json; print(json.load(open("'"$tmp"'/body.json"))["sid"])')
check "Application fetch matches its schema" validate api.v2010.account.application GET "/Applications/$app_sid.json"
check "Application list matches ListApplicationResponse" \
  validate list:applications:api.v2010.account.application GET "/Applications.json?PageSize=1"
check "IncomingPhoneNumber create matches its schema" \
  validate api.v2010.account.incoming_phone_number POST /IncomingPhoneNumbers.json --data-urlencode PhoneNumber=+15005550009
check "IncomingPhoneNumber list matches its envelope" \
  validate list:incoming_phone_numbers:api.v2010.account.incoming_phone_number GET /IncomingPhoneNumbers.json
check "Recording list matches its envelope" validate list:recordings:api.v2010.account.recording GET /Recordings.json

# Calls: every response of create, fetch, update and list, live and ended.
pause='<Response><Pause length="30"/></Response>'
body_sid() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sid"])' "$tmp/body.json" 2>/dev/null || true; }
call_status() {
  curl -sf -u "$sid:$token" "$api/Accounts/$sid/Calls/$1.json" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])'
}
status_is() { [[ $(call_status "$1") == "$2" ]]; }

callee builtin-uas raw
raw_pid=$callee_pid raw_uri=$callee_uri
check "Call create matches api.v2010.account.call" validate api.v2010.account.call POST /Calls.json \
  --data-urlencode "To=$raw_uri" --data-urlencode From=+15557650000 --data-urlencode "Twiml=$pause" \
  --data-urlencode "StatusCallback=$app_url/status" -d StatusCallbackMethod=POST \
  -d StatusCallbackEvent=initiated -d StatusCallbackEvent=answered -d StatusCallbackEvent=completed \
  -d Timeout=20 -d TimeLimit=120
call=$(body_sid)
check "the call is answered" wait_for 15 status_is "$call" in-progress
check "Call fetch of a live call matches its schema" validate api.v2010.account.call GET "/Calls/$call.json"
check "Call update with Twiml matches its schema" \
  validate api.v2010.account.call POST "/Calls/$call.json" --data-urlencode "Twiml=$pause"
check "Call update with Url matches its schema" \
  validate api.v2010.account.call POST "/Calls/$call.json" --data-urlencode "Url=$app_url/voice" -d Method=POST
check "the call redirected to /voice ends completed" wait_for 15 status_is "$call" completed
check "Call fetch of an ended call matches its schema" validate api.v2010.account.call GET "/Calls/$call.json"
check "its callee saw Dialtone's BYE (SIPp passed)" sipp_passed "$raw_pid"
check "the completed status callback reached the app, signed" \
  wait_for 5 demo_app_saw POST /status "CallSid=$call" CallStatus=completed

callee builtin-uas rawhangup
hangup_pid=$callee_pid
curl -sf -u "$sid:$token" "$api/Accounts/$sid/Calls.json" --data-urlencode "To=$callee_uri" \
  -d From=dialtone --data-urlencode "Twiml=$pause" >"$tmp/body.json" || true
hangup=$(body_sid)
check "the call to hang up is answered" wait_for 15 status_is "$hangup" in-progress
check "Call update Status=completed matches its schema" \
  validate api.v2010.account.call POST "/Calls/$hangup.json" -d Status=completed
check "the hung-up callee saw the BYE (SIPp passed)" sipp_passed "$hangup_pid"

callee uas_ring_forever.xml rawring
ring_pid=$callee_pid
curl -sf -u "$sid:$token" "$api/Accounts/$sid/Calls.json" --data-urlencode "To=$callee_uri" \
  --data-urlencode From=+15557650000 --data-urlencode "Url=$app_url/voice" >"$tmp/body.json" || true
ringing=$(body_sid)
check "the call to cancel is ringing" wait_for 10 status_is "$ringing" ringing
check "Call update Status=canceled matches its schema" \
  validate api.v2010.account.call POST "/Calls/$ringing.json" -d Status=canceled
check "the canceled callee saw the CANCEL (SIPp passed)" sipp_passed "$ring_pid"

check "Call list matches its envelope" validate list:calls:api.v2010.account.call GET /Calls.json
check "Call list holds the five calls not deleted (two of twilio-node, three above)" python3 -c '
import json, sys; sys.exit(0 if len(json.load(open(sys.argv[1]))["calls"]) == 5 else 1)' "$tmp/body.json"
check "a filtered Call list page matches its envelope" \
  validate list:calls:api.v2010.account.call GET "/Calls.json?Status=completed&PageSize=1"
check "that page links to the next one" python3 -c '
import json, sys; b = json.load(open(sys.argv[1]))
sys.exit(0 if len(b["calls"]) == 1 and b["next_page_uri"] and b["page_size"] == 1 else 1)' "$tmp/body.json"
check "Call delete of an ended call is 204" test "$(curl -s -o /dev/null -w '%{http_code}' -u "$sid:$token" \
  -X DELETE "$api/Accounts/$sid/Calls/$ringing.json")" = 204
check "Usage records match their schema" \
  validate list:usage_records:api.v2010.account.usage.usage_record GET "/Usage/Records.json?Category=api-requests"
check "Daily usage records match their schema" \
  validate list:usage_records:api.v2010.account.usage.usage_record.usage_record_daily GET "/Usage/Records/Daily.json"
check "a usage record reports the API requests" \
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["usage_records"]; sys.exit(0 if any(x["category"]=="api-requests" and int(x["count"])>0 for x in r) else 1)' "$tmp/body.json"

check "UsageTrigger create matches its schema" \
  validate api.v2010.account.usage.usage_trigger POST /Usage/Triggers.json -d CallbackUrl=https://a.example/t \
  -d TriggerValue=5 -d UsageCategory=calls -d Recurring=monthly
check "UsageTrigger list matches its envelope" \
  validate list:usage_triggers:api.v2010.account.usage.usage_trigger GET /Usage/Triggers.json

# 3. Errors a helper library would not let through.
code_of() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["status"], d["code"])'; }
check "a POST without PhoneNumber is 400/21452" test "$(curl -s -u "$sid:$token" -X POST "$api/Accounts/$sid/IncomingPhoneNumbers.json" | code_of)" = "400 21452"
check "a bad PageSize is 400/20001" test "$(curl -s -u "$sid:$token" "$api/Accounts/$sid/Applications.json?PageSize=5000" | code_of)" = "400 20001"
check "a bad boolean is 400/20001" test "$(curl -s -u "$sid:$token" -X POST "$api/Accounts/$sid/Applications.json" -d VoiceCallerIdLookup=maybe | code_of)" = "400 20001"
check "a trigger without CallbackUrl is 400/21201" test "$(curl -s -u "$sid:$token" -X POST "$api/Accounts/$sid/Usage/Triggers.json" -d TriggerValue=5 -d UsageCategory=calls | code_of)" = "400 21201"
check "a Stream on an ended call is 400/21220" test "$(curl -s -u "$sid:$token" -X POST "$api/Accounts/$sid/Calls/$call/Streams.json" --data-urlencode Url=wss://a.example/s | code_of)" = "400 21220"
check "a Stream on an unknown call is 404/20404" test "$(curl -s -u "$sid:$token" -X POST "$api/Accounts/$sid/Calls/CA00000000000000000000000000000000/Streams.json" --data-urlencode Url=wss://a.example/s | code_of)" = "404 20404"
check "no credentials is 401/20003" test "$(curl -s "$api/Accounts/$sid/Applications.json" | code_of)" = "401 20003"
finish
