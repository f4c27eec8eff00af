#!/usr/bin/env bash
# The REST API of a running stack (scripts/dev up) through the official twilio-node library:
# Applications, IncomingPhoneNumbers, Calls and Recordings, across two accounts; every JSON
# response checked against Twilio's OpenAPI schema for its operation.
set -euo pipefail
source "$(dirname "$0")/../lib/testlib.sh"

spec=$DIALTONE_SOURCE_DIR/../shared/twilio-oai/twilio_api_v2010.json
[[ -f $spec ]] || { echo "FAIL: $spec not found (shared/ beside the repository)" >&2; exit 1; }
tmp=$(mktemp -d /tmp/dialtone-rest.XXXXXX)
chmod 755 "$tmp"
stack_env "$tmp"
dev=$DIALTONE_SOURCE_DIR/scripts/dev
cleanup() { "$dev" down >/dev/null 2>&1 || true; rm -rf "$tmp"; }
trap cleanup EXIT
"$dev" up >"$tmp/up.log" 2>&1 || { cat "$tmp/up.log" >&2; fail "scripts/dev up"; finish; }

sid=$(env_value DIALTONE_ACCOUNT_SID)
token=$(env_value DIALTONE_AUTH_TOKEN)
api=$(env_value DIALTONE_API_URL)
other=$("$CTL" accounts create --friendly-name other --addr "$(env_value DIALTONE_REST_GATEWAY_ADDR)")
other_sid=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["sid"])' <<<"$other")
other_token=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["auth_token"])' <<<"$other")

# 1. The official library.
node "$DIALTONE_SOURCE_DIR/tests/node/resources_e2e.js" "${api%/2010-04-01}" "$sid" "$token" \
  "$other_sid" "$other_token" >"$tmp/node.out" 2>&1 || true
while IFS= read -r line; do
  name=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["check"])' "$line" 2>/dev/null) || { echo "$line"; continue; }
  ok=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["ok"])' "$line")
  if [[ $ok == True ]]; then pass "twilio-node: $name"; else fail "twilio-node: $name: $line"; fi
done <"$tmp/node.out"
check "twilio-node ran every check" test "$(grep -c '"check"' "$tmp/node.out")" -ge 18

# 2. Raw responses against the OpenAPI schemas.
validate() {  # SCHEMA METHOD PATH [curl args...]
  local schema=$1 method=$2 path=$3; shift 3
  curl -sf -u "$sid:$token" -X "$method" "$api/Accounts/$sid$path" "$@" >"$tmp/body.json" &&
    python3 "$DIALTONE_SOURCE_DIR/tests/integration/validate_twilio_json.py" "$spec" "$schema" <"$tmp/body.json" || { cat "$tmp/body.json" >&2; return 1; }
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
check "Call list matches its envelope" validate list:calls:api.v2010.account.call GET /Calls.json
check "Recording list matches its envelope" validate list:recordings:api.v2010.account.recording GET /Recordings.json
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
check "no credentials is 401/20003" test "$(curl -s "$api/Accounts/$sid/Applications.json" | code_of)" = "401 20003"
finish
