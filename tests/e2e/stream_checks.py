#!/usr/bin/env python3
"""The checks of tests/e2e/media_streams_test.sh, one sub-command each: they read the WebSocket
server's log (tests/node/stream_server.js: JSON lines with "t", "conn", "path", "type"), the
caller's captures (tests/e2e/voice_caller.py: RTP received, --sent RTP sent, arrival "t") and the
app server's requests, all timed on this host's clock. Each prints what it measured and exits 1
with the reason when the behaviour is wrong.

  protocol  WSLOG PATH ACCOUNT CALL TRACKS PARAMS_JSON   the messages, field for field
  signature WSLOG PATH URL                               the upgrade's X-Twilio-Signature
  inbound   WSLOG PATH SENT                              inbound payloads = the caller's audio
  dtmf      WSLOG PATH SENT DIGIT                        one dtmf message for the RFC 4733 digit
  stop      WSLOG PATH HANGUP_T                          stop soon after the caller hung up
  tone      WSLOG PATH CAPTURE                           tone heard; mark back after it played
  clear     WSLOG PATH CAPTURE                           clear stops the tone in 40 ms; mark back
  fork      WSLOG PATH CAPTURE HZ                        outbound track = what the caller heard
  stopped   WSLOG PATH CAPTURE HZ                        <Stop> ended it once the Play was over
  pacing    CAPTURE HZ ROUTER_LOG CALL                   no late frame while a stream stalls
  callbacks REQUESTS_JSON URL TOKEN CALL STREAM_SID NAME EVENTS   stream status callbacks
  echo      CAPTURE SENT                                 the caller hears itself 0.5 s later
"""
import base64
import hashlib
import hmac
import json
import math
import re
import sys
import urllib.parse

SILENT = {0xFF, 0x7F}  # mu-law zero (both signs)


def fail(why):
    print(f"  -> {why}")
    sys.exit(1)


def connection(wslog, path):
    """The records of the first connection whose request path was PATH."""
    records = [json.loads(line) for line in open(wslog)]
    conns = [r["conn"] for r in records if r["type"] == "upgrade" and r["path"] == path]
    if not conns:
        fail(f"no WebSocket connection to {path}")
    if len(conns) > 1:
        print(f"  ({len(conns)} connections to {path}; the first is checked)")
    return [r for r in records if r["conn"] == conns[0]]


def received(recs):
    return [r for r in recs if r["type"] == "recv" and "msg" in r]


def media_of(recs, track=None):
    return [r for r in received(recs) if r["msg"].get("event") == "media"
            and (track is None or r["msg"]["media"].get("track") == track)]


def norm(data):
    """mu-law with its two zeros made one: a decode/encode round trip may swap them."""
    return bytes(0xFF if b == 0x7F else b for b in data)


def packets(capture, pt=0):
    return [p for p in (json.loads(line) for line in open(capture)) if p["pt"] == pt]


def ulaw_to_linear(b):
    b = ~b & 0xFF
    mag = (((b & 0x0F) << 3) + 0x84) << ((b >> 4) & 0x07)
    return (0x84 - mag) if b & 0x80 else (mag - 0x84)


def tone_share(payload, hz):
    """Share of the 20 ms frame's energy at HZ (Goertzel, 1 for a pure tone at that bin), and
    its RMS."""
    x = [ulaw_to_linear(b) for b in payload]
    n = len(x)
    energy = sum(v * v for v in x)
    if n == 0 or energy == 0:
        return 0.0, 0.0
    coeff = 2 * math.cos(2 * math.pi * hz / 8000)
    s1 = s2 = 0.0
    for v in x:
        s1, s2 = v + coeff * s1 - s2, s1
    power = s1 * s1 + s2 * s2 - coeff * s1 * s2
    return power / (n / 2 * energy), math.sqrt(energy / n)


def has_tone(payload, hz):
    share, rms = tone_share(payload, hz)
    return share > 0.5 and rms > 1000


def heard(capture, hz):
    """(packets, indexes of those carrying the tone) of what the caller received."""
    audio = packets(capture)
    return audio, [i for i, p in enumerate(audio) if has_tone(bytes.fromhex(p["payload"]), hz)]


def cmd_protocol(wslog, path, account, call, tracks, params):
    recs = connection(wslog, path)
    msgs = [r["msg"] for r in received(recs)]
    tracks, params = json.loads(tracks), json.loads(params)
    if not msgs:
        fail("no message")
    if msgs[0] != {"event": "connected", "protocol": "Call", "version": "1.0.0"}:
        fail(f"first message {msgs[0]}")
    start = msgs[1] if len(msgs) > 1 else {}
    sid = start.get("streamSid", "")
    if start.get("event") != "start" or start.get("sequenceNumber") != "1":
        fail(f"second message is not start with sequenceNumber \"1\": {start}")
    if not re.fullmatch(r"MZ[0-9a-f]{32}", sid):
        fail(f"streamSid {sid!r}")
    want = {"accountSid": account, "streamSid": sid, "callSid": call, "tracks": tracks,
            "customParameters": params,
            "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1}}
    if start.get("start") != want:
        fail(f"start {json.dumps(start.get('start'))}\n     want {json.dumps(want)}")
    for i, m in enumerate(msgs[1:], start=1):
        if m.get("sequenceNumber") != str(i):
            fail(f"message {i} ({m.get('event')}) has sequenceNumber {m.get('sequenceNumber')!r}")
        if m.get("streamSid") != sid:
            fail(f"message {i} ({m.get('event')}) has streamSid {m.get('streamSid')!r}")
    per_track = {}
    for m in msgs:
        if m.get("event") != "media":
            continue
        media = m.get("media", {})
        if set(media) != {"track", "chunk", "timestamp", "payload"}:
            fail(f"media fields {sorted(media)}")
        track = media["track"]
        if track not in tracks:
            fail(f"media of track {track!r}, stream tracks {tracks}")
        if not all(isinstance(media[k], str) for k in ("chunk", "timestamp", "payload")):
            fail(f"chunk/timestamp/payload not strings: {media['chunk']!r} {media['timestamp']!r}")
        if len(base64.b64decode(media["payload"])) != 160:
            fail(f"a payload of {len(base64.b64decode(media['payload']))} bytes, not 160")
        per_track.setdefault(track, []).append((int(media["chunk"]), int(media["timestamp"])))
    for track in tracks:
        got = per_track.get(track, [])
        if len(got) < 25:
            fail(f"{len(got)} media of track {track}")
        chunks = [c for c, _ in got]
        if chunks != list(range(1, len(got) + 1)):
            bad = next(i for i, c in enumerate(chunks) if c != i + 1)
            fail(f"{track} chunks not 1, 2, 3...: {chunks[max(0, bad - 2):bad + 3]} at {bad}")
        # 20 ms a chunk, in step with the RTP clock: where the caller sent no audio (an RFC 4733
        # digit replaces a few frames) the next chunk's timestamp skips the missing time.
        stamps = [t for _, t in got]
        steps = [b - a for a, b in zip(stamps, stamps[1:])]
        skipped = sum(d - 20 for d in steps)
        if any(d < 20 or d % 20 for d in steps) or skipped > 200 or not 0 <= stamps[0] < 2000:
            fail(f"{track} timestamps start at {stamps[0]} with steps {sorted(set(steps))[:5]}")
        if skipped:
            print(f"  ({track} timestamps skip {skipped} ms where the caller sent no audio)")
    last = msgs[-1]
    if last.get("event") != "stop" or last.get("stop") != {"accountSid": account, "callSid": call}:
        fail(f"last message {json.dumps(last)[:300]}")
    closes = [r for r in recs if r["type"] == "close"]
    if not closes:
        fail("the WebSocket was not closed after stop")
    counts = {t: len(v) for t, v in per_track.items()}
    print(f"  {len(msgs)} messages, sequence 1..{len(msgs) - 1}, media {counts}, "
          f"close {closes[0]['code']}, streamSid {sid}")


def cmd_signature(wslog, path, url):
    up = next(r for r in connection(wslog, path) if r["type"] == "upgrade")
    print(f"  upgrade {up['url']}: signature {up['signature']}")
    if up["url"] != url:
        fail(f"the request was for {up['url']}, the TwiML says {url}")
    if up["signature"] != "valid":
        fail(f"X-Twilio-Signature {up['headers'].get('x-twilio-signature')!r} is {up['signature']}")


def sent_audio(sent):
    """The caller's 20 ms audio frames (pt 0) up to its first RFC 4733 packet."""
    frames = []
    for p in (json.loads(line) for line in open(sent)):
        if p["pt"] != 0:
            break
        frames.append(p)
    return frames


def cmd_inbound(wslog, path, sent):
    media = media_of(connection(wslog, path), "inbound")
    got = norm(b"".join(base64.b64decode(r["msg"]["media"]["payload"]) for r in media))
    frames = sent_audio(sent)
    talked = norm(b"".join(bytes.fromhex(p["payload"]) for p in frames))
    first = next((o for o in range(0, len(got), 160) if set(got[o:o + 160]) - {0xFF}), None)
    if first is None:
        fail(f"{len(media)} inbound media frames, all silent")
    at = talked.find(got[first:first + 160])
    if at < 0:
        fail(f"inbound frame {first // 160 + 1} is not in the audio the caller sent")
    if at > 75 * 160:
        fail(f"the stream began {at / 8000:.2f} s into the caller's audio")
    n = min(len(got) - first, len(talked) - at)
    if got[first:first + n] != talked[at:at + n]:
        bad = next(i for i in range(n) if got[first + i] != talked[at + i])
        fail(f"the inbound audio differs from the caller's {bad / 8000:.3f} s into the match")
    if n < 75 * 160:
        fail(f"only {n / 8000:.2f} s compared")
    print(f"  {n / 8000:.2f} s of the caller's audio match byte for byte (the stream began "
          f"{at / 8000:.2f} s into it, after {first // 160} silent frames)")


def cmd_dtmf(wslog, path, sent, digit):
    recs = connection(wslog, path)
    dtmf = [r for r in received(recs) if r["msg"].get("event") == "dtmf"]
    first_event = next((p["t"] for p in map(json.loads, open(sent)) if p["pt"] == 101), None)
    if first_event is None:
        fail("the caller sent no RFC 4733 packet")
    if len(dtmf) != 1:
        fail(f"{len(dtmf)} dtmf messages: {[r['msg'] for r in dtmf]}")
    msg = dtmf[0]["msg"]
    if msg.get("dtmf") != {"track": "inbound_track", "digit": digit}:
        fail(f"dtmf {msg}")
    delay = dtmf[0]["t"] - first_event
    if not 0 <= delay <= 0.5:
        fail(f"the dtmf message came {delay:.3f} s after the digit was sent")
    print(f"  dtmf {msg['dtmf']} {delay * 1000:.0f} ms after the first RFC 4733 packet")


def cmd_stop(wslog, path, hangup_t):
    recs = connection(wslog, path)
    stop = [r for r in received(recs) if r["msg"].get("event") == "stop"]
    if not stop:
        fail("no stop message")
    delay = stop[0]["t"] - float(hangup_t)
    if not 0 <= delay <= 1.0:
        fail(f"stop {delay:.3f} s after the hang-up (or the API's stop)")
    print(f"  stop {delay * 1000:.0f} ms after the hang-up (or the API's stop)")


def marks_and_sends(recs):
    sends = {r["event"]: r for r in recs if r["type"] == "sent"}
    marks = {r["name"]: r for r in recs if r["type"] == "mark"}
    return sends, marks


def cmd_tone(wslog, path, capture):
    recs = connection(wslog, path)
    sends, marks = marks_and_sends(recs)
    audio, tone = heard(capture, 1000)
    if not tone:
        fail(f"no 1 kHz tone in the {len(audio)} packets the caller got")
    if tone != list(range(tone[0], tone[-1] + 1)):
        fail(f"the tone has holes: packets {tone[:60]}")
    if not 48 <= len(tone) <= 51:
        fail(f"{len(tone)} packets of tone heard, for 1 s (50) sent")
    t_first, t_last = audio[tone[0]]["t"], audio[tone[-1]]["t"]
    if "tone-done" not in marks:
        fail("the mark never came back")
    t_mark, t_sent = marks["tone-done"]["t"], sends["media"]["t"]
    print(f"  {len(tone)} packets of 1 kHz heard from +{(t_first - t_sent) * 1000:.0f} ms to "
          f"+{(t_last - t_sent) * 1000:.0f} ms; the mark came back at +{(t_mark - t_sent) * 1000:.0f} ms")
    if t_mark - t_sent < 0.96:
        fail("the mark came back before the second of tone could have played")
    if not t_last - 0.02 <= t_mark <= t_last + 0.1:
        fail("the mark did not come back as the tone ended")


def cmd_clear(wslog, path, capture):
    recs = connection(wslog, path)
    sends, marks = marks_and_sends(recs)
    audio, tone = heard(capture, 1000)
    if "clear" not in sends:
        fail("the server never sent clear")
    t_clear = sends["clear"]["t"]
    if not tone:
        fail("no 1 kHz tone heard")
    t_first, t_last = audio[tone[0]]["t"], audio[tone[-1]]["t"]
    after = (t_last - t_clear) * 1000
    mark = marks.get("long")
    print(f"  tone heard from {(t_first - t_clear) * 1000:.0f} ms to {after:.0f} ms of the clear "
          f"({len(tone)} packets); mark back at "
          f"{(mark['t'] - t_clear) * 1000 if mark else float('nan'):.0f} ms")
    if t_first > t_clear - 0.3:
        fail("the tone had not been playing for the 500 ms before the clear")
    if after > 40:
        fail(f"the tone went on {after:.0f} ms after the clear (limit 40 ms)")
    later = [i for i in range(tone[-1] + 1, len(audio))
             if has_tone(bytes.fromhex(audio[i]["payload"]), 1000)]
    if later:
        fail(f"tone again in {len(later)} later packets")
    if mark is None:
        fail("the mark \"long\" never came back")
    if not t_clear <= mark["t"] <= t_clear + 0.1:
        fail("the mark came back before the clear, or long after it")


def cmd_fork(wslog, path, capture, hz):
    hz = float(hz)
    out = media_of(connection(wslog, path), "outbound")
    chunks = [base64.b64decode(r["msg"]["media"]["payload"]) for r in out]
    toned = [i for i, c in enumerate(chunks) if has_tone(c, hz)]
    if len(toned) < 90:
        fail(f"{len(toned)} outbound frames of the {hz:.0f} Hz Play (2 s = 100)")
    audio = [norm(bytes.fromhex(p["payload"])) for p in packets(capture)]
    first = norm(chunks[toned[0]])
    at = next((i for i, a in enumerate(audio) if a == first), None)
    if at is None:
        fail("the first outbound frame of the Play is not among the packets the caller got")
    span = [norm(c) for c in chunks[toned[0]:toned[-1] + 1]]
    if audio[at:at + len(span)] != span:
        bad = next(i for i, (a, b) in enumerate(zip(audio[at:], span)) if a != b)
        fail(f"outbound frame {bad} of the Play differs from the caller's packet")
    print(f"  {len(toned)} outbound frames of {hz:.0f} Hz, {len(span)} frames equal to the RTP "
          f"the caller received")


def cmd_stopped(wslog, path, capture, hz):
    recs = connection(wslog, path)
    stop = [r for r in received(recs) if r["msg"].get("event") == "stop"]
    if not stop:
        fail("no stop message")
    audio, tone = heard(capture, float(hz))
    if not tone:
        fail("the caller heard no Play")
    t_end = audio[tone[-1]]["t"]
    delay = stop[0]["t"] - t_end
    print(f"  stop {delay * 1000:.0f} ms after the Play's last packet reached the caller")
    if not -0.05 <= delay <= 0.5:
        fail("the stream did not stop when the document reached <Stop>")


def cmd_pacing(capture, hz, router_log, call):
    audio, tone = heard(capture, float(hz))
    if len(tone) < 200:
        fail(f"{len(tone)} packets of the Play heard")
    span = audio[tone[0]:tone[-1] + 1]
    seqs = [p["seq"] for p in span]
    if any((b - a) % 65536 != 1 for a, b in zip(seqs, seqs[1:])):
        fail("sequence gaps in the Play")
    gaps = [(b["t"] - a["t"]) * 1000 for a, b in zip(span, span[1:])]
    base = span[0]["ts"]
    lateness = [(p["t"] - span[0]["t"] - ((p["ts"] - base) % 2**32) / 8000) * 1000 for p in span]
    spread = max(lateness) - min(lateness)
    print(f"  {len(span)} packets: spacing {min(gaps):.1f}-{max(gaps):.1f} ms, arrival against "
          f"the RTP clock within {spread:.1f} ms")
    late = None
    for line in open(router_log):
        if call in line and "call media closed" in line:
            m = re.search(r'"rtp_late":\s*(\d+)', line)
            late = int(m.group(1)) if m else None
    print(f"  the router counted {late} late frames for the call")
    if max(gaps) >= 40 or spread >= 20:
        fail("a frame reached the caller a tick late")
    if late is None:
        fail("no 'call media closed' line with rtp_late for the call in the router's log")
    if late:
        fail(f"the router sent {late} frames late")


def cmd_callbacks(requests_json, url, token, call, stream_sid, name, events):
    forms = []
    for r in json.load(open(requests_json)):
        if r["path"].split("?")[0] != urllib.parse.urlsplit(url).path:
            continue
        params = urllib.parse.parse_qsl(r["body"], keep_blank_values=True)
        form = dict(params)
        if form.get("CallSid") != call:
            continue
        data = url + "".join(k + v for k, v in sorted(params))
        sig = base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()
        form["_signed"] = r["headers"].get("x-twilio-signature") == sig
        form["_method"] = r["method"]
        forms.append(form)
    got = [f.get("StreamEvent") for f in forms]
    print(f"  callbacks: {got}")
    if got != events.split(","):
        fail(f"want {events}")
    for f in forms:
        missing = [k for k in ("AccountSid", "CallSid", "StreamSid", "StreamEvent", "Timestamp")
                   if not f.get(k)]
        if missing or f["StreamSid"] != stream_sid or f.get("StreamName", "") != name:
            fail(f"callback {f}: missing {missing}")
        if not f["_signed"] or f["_method"] != "POST":
            fail(f"callback {f['StreamEvent']} is not a signed POST")


def cmd_echo(capture, sent):
    sent_at = {}
    for p in map(json.loads, open(sent)):
        if p["pt"] == 0 and set(bytes.fromhex(p["payload"])) - SILENT:
            sent_at.setdefault(norm(bytes.fromhex(p["payload"])), []).append(p["t"])
    delays = []
    for p in packets(capture):
        times = [t for t in sent_at.get(norm(bytes.fromhex(p["payload"])), []) if t < p["t"]]
        if times:
            delays.append(p["t"] - max(times))
    delays.sort()
    talked = sum(len(v) for v in sent_at.values())
    if not delays:
        fail(f"none of the {talked} frames the caller said came back")
    median = delays[len(delays) // 2]
    print(f"  {len(delays)} of {talked} frames came back, delay median {median * 1000:.0f} ms "
          f"({delays[0] * 1000:.0f}-{delays[-1] * 1000:.0f} ms)")
    if len(delays) < 200:
        fail("fewer than 4 s of the caller's audio came back")
    if not 0.5 <= median <= 0.7:
        fail("the echo is not half a second late")


COMMANDS = {"protocol": cmd_protocol, "signature": cmd_signature, "inbound": cmd_inbound,
            "dtmf": cmd_dtmf, "stop": cmd_stop, "tone": cmd_tone, "clear": cmd_clear,
            "fork": cmd_fork, "stopped": cmd_stopped, "pacing": cmd_pacing,
            "callbacks": cmd_callbacks, "echo": cmd_echo}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    try:
        COMMANDS[sys.argv[1]](*sys.argv[2:])
    except FileNotFoundError as e:
        fail(f"no {e.filename}: the call or the server did not produce it")
