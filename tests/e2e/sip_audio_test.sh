#!/usr/bin/env bash
# The audio path end to end (call router part 2): SIPp calls numbers whose documents Say and
# Play (the RTP is captured and decoded: it must be the media layer's audio, back to back, at
# 20 ms a packet), Gather (SIPp plays the RFC 4733 dtmf_2833_1.pcap the sip-tester package
# ships; a Gather without input falls through), and Record (SIPp streams g711a.pcap in PCMA:
# the recording's duration, resource and downloads are checked).
# Real processes on loopback: PostgreSQL, Redis, rest-gateway, usage-metering, media-layer,
# call-router, the app server, SIPp.
set -euo pipefail
source "$(dirname "$0")/../lib/testlib.sh"

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d /tmp/dialtone-audio.XXXXXX)
chmod 755 "$tmp"
source "$here/../lib/router_stack.sh"
pcaps=/usr/share/sip-tester
api="http://127.0.0.1:$rest_port/2010-04-01/Accounts/$sid"
psql_q() { psql -h 127.0.0.1 -p "$pg_port" -U dialtone -d dialtone -Atqc "$1"; }
add_number() {  # NUMBER DOCUMENT
  local pn
  pn=PN$(python3 -c 'import uuid; print(uuid.uuid4().hex)')
  psql_q "insert into incoming_phone_numbers (sid, account_sid, phone_number, voice_url)
          values ('$pn', '$sid', '$1', '$app/doc/$2')" >/dev/null
}
doc() { cat >"$tmp/media/$1.xml"; }  # NAME < TwiML

# A second of a 440 Hz tone (8 kHz, 16-bit mono WAV) for <Play>.
python3 - "$tmp/media/tone.wav" <<'PY'
import math, struct, sys, wave
w = wave.open(sys.argv[1], "wb"); w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000)
w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / 8000))) for i in range(8000)))
w.close()
PY
doc say_play <<EOF2
<Response><Say>Hello from Dialtone</Say><Play>$app/media/tone.wav</Play><Hangup/></Response>
EOF2
doc gather <<EOF2
<Response><Gather numDigits="1" timeout="5" action="$app/doc/gathered"><Say>Press a key</Say></Gather><Say>Nothing pressed</Say><Hangup/></Response>
EOF2
doc gather_code <<EOF2
<Response><Gather finishOnKey="#" timeout="5" action="$app/doc/gathered"><Say>Enter your code, then the pound key</Say></Gather><Hangup/></Response>
EOF2
doc gather_none <<EOF2
<Response><Gather timeout="1" action="$app/doc/gathered"/><Hangup/></Response>
EOF2
doc gathered <<<'<Response><Hangup/></Response>'
doc record <<EOF2
<Response><Record timeout="2" maxLength="30" action="$app/doc/recorded" recordingStatusCallback="$app/recstatus"/></Response>
EOF2
doc recorded <<<'<Response><Hangup/></Response>'
add_number +15005550041 say_play
add_number +15005550042 gather
add_number +15005550043 gather_none
add_number +15005550046 gather_code
add_number +15005550044 record

# media_call NUMBER CODECS PCAP[,PCAP...]|- LOG: one SIPp call; with "-" it plays nothing and its
# audio is captured to $tmp/LOG.rtp. Status: SIPp's.
media_call() {
  local number=$1 codecs=$2 pcap=$3 log=$4 rtp_port cap_pid=
  rtp_port=$(dt_free_port)
  sed -e "s|@RTP_PORT@|$rtp_port|" -e "s|@CODECS@|$codecs|" -e "s|@PCAP@|${pcap%%,*}|" \
    "$here/sipp/uac_media.xml" >"$tmp/$log.xml"
  if [[ $pcap == *,* ]]; then  # several pcaps, 400 ms apart: more <nop> blocks after the first
    python3 - "$tmp/$log.xml" "$pcap" <<'PY'
import sys
path, pcaps = sys.argv[1], sys.argv[2].split(",")
s = open(path).read()
extra = "".join(f'  <pause milliseconds="400"/>\n  <nop>\n    <action>\n      <exec play_pcap_audio="{p}"/>\n    </action>\n  </nop>\n' for p in pcaps[1:])
at = s.index("  </nop>\n") + len("  </nop>\n")
open(path, "w").write(s[:at] + extra + s[at:])
PY
  fi
  if [[ $pcap == - ]]; then
    sed -i -e '/<pause milliseconds="1000"\/>/d' -e '/<nop>/,/<\/nop>/d' "$tmp/$log.xml"
    python3 -u "$here/rtp_capture.py" "$rtp_port" "$tmp/$log.rtp" 2 60 >"$tmp/$log.cap" 2>&1 &
    cap_pid=$!
    wait_for 5 grep -q READY "$tmp/$log.cap"
  fi
  local rc=0
  sipp "127.0.0.1:$sip_port" -sf "$tmp/$log.xml" -s "$number" -i 127.0.0.1 -p "$(dt_free_port)" \
    -mp "$(dt_free_port)" -m 1 -timeout 60s -timeout_error -nostdin >"$tmp/$log.log" 2>&1 || rc=$?
  if [[ -n $cap_pid ]]; then wait "$cap_pid" || true; fi
  return "$rc"
}
requests() { curl -sf "$app/_requests"; }

# 1. Say + Play: the audio that arrives is the media layer's, back to back, paced.
check "Say then Play: answered, audio, BYE" media_call +15005550041 "0 101" - sayplay
say_json=$("$CTL" media resolve --say "Hello from Dialtone" --voice man --language en \
  --account "$sid" --addr "$media_grpc")
say_url=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["media"]["url"])' <<<"$say_json")
curl -sf -o "$tmp/say.wav" "${say_url%.*}.wav"
check "the RTP decodes to the Say audio then the WAV, within 50 ms, at 20 ms a packet" \
  python3 - "$tmp/sayplay.rtp" "$tmp/say.wav" "$tmp/media/tone.wav" <<'PY'
import audioop, json, sys, wave
pk = [json.loads(l) for l in open(sys.argv[1])]
assert pk, "no RTP captured"
audio = [p for p in pk if p["pt"] == 0]
seqs = [p["seq"] for p in audio]
assert all((b - a) % 65536 == 1 for a, b in zip(seqs, seqs[1:])), "sequence gaps"
assert all((b["ts"] - a["ts"]) % 2**32 == 160 for a, b in zip(audio, audio[1:])), "timestamps not +160"
assert all(len(p["payload"]) == 320 for p in audio), "payloads not 160 bytes"
span = audio[-1]["t"] - audio[0]["t"]
assert abs(span - 0.02 * (len(audio) - 1)) < 0.25, f"pacing: {len(audio)} packets in {span:.2f} s"
heard = audioop.ulaw2lin(bytes.fromhex("".join(p["payload"] for p in audio)), 2)
samples = [int.from_bytes(heard[i:i + 2], "little", signed=True) for i in range(0, len(heard), 2)]
def wav(path):  # PCM, or the G.711 WAV the media layer serves (wave reads only PCM)
    d = open(path, "rb").read()
    at, tag, data = 12, 1, b""
    while at + 8 <= len(d):
        cid, size = d[at:at + 4], int.from_bytes(d[at + 4:at + 8], "little")
        if cid == b"fmt ": tag = int.from_bytes(d[at + 8:at + 10], "little")
        if cid == b"data": data = d[at + 8:at + 8 + size]
        at += 8 + size + (size & 1)
    if tag == 7: data = audioop.ulaw2lin(data, 2)
    elif tag == 6: data = audioop.alaw2lin(data, 2)
    return [int.from_bytes(data[i:i + 2], "little", signed=True) for i in range(0, len(data), 2)]
def ulaw_round(x):
    b = audioop.ulaw2lin(audioop.lin2ulaw(b"".join(int(v).to_bytes(2, "little", signed=True) for v in x), 2), 2)
    return [int.from_bytes(b[i:i + 2], "little", signed=True) for i in range(0, len(b), 2)]
say, tone = wav(sys.argv[2]), ulaw_round(wav(sys.argv[3]))
def match(expected, start, search):
    best = (1e9, None)
    energy = sum(v * v for v in expected) or 1
    for off in range(max(0, start - search), start + search + 1):
        seg = samples[off:off + len(expected)]
        if len(seg) < len(expected): break
        err = sum((a - b) ** 2 for a, b in zip(seg, expected)) / energy
        best = min(best, (err, off))
    return best
first = next(i for i, v in enumerate(samples) if abs(v) > 64)
first_say = next(i for i, v in enumerate(say) if abs(v) > 64)
err_say, at_say = match(say, first - first_say, 40)
assert err_say < 0.02, f"Say audio differs: error {err_say:.3f}"
say_end = at_say + len(say)
err_tone, at_tone = match(tone, say_end, 800)
assert err_tone < 0.02, f"Play audio differs: error {err_tone:.3f}"
gap_ms = (at_tone - say_end) / 8
assert 0 <= gap_ms <= 50, f"{gap_ms} ms between Say and Play"
print(f"say {len(say)/8:.0f} ms (error {err_say:.4f}), play {len(tone)/8:.0f} ms (error {err_tone:.4f}), gap {gap_ms:.0f} ms, {len(audio)} packets")
PY

reinvite() {
  sipp "127.0.0.1:$sip_port" -sf "$here/sipp/uac_reinvite.xml" -s +15005550041 -i 127.0.0.1 \
    -p "$(dt_free_port)" -mp "$(dt_free_port)" -m 1 -timeout 20s -timeout_error -nostdin \
    >"$tmp/reinvite.log" 2>&1
}
check "a re-INVITE mid-call gets 200 with SDP and keeps the call; the caller's BYE ends it" reinvite

# 2. Gather: RFC 4733 digit 1 from SIPp's pcap; a Gather without input falls through.
check "Gather: SIPp plays dtmf_2833_1.pcap" media_call +15005550042 "0 101" "$pcaps/dtmf_2833_1.pcap" gather
check "the Gather action got Digits=1" python3 -c '
import json, sys, urllib.parse
reqs = json.load(sys.stdin)
got = [dict(urllib.parse.parse_qsl(r["body"])) for r in reqs if r["path"] == "/doc/gathered"]
print(got); sys.exit(0 if len(got) == 1 and got[0].get("Digits") == "1" and got[0].get("To") == "+15005550042" else 1)' <<<"$(requests)"
check "Gather: SIPp plays dtmf_2833_9, _star, _0 and _pound (barging in on the prompt)" \
  media_call +15005550046 "0 101" "$pcaps/dtmf_2833_9.pcap,$pcaps/dtmf_2833_star.pcap,$pcaps/dtmf_2833_0.pcap,$pcaps/dtmf_2833_pound.pcap" gathercode
check "the Gather action got Digits=9*0, finished on #" python3 -c '
import json, sys, urllib.parse
reqs = json.load(sys.stdin)
got = [dict(urllib.parse.parse_qsl(r["body"])) for r in reqs if r["path"] == "/doc/gathered"]
got = [g for g in got if g.get("To") == "+15005550046"]
print(got); sys.exit(0 if len(got) == 1 and got[0].get("Digits") == "9*0" and got[0].get("FinishedOnKey") == "#" else 1)' <<<"$(requests)"
check "a Gather without input: answered, then BYE after its timeout" media_call +15005550043 "0 101" - nogather
check "a Gather without input posts nothing to its action" python3 -c '
import json, sys, urllib.parse
reqs = json.load(sys.stdin)
got = [dict(urllib.parse.parse_qsl(r["body"])) for r in reqs if r["path"] == "/doc/gathered"]
sys.exit(0 if not any(g.get("To") == "+15005550043" for g in got) else 1)' <<<"$(requests)"

# 3. Record: SIPp streams g711a.pcap (PCMA); the recording matches what was sent.
check "Record: SIPp streams g711a.pcap in PCMA" media_call +15005550044 "8 101" "$pcaps/g711a.pcap" record
requests >"$tmp/requests.json"
rec=$(python3 -c '
import json, sys, urllib.parse
reqs = json.load(open(sys.argv[1]))
got = [dict(urllib.parse.parse_qsl(r["body"])) for r in reqs if r["path"] == "/doc/recorded"]
print(json.dumps(got[0] if got else {}))' "$tmp/requests.json")
rec_sid=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1]).get("RecordingSid", ""))' "$rec")
rec_url=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1]).get("RecordingUrl", ""))' "$rec")
check "the Record action got RecordingSid, RecordingUrl and RecordingDuration ($rec)" python3 -c '
import json, re, sys
r = json.loads(sys.argv[1])
sys.exit(0 if re.fullmatch(r"RE[0-9a-f]{32}", r.get("RecordingSid", "")) and r.get("RecordingUrl", "").endswith(r["RecordingSid"])
         and r.get("RecordingDuration", "0").isdigit() and 5 <= int(r["RecordingDuration"]) <= 8 else 1)' "$rec"
check "the recording status callback came" python3 -c '
import json, sys, urllib.parse
reqs = json.load(open(sys.argv[1]))
got = [dict(urllib.parse.parse_qsl(r["body"])) for r in reqs if r["path"] == "/recstatus"]
sys.exit(0 if got and got[0].get("RecordingStatus") == "completed" and got[0].get("RecordingSid") == sys.argv[2] else 1)' \
  "$tmp/requests.json" "$rec_sid"
curl -sf -u "$sid:$token" "$api/Recordings/$rec_sid.json" >"$tmp/recording.json" || true
check "the Recording resource reads back: completed, its call, one channel, the duration" python3 -c '
import json, sys
r = json.load(open(sys.argv[1])); d = json.loads(sys.argv[2])
sys.exit(0 if r["status"] == "completed" and r["call_sid"].startswith("CA") and r["channels"] == 1
         and str(r["duration"]) == d["RecordingDuration"] and r["source"] == "RecordVerb" else 1)' \
  "$tmp/recording.json" "$rec"
check "the recording downloads as WAV, as long as the sound SIPp sent (within 100 ms)" python3 - \
  "$rec_url" "$sid" "$token" "$pcaps/g711a.pcap" <<'PY'
import audioop, base64, io, struct, sys, urllib.request, wave
url, user, password, pcap = sys.argv[1:5]
req = urllib.request.Request(url + ".wav", headers={"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()})
body = urllib.request.urlopen(req).read()
w = wave.open(io.BytesIO(body))
got_ms = w.getnframes() * 1000 / w.getframerate()
d = open(pcap, "rb").read()
off, payload = 24, b""
while off + 16 <= len(d):
    incl = struct.unpack("<I", d[off + 8:off + 12])[0]
    pkt = d[off + 16:off + 16 + incl]; off += 16 + incl
    payload += pkt[42 + 12:]
lin = audioop.alaw2lin(payload, 2)
s = [int.from_bytes(lin[i:i + 2], "little", signed=True) for i in range(0, len(lin), 2)]
loud = [i for i, v in enumerate(s) if abs(v) >= 328]
want_ms = (loud[-1] - loud[0] + 1) / 8
print(f"recording {got_ms:.0f} ms, sound sent {want_ms:.0f} ms")
sys.exit(0 if abs(got_ms - want_ms) <= 100 else 1)
PY
check "the recording downloads as MP3 too" python3 - "$rec_url" "$sid" "$token" <<'PY'
import base64, sys, urllib.request
url, user, password = sys.argv[1:4]
req = urllib.request.Request(url + ".mp3", headers={"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()})
r = urllib.request.urlopen(req)
body = r.read()
ok = r.headers.get("Content-Type") == "audio/mpeg" and (body[:3] == b"ID3" or (body[0] == 0xFF and body[1] & 0xE0 == 0xE0))
sys.exit(0 if ok and len(body) > 1000 else 1)
PY
# 4. Dial: the caller is bridged to a second SIPp; its audio reaches the callee (PCMU in,
# PCMA out); busy and unanswered callees give their DialCallStatus.
doc dialed <<<'<Response><Hangup/></Response>'
add_number +15005550045 dial
dial_to() {  # URI [TIMEOUT [ATTRIBUTES]]: the document of +15005550045 dials URI
  doc dial <<EOF2
<Response><Dial action="$app/doc/dialed" timeout="${2:-10}" ${3:-}><Sip>$1</Sip></Dial></Response>
EOF2
}
callee_port=$(dt_free_port)
callee_rtp=$(dt_free_port)
sed -e 's/<pause milliseconds="1000"\/>/<pause milliseconds="9000"\/>/' \
  -e "s/m=audio \[media_port\] RTP\/AVP 0/m=audio $callee_rtp RTP\/AVP 8/" \
  -e 's/a=rtpmap:0 PCMU\/8000/a=rtpmap:8 PCMA\/8000/' \
  "$here/sipp/uas_answer_then_bye.xml" >"$tmp/callee.xml"
python3 -u "$here/rtp_capture.py" "$callee_rtp" "$tmp/callee.rtp" 3 60 >"$tmp/callee.cap" 2>&1 &
cap_pid=$!
wait_for 5 grep -q READY "$tmp/callee.cap"
sipp -sf "$tmp/callee.xml" -i 127.0.0.1 -p "$callee_port" -m 1 -timeout 60s -timeout_error -nostdin \
  >"$tmp/callee.log" 2>&1 &
callee_pid=$!
pids+=("$callee_pid" "$cap_pid")
wait_for 5 dt_udp_bound "$callee_port"
dial_to "sip:callee@127.0.0.1:$callee_port" 10 'record="record-from-answer"'
check "Dial: the caller (g711a.pcap) is bridged to the callee, who hangs up" \
  media_call +15005550045 "0 101" "$pcaps/g711a.pcap" dialcaller
check "the callee answered, heard the call and sent its BYE (SIPp passed)" wait "$callee_pid"
wait "$cap_pid" || true
check "the caller's sound reached the callee, in PCMA, as long as it was sent (within 200 ms)" \
  python3 - "$tmp/callee.rtp" "$pcaps/g711a.pcap" <<'PY'
import audioop, json, struct, sys
pk = [json.loads(l) for l in open(sys.argv[1])]
assert pk and all(p["pt"] == 8 for p in pk if p["pt"] < 96), "not PCMA"
lin = audioop.alaw2lin(bytes.fromhex("".join(p["payload"] for p in pk if p["pt"] == 8)), 2)
s = [int.from_bytes(lin[i:i + 2], "little", signed=True) for i in range(0, len(lin), 2)]
loud = [i for i, v in enumerate(s) if abs(v) >= 328]
got_ms = (loud[-1] - loud[0] + 1) / 8 if loud else 0
d = open(sys.argv[2], "rb").read(); off, payload = 24, b""
while off + 16 <= len(d):
    incl = struct.unpack("<I", d[off + 8:off + 12])[0]
    payload += d[off + 16 + 42 + 12:off + 16 + incl]; off += 16 + incl
ref = audioop.alaw2lin(payload, 2)
r = [int.from_bytes(ref[i:i + 2], "little", signed=True) for i in range(0, len(ref), 2)]
rl = [i for i, v in enumerate(r) if abs(v) >= 328]
want_ms = (rl[-1] - rl[0] + 1) / 8
print(f"callee heard {got_ms:.0f} ms of sound, caller sent {want_ms:.0f} ms")
sys.exit(0 if abs(got_ms - want_ms) <= 200 else 1)
PY
dial_status() {  # NUMBER_OF_POSTS_EXPECTED STATUS: the last post to /doc/dialed
  python3 -c '
import json, re, sys, urllib.parse
reqs = json.load(sys.stdin)
got = [dict(urllib.parse.parse_qsl(r["body"])) for r in reqs if r["path"] == "/doc/dialed"]
last = got[-1] if got else {}
print(last.get("DialCallStatus"), last.get("DialCallDuration"))
ok = len(got) == int(sys.argv[1]) and last.get("DialCallStatus") == sys.argv[2] and re.fullmatch(r"CA[0-9a-f]{32}", last.get("DialCallSid", ""))
if sys.argv[2] == "completed": ok = ok and 5 <= int(last.get("DialCallDuration", "0")) <= 12
sys.exit(0 if ok else 1)' "$1" "$2" <<<"$(requests)"
}
check "the Dial action got DialCallStatus=completed, DialCallSid and DialCallDuration" dial_status 1 completed
check "Dial record=record-from-answer: the action got the RecordingUrl of the bridged call (DialVerb)" \
  python3 - "$sid" "$token" <<PY
import base64, json, urllib.parse, urllib.request
reqs = json.load(urllib.request.urlopen("$app/_requests"))
got = [dict(urllib.parse.parse_qsl(r["body"])) for r in reqs if r["path"] == "/doc/dialed"]
url = got[0].get("RecordingUrl", "")
auth = {"Authorization": "Basic " + base64.b64encode(b"$sid:$token").decode()}
rec = json.load(urllib.request.urlopen(urllib.request.Request(url + ".json", headers=auth)))
print(rec["source"], rec["duration"])
assert rec["source"] == "DialVerb" and 5 <= int(rec["duration"]) <= 10, rec
PY
check "the Dial leg reads back: outbound-dial, its parent, completed" python3 - "$api" "$sid" "$token" <<'PY'
import base64, json, sys, urllib.request
api, user, password = sys.argv[1:4]
auth = {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}
calls = json.load(urllib.request.urlopen(urllib.request.Request(api + "/Calls.json?PageSize=50", headers=auth)))["calls"]
legs = [c for c in calls if c["direction"] == "outbound-dial"]
parents = {c["sid"]: c for c in calls}
ok = len(legs) == 1 and legs[0]["status"] == "completed" and legs[0]["parent_call_sid"] in parents \
     and parents[legs[0]["parent_call_sid"]]["to"] == "+15005550045"
sys.exit(0 if ok else 1)
PY
busy_port=$(dt_free_port)
sipp -sf "$here/sipp/uas_busy.xml" -i 127.0.0.1 -p "$busy_port" -m 1 -timeout 30s -nostdin >"$tmp/busy.log" 2>&1 &
pids+=($!)
wait_for 5 dt_udp_bound "$busy_port"
dial_to "sip:busy@127.0.0.1:$busy_port"
check "Dial to a busy callee: the caller is hung up after the action" media_call +15005550045 "0 101" - dialbusy
check "the Dial action got DialCallStatus=busy" dial_status 2 busy
ring_port=$(dt_free_port)
sipp -sf "$here/sipp/uas_ring_forever.xml" -i 127.0.0.1 -p "$ring_port" -m 1 -timeout 30s -nostdin >"$tmp/ring.log" 2>&1 &
pids+=($!)
wait_for 5 dt_udp_bound "$ring_port"
dial_to "sip:ring@127.0.0.1:$ring_port" 2
check "Dial to a callee that never answers (timeout 2)" media_call +15005550045 "0 101" - dialring
check "the Dial action got DialCallStatus=no-answer" dial_status 3 no-answer

check "the router is still running" kill -0 "$router_pid"
finish
