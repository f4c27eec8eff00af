#!/usr/bin/env bash
# RTP source checks (issue 21): while a SIPp caller is recorded (<Record>, g711a.pcap in PCMA),
# strangers send RTP to the call's port: first from 127.0.0.2 before the caller's first packet
# (the SDP names 127.0.0.1, so even an attacker racing to be first is not latched), then, while
# the caller talks, from another port on 127.0.0.1 and again from 127.0.0.2, each full-scale
# noise and RFC 4733 digits (any digit would end a <Record>). Every injected packet is dropped and
# counted (dialtone_call_router_rtp_foreign_packets_dropped_total rises by exactly the number
# sent, the call's log names the same count), and the recording is the caller's alone: as long as
# the sound sent, and none of the noise. Then NAT mode (DIALTONE_RTP_NAT=true, a second router):
# a caller whose SDP names another address (127.0.0.2) than it sends from is heard, and once
# latched, strangers are still dropped.
# Real processes on loopback: PostgreSQL, Redis, rest-gateway, usage-metering, media-layer,
# two call-routers, the app server, SIPp.
set -euo pipefail
source "$(dirname "$0")/../lib/testlib.sh"

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d /tmp/dialtone-rtpsource.XXXXXX)
chmod 755 "$tmp"
source "$here/../lib/router_stack.sh"
pcap=/usr/share/sip-tester/g711a.pcap
metric="dialtone_call_router_rtp_foreign_packets_dropped_total"
dropped() {  # METRICS_PORT
  curl -sf "http://127.0.0.1:$1/metrics" | awk -v n="$metric" '$1 == n {print $2}'
}
psql_q() { psql -h 127.0.0.1 -p "$pg_port" -U dialtone -d dialtone -Atqc "$1"; }

cat >"$tmp/media/record.xml" <<EOF2
<Response><Record timeout="3" maxLength="30" action="$app/doc/recorded"/></Response>
EOF2
echo '<Response><Hangup/></Response>' >"$tmp/media/recorded.xml"
psql_q "insert into incoming_phone_numbers (sid, account_sid, phone_number, voice_url)
        values ('PN$(python3 -c 'import uuid; print(uuid.uuid4().hex)')', '$sid', '+15005550071',
                '$app/doc/record')" >/dev/null

# record_call NAME SIP_PORT SDP_ADDRESS: a caller to +15005550071, answered, that plays
# g711a.pcap (7 s) a second after its ACK from 127.0.0.1 and its own media port (the SDP names
# SDP_ADDRESS and another port: symmetric RTP latches where packets come from). In the
# background; sets caller_pid and router_port (the call's RTP port, from the router's answer).
record_call() {
  local rtp
  rtp=$(dt_free_port)
  sed -e "s|@RTP_PORT@|$rtp|" -e "s|@CODECS@|8 101|" -e "s|@PCAP@|$pcap|" \
    -e "s|c=IN IP\[media_ip_type\] \[media_ip\]|c=IN IP4 $3|" \
    "$here/sipp/uac_media.xml" >"$tmp/$1.xml"
  sipp "127.0.0.1:$2" -sf "$tmp/$1.xml" -s +15005550071 -i 127.0.0.1 -p "$(dt_free_port)" \
    -mp "$(dt_free_port)" -m 1 -timeout 60s -timeout_error -nostdin -trace_msg \
    -message_file "$tmp/$1.msg" >"$tmp/$1.log" 2>&1 &
  caller_pid=$!
  pids+=("$caller_pid")
  # The router's port: the only m=audio line in the SIP messages that does not name ours.
  answer_port() {
    [[ -f $tmp/$1.msg ]] && grep -o 'm=audio [0-9]*' "$tmp/$1.msg" | awk '{print $2}' |
      grep -vx "$2" | head -1 | grep .
  }
  wait_for 15 answer_port "$1" "$rtp" >/dev/null || { fail "$1: answered (SDP seen)"; finish; }
  router_port=$(answer_port "$1" "$rtp")
}
inject() { python3 "$here/rtp_inject.py" "$@" | tail -1; }  # SOURCE_IP PORT AUDIO DIGITS
# recording_intact N: the recording posted to the Nth Record action is as long as the sound
# g711a.pcap holds (within 100 ms) and holds no more full-scale samples than it (the noise).
recording_intact() {
  local url
  url=$(requests_to /doc/recorded | sed -n "$1p" |
    python3 -c 'import json,sys; print(json.loads(sys.stdin.read() or "{}").get("RecordingUrl", ""))')
  [[ -n $url ]] || { echo "no RecordingUrl" >&2; return 1; }
  python3 - "$url" "$sid" "$token" "$pcap" 2>/dev/null <<'PY'
import audioop, base64, io, struct, sys, urllib.request, wave
url, user, password, pcap = sys.argv[1:5]
req = urllib.request.Request(url + ".wav", headers={"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()})
w = wave.open(io.BytesIO(urllib.request.urlopen(req).read()))
frames = w.readframes(w.getnframes())
got = [int.from_bytes(frames[i:i + 2], "little", signed=True) for i in range(0, len(frames), 2)]
got_ms = len(got) * 1000 / w.getframerate()
d = open(pcap, "rb").read()
off, payload = 24, b""
while off + 16 <= len(d):
    incl = struct.unpack("<I", d[off + 8:off + 12])[0]
    payload += d[off + 16 + 42 + 12:off + 16 + incl]; off += 16 + incl
lin = audioop.alaw2lin(payload, 2)
s = [int.from_bytes(lin[i:i + 2], "little", signed=True) for i in range(0, len(lin), 2)]
loud = [i for i, v in enumerate(s) if abs(v) >= 328]
want_ms = (loud[-1] - loud[0] + 1) / 8
full_sent = sum(abs(v) >= 32000 for v in s)
full_got = sum(abs(v) >= 32000 for v in got)
print(f"recording {got_ms:.0f} ms, sound sent {want_ms:.0f} ms; full-scale samples: sent {full_sent}, recorded {full_got}")
sys.exit(0 if abs(got_ms - want_ms) <= 100 and full_got <= full_sent else 1)
PY
}

# ---- 1. The default (NAT mode off): strangers are dropped before and after the latch ----
metrics1=$((grpc_base + 3))
before=$(dropped "$metrics1")
check "the foreign-packet counter is exported, at 0 ($before)" test "$before" = 0
record_call strict "$sip_port" 127.0.0.1
echo "the call's RTP port: $router_port"
# Before the caller's first packet (a second after its ACK): another IP than the SDP's.
sent=$(inject 127.0.0.2 "$router_port" 25 5)
sleep 2.5  # the caller talks now (for 7 s)
sent=$((sent + $(inject 127.0.0.1 "$router_port" 50 6)))
sent=$((sent + $(inject 127.0.0.2 "$router_port" 50 6)))
echo "injected $sent packets"
check "the caller was recorded and hung up by the router (SIPp passed)" wait "$caller_pid"
sleep 1
after=$(dropped "$metrics1")
check "the metric rose by the $sent packets injected (now $after)" test "$after" = "$sent"
check "the call's media log counts them too" grep -q "\"rtp_foreign_dropped\":$sent[,}]" "$tmp/router.log"
check "the first one, sent before the caller's first packet, is logged with its source" \
  grep -q 'RTP from a foreign source dropped.*"source":"127.0.0.2:[0-9]*","latched":"none"' \
  "$tmp/router.log"
check "the recording is the caller's sound alone: as long as sent, none of the noise" recording_intact 1

# ---- 2. NAT mode: the first source latches whatever the SDP says; then only it is heard ----
block=$(free_port_block 2)
ROUTER_ENV=(DIALTONE_RTP_NAT=true)
nat_sip=$(dt_free_port)
start_call_router router_nat "127.0.0.1:$block" $((block + 1)) "$nat_sip" "$(free_port_block 40)" \
  "$media_grpc"
nat_router_pid=$started_pid
wait_for 60 serving "127.0.0.1:$block" || { cat "$tmp/router_nat.log" >&2; fail "NAT router serving"; finish; }
record_call nat "$nat_sip" 127.0.0.2
sleep 3.5  # latched on the caller's first packet, a second after its ACK
sent=$(inject 127.0.0.2 "$router_port" 25 5)
check "NAT mode: the caller, whose SDP names 127.0.0.2, was recorded (SIPp passed)" wait "$caller_pid"
sleep 1
check "NAT mode: the $sent packets from 127.0.0.2 after the latch were dropped and counted" \
  test "$(dropped $((block + 1)))" = "$sent"
check "NAT mode: the recording is the caller's sound alone" recording_intact 2

check "the routers are still running" kill -0 "$router_pid" "$nat_router_pid"
finish
