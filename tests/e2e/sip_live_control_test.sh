#!/usr/bin/env bash
# Live inbound calls and Dial legs controlled through the Calls API (the official twilio
# library): an inbound call in a Gather is redirected to new TwiML, another is hung up, a ringing
# one (first verb Pause) is hung up before it is answered; the parent of a bridged <Dial> is
# redirected (its leg gets a BYE), a leg is hung up (the Dial's action hears completed), and a
# leg is redirected out of its Dial into a document of its own.
# Real processes on loopback: PostgreSQL, Redis, rest-gateway, usage-metering, media-layer,
# call-router, the app server, SIPp callers and callees.
set -euo pipefail
source "$(dirname "$0")/../lib/testlib.sh"

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d /tmp/dialtone-live.XXXXXX)
chmod 755 "$tmp"
source "$here/../lib/router_stack.sh"
api="http://127.0.0.1:$rest_port/2010-04-01/Accounts/$sid"
psql_q() { psql -h 127.0.0.1 -p "$pg_port" -U dialtone -d dialtone -Atqc "$1"; }
add_number() {  # NUMBER DOCUMENT: with status callbacks to /callback
  local pn
  pn=PN$(python3 -c 'import uuid; print(uuid.uuid4().hex)')
  psql_q "insert into incoming_phone_numbers (sid, account_sid, phone_number, voice_url, status_callback)
          values ('$pn', '$sid', '$1', '$app/doc/$2', '$app/callback')" >/dev/null
}
doc() { cat >"$tmp/media/$1.xml"; }  # NAME < TwiML
update() {  # CALL_SID name=value...: through twilio-node
  node "$DIALTONE_SOURCE_DIR/tests/node/update_call.js" "$sid" "$token" "http://127.0.0.1:$rest_port" "$@"
}
field() { python3 -c 'import json,sys; print(json.load(sys.stdin).get(sys.argv[1], ""))' "$1"; }
call_status() { curl -sf -u "$sid:$token" "$api/Calls/$1.json" | field status; }
status_is() { [[ $(call_status "$1") == "$2" ]]; }
# The SID of the newest call to NUMBER once it reads STATUS (empty after 10 s).
sid_when() {  # NUMBER STATUS
  local end=$((SECONDS + 10)) s
  while ((SECONDS < end)); do
    s=$(psql_q "select sid from calls where to_number = '$1' and status = '$2' order by date_created desc limit 1")
    [[ -n $s ]] && { echo "$s"; return 0; }
    sleep 0.2
  done
}
# The newest Dial leg of PARENT once it reads STATUS.
leg_when() {  # PARENT STATUS
  local end=$((SECONDS + 10)) s
  while ((SECONDS < end)); do
    s=$(psql_q "select sid from calls where parent_call_sid = '$1' and status = '$2' order by date_created desc limit 1")
    [[ -n $s ]] && { echo "$s"; return 0; }
    sleep 0.2
  done
}
caller() { sip_caller "$sip_port" "$@"; }  # NUMBER NAME [SCENARIO]
# ended_within SECONDS PID: the SIPp process exits 0 within SECONDS.
ended_within() {
  local end=$((SECONDS + $1))
  while alive "$2"; do ((SECONDS < end)) || return 1; sleep 0.1; done
  wait "$2"
}
callback_completed() {  # CALL_SID: the number's status callback heard CallStatus=completed
  requests_to /callback "$1" | grep -q '"CallStatus": "completed"'
}

long_prompt="This is a long prompt that goes on and on, so that the caller is still in the Gather when the API redirects the call."
doc gather <<EOF2
<Response><Gather numDigits="1" timeout="30" action="$app/doc/gathered"><Say loop="5">$long_prompt</Say></Gather><Hangup/></Response>
EOF2
doc gathered <<<'<Response><Hangup/></Response>'
doc goodbye <<<'<Response><Say>Goodbye</Say><Hangup/></Response>'
doc pause <<<'<Response><Pause length="10"/><Say>Too late</Say><Hangup/></Response>'
add_number +15005550061 gather
add_number +15005550062 gather
add_number +15005550063 pause

# 1. An inbound call in a Gather, redirected by Url: the app gets the new request, the caller the
# router's BYE soon after (not after the 30 s Gather), and the call ends completed.
caller +15005550061 redirect
call=$(sid_when +15005550061 in-progress)
check "the inbound call is in progress" test -n "$call"
sleep 1  # well inside the prompt
check "twilio-node redirects the live inbound call (Url)" update "$call" "url=$app/doc/goodbye"
check "the app got the new document's request for the call" wait_for 10 got_request /doc/goodbye "$call"
check "the caller got the router's BYE within 10 s of the redirect (SIPp passed)" ended_within 10 "$caller_pid"
check "the redirected call ends completed" wait_for 10 status_is "$call" completed
check "its status callback heard completed" wait_for 10 callback_completed "$call"
check "the Gather's action was never requested" test -z "$(requests_to /doc/gathered "$call")"

# 2. An inbound call in progress, hung up with Status=completed.
caller +15005550062 hangup
call=$(sid_when +15005550062 in-progress)
check "the second inbound call is in progress" test -n "$call"
out=$(update "$call" status=completed || true)
check "twilio-node hangs it up (Status=completed)" test "$(field status <<<"$out")" = completed
check "the caller got the router's BYE (SIPp passed)" ended_within 10 "$caller_pid"
check "its status callback heard completed" wait_for 10 callback_completed "$call"

# 3. A ringing inbound call (first verb Pause: not answered yet), hung up the same way: the
# caller's INVITE gets 487 and the call ends canceled, as Twilio reports it.
sed -e 's/486/487/g' "$here/sipp/uac_expect_486.xml" >"$tmp/uac_expect_487.xml"
caller +15005550063 ringing "$tmp/uac_expect_487.xml"
call=$(sid_when +15005550063 ringing)
check "the paused inbound call is ringing" test -n "$call"
check "twilio-node hangs up the ringing call" update "$call" status=completed
check "the caller's INVITE got 487 Request Terminated, well before the Pause's 10 s" ended_within 5 "$caller_pid"
check "the ringing call hung up through the API ends canceled" wait_for 10 status_is "$call" canceled

# 4-6. <Dial>: a SIPp callee answers and waits for a BYE.
doc dialed <<<'<Response><Say>Back from the dial</Say><Hangup/></Response>'
doc after <<<'<Response><Say>The transfer is over</Say><Hangup/></Response>'
doc leg_doc <<<'<Response><Pause length="1"/><Hangup/></Response>'
doc dial <<EOF2
<Response><Dial action="$app/doc/dialed" timeout="10"><Sip>sip:callee@127.0.0.1:@CALLEE_PORT@</Sip></Dial></Response>
EOF2
add_number +15005550064 dial
dial_call() {  # NAME: a caller dialing a fresh callee; sets parent, leg, callee_pid, caller_pid
  sipp_callee builtin-uas "$1" 60
  sed -i -e "s/127.0.0.1:[0-9@A-Z_]*<\/Sip>/${callee_uri#sip:$1@}<\/Sip>/" "$tmp/media/dial.xml"
  caller +15005550064 "$1-caller"
  parent=$(sid_when +15005550064 in-progress)
  leg=$(leg_when "$parent" in-progress)
}

# 4. The parent of a bridged Dial is redirected: the leg gets a BYE, the parent runs the new
# document (and its caller is hung up by it).
dial_call parent
check "the Dial's leg is bridged (in progress)" test -n "$leg"
check "twilio-node redirects the parent of the bridged Dial" update "$parent" "url=$app/doc/after"
check "the callee got a BYE (SIPp uas passed)" ended_within 10 "$callee_pid"
check "the parent ran the new document" wait_for 10 got_request /doc/after "$parent"
check "the parent's caller got the router's BYE" ended_within 15 "$caller_pid"
check "the leg ends completed" wait_for 10 status_is "$leg" completed
check "the parent ends completed" wait_for 10 status_is "$parent" completed

# 5. The bridged leg hung up through the API: the Dial ends completed and the parent goes on.
dial_call leghangup
check "the second Dial's leg is bridged" test -n "$leg"
check "twilio-node hangs up the leg" update "$leg" status=completed
check "the callee got a BYE" ended_within 10 "$callee_pid"
check "the Dial's action heard DialCallStatus=completed and the leg's SID" wait_for 10 bash -c \
  "$(declare -f requests_to); app=$app; requests_to /doc/dialed $parent | grep '\"DialCallStatus\": \"completed\"' | grep -q '\"DialCallSid\": \"$leg\"'"
check "the parent's document went on to its end (the caller got the BYE)" ended_within 15 "$caller_pid"
check "the hung-up leg ends completed" wait_for 10 status_is "$leg" completed

# 6. The bridged leg redirected: it leaves the Dial and runs its own document (Pause 1, Hangup);
# the parent's Dial ends completed and its action runs.
dial_call legredirect
check "the third Dial's leg is bridged" test -n "$leg"
check "twilio-node redirects the leg" update "$leg" "url=$app/doc/leg_doc"
check "the app got the leg's request, as an outbound-dial call of its parent" wait_for 10 bash -c \
  "$(declare -f requests_to); app=$app; requests_to /doc/leg_doc $leg | grep '\"Direction\": \"outbound-dial\"' | grep -q '\"ParentCallSid\": \"$parent\"'"
check "the parent's Dial action ran" wait_for 10 got_request /doc/dialed "$parent"
check "the parent's caller got its BYE" ended_within 15 "$caller_pid"
check "the callee got the BYE of the leg's own document, after its Pause" ended_within 10 "$callee_pid"
check "the redirected leg ends completed" wait_for 10 status_is "$leg" completed
check "the parent ends completed" wait_for 10 status_is "$parent" completed
finish
