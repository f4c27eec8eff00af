#!/usr/bin/env python3
"""A SIP caller that talks and listens: INVITEs NUMBER at HOST:PORT over UDP (PCMU), and once
answered sends TALK seconds of a 440 Hz tone, then silence, from the same RTP socket it receives
on (so symmetric RTP answers to it), writes the RTP it gets to OUT as rtp_capture.py does, and
ends when the router sends BYE (answered 200) or after LIMIT seconds (exit 1).

Prints "STATUS <code>" with the INVITE's final answer; a refused call (4xx-6xx) is ACKed and
exits 0 at once.  Usage: voice_caller.py HOST:PORT NUMBER OUT [TALK=3] [LIMIT=40] [options]
  --signal sweep  talk a chirp from 300 to 3300 Hz over 10 s instead of the 440 Hz tone: no two
                  20 ms packets of it are alike, so a copy of it can be aligned byte for byte
  --sent FILE     write every RTP packet sent, as OUT's lines (pt 0 audio, pt 101 RFC 4733)
  --dtmf D@S      send digit D (0-9 * #) as RFC 4733 events S seconds after the answer: 100 ms
                  of event packets (marker on the first) and three end packets, in place of audio
                  (repeatable)
  --hangup S      send BYE S seconds after the answer (prints "HUNG UP" once it is answered 200)
Each received packet's line has "t", its arrival (Unix seconds): packet spacing and timing
against other processes on the same host come from it.
"""
import argparse
import json
import math
import random
import re
import select
import socket
import sys
import threading
import time


def ulaw(sample):
    """G.711 mu-law of a 16-bit sample."""
    bias, clip = 0x84, 32635
    sign = 0x80 if sample < 0 else 0
    sample = min(abs(sample), clip) + bias
    exponent = 7
    mask = 0x4000
    while exponent > 0 and not sample & mask:
        exponent -= 1
        mask >>= 1
    mantissa = (sample >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


DTMF_EVENTS = {**{str(d): d for d in range(10)}, "*": 10, "#": 11}
SWEEP_SECONDS = 10.0


def sample_at(signal, i):
    """The i-th 8 kHz sample the caller talks: the 440 Hz tone or the 300-3300 Hz sweep."""
    if signal == "sweep":
        t = (i % int(8000 * SWEEP_SECONDS)) / 8000
        return int(8000 * math.sin(2 * math.pi * (300 * t + 3000 * t * t / (2 * SWEEP_SECONDS))))
    return int(8000 * math.sin(2 * math.pi * 440 * i / 8000))


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("target")
    ap.add_argument("number")
    ap.add_argument("out")
    ap.add_argument("talk", nargs="?", type=float, default=3.0)
    ap.add_argument("limit", nargs="?", type=float, default=40.0)
    ap.add_argument("--signal", choices=["tone", "sweep"], default="tone")
    ap.add_argument("--sent")
    ap.add_argument("--dtmf", action="append", default=[])
    ap.add_argument("--hangup", type=float)
    args = ap.parse_args()
    args.dtmf_at = {}  # first frame -> digit
    for spec in args.dtmf:
        digit, _, at = spec.partition("@")
        if digit not in DTMF_EVENTS or not at:
            ap.error(f"--dtmf {spec}: want D@SECONDS with D in 0-9 * #")
        args.dtmf_at[round(float(at) / 0.02)] = digit
    return args


def rtp_line(data, t):
    cc = data[0] & 0x0F
    return json.dumps({"seq": int.from_bytes(data[2:4], "big"),
                       "ts": int.from_bytes(data[4:8], "big"),
                       "pt": data[1] & 0x7F, "marker": bool(data[1] & 0x80),
                       "t": t, "payload": data[12 + 4 * cc:].hex()}) + "\n"


def main():
    args = parse_args()
    host, port = args.target.rsplit(":", 1)
    port = int(port)
    number, out, talk, limit = args.number, args.out, args.talk, args.limit

    sip = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sip.bind(("127.0.0.1", 0))
    sip.settimeout(0.2)
    rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rtp.bind(("127.0.0.1", 0))
    rtp.settimeout(0.2)
    sip_port, rtp_port = sip.getsockname()[1], rtp.getsockname()[1]
    call_id = f"{random.getrandbits(64):x}@voice-caller"
    tag = f"{random.getrandbits(32):x}"
    branch = f"z9hG4bK{random.getrandbits(48):x}"
    uri = f"sip:{number}@{host}:{port}"
    sdp = (f"v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
           f"m=audio {rtp_port} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
           f"a=rtpmap:101 telephone-event/8000\r\n")
    head = (f"Via: SIP/2.0/UDP 127.0.0.1:{sip_port};branch={branch}\r\n"
            f"From: <sip:+15551230000@127.0.0.1:{sip_port}>;tag={tag}\r\n")
    invite = (f"INVITE {uri} SIP/2.0\r\n{head}To: <{uri}>\r\nCall-ID: {call_id}\r\n"
              f"CSeq: 1 INVITE\r\nContact: <sip:caller@127.0.0.1:{sip_port}>\r\n"
              f"Max-Forwards: 70\r\nContent-Type: application/sdp\r\n"
              f"Content-Length: {len(sdp)}\r\n\r\n{sdp}")
    sip.sendto(invite.encode(), (host, port))
    start = time.time()
    status, to_header, remote, remote_uri = 0, "", None, uri
    last_send = start
    while time.time() - start < limit:
        try:
            data, _ = sip.recvfrom(65535)
        except socket.timeout:
            if status == 0 and time.time() - last_send > 0.5:  # UDP: retransmit until answered
                sip.sendto(invite.encode(), (host, port))
                last_send = time.time()
            continue
        text = data.decode("utf-8", "replace")
        m = re.match(r"SIP/2.0 (\d{3})", text)
        if not m or "CSeq: 1 INVITE" not in text:
            continue
        code = int(m.group(1))
        if code < 200:
            status = -1  # provisional: stop retransmitting
            continue
        status = code
        to_header = re.search(r"^To: (.*)$", text, re.M | re.I).group(1).strip()
        body = text.split("\r\n\r\n", 1)[1] if "\r\n\r\n" in text else ""
        contact = re.search(r"^(?:Contact|m): *<?(sip:[^>;\s]+)", text, re.M | re.I)
        if contact:
            remote_uri = contact.group(1)
        c = re.search(r"c=IN IP4 (\S+)", body)
        mp = re.search(r"m=audio (\d+)", body)
        if c and mp:
            remote = (c.group(1), int(mp.group(1)))
        break
    print(f"STATUS {status}", flush=True)
    ack = (f"ACK {uri} SIP/2.0\r\n{head}To: {to_header}\r\nCall-ID: {call_id}\r\nCSeq: 1 ACK\r\n"
           f"Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n")
    if status != 200:
        if status >= 300:
            sip.sendto(ack.encode(), (host, port))
            return 0
        return 1
    ack = ack.replace(f"branch={branch}", f"branch={branch}ack")
    sip.sendto(ack.encode(), (host, port))

    done = threading.Event()

    answered = time.time()
    print(f"ANSWERED AT {answered:.6f}", flush=True)
    sent_log = open(args.sent, "w") if args.sent else None
    sent_lock = threading.Lock()

    def send():
        seq, ts, n = random.getrandbits(16), random.getrandbits(32), 0
        ssrc = random.getrandbits(32).to_bytes(4, "big")
        t0 = time.time()
        dtmf = None  # (first frame, event code, event timestamp) while a digit is sent

        def put(pt, payload, marker=False, timestamp=None):
            nonlocal seq
            header = bytes([0x80, pt | (0x80 if marker else 0)]) + (seq & 0xFFFF).to_bytes(2, "big") + \
                ((ts if timestamp is None else timestamp) & 0xFFFFFFFF).to_bytes(4, "big") + ssrc
            rtp.sendto(header + payload, remote)
            if sent_log:
                with sent_lock:
                    sent_log.write(rtp_line(header + payload, time.time()))
            seq += 1

        while not done.is_set() and remote is not None:
            if n in args.dtmf_at:
                dtmf = (n, DTMF_EVENTS[args.dtmf_at[n]], ts)
            if dtmf is not None:
                first, code, event_ts = dtmf
                k = n - first  # 5 packets of a growing event (100 ms), then 3 end packets
                if k < 5:
                    put(101, bytes([code, 10]) + ((k + 1) * 160).to_bytes(2, "big"), k == 0, event_ts)
                else:
                    for _ in range(3):
                        put(101, bytes([code, 0x80 | 10]) + (800).to_bytes(2, "big"), False, event_ts)
                    dtmf = None
            else:
                samples = [sample_at(args.signal, n * 160 + i) if n * 0.02 < talk else 0
                           for i in range(160)]
                put(0, bytes(ulaw(v) for v in samples))
            ts, n = ts + 160, n + 1
            time.sleep(max(0.0, t0 + n * 0.02 - time.time()))

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    ended = hung_up = False
    bye = None
    with open(out, "w") as f:
        while time.time() - start < limit and not ended:
            if args.hangup is not None and bye is None and time.time() - answered >= args.hangup:
                bye = (f"BYE {remote_uri} SIP/2.0\r\n"
                       f"Via: SIP/2.0/UDP 127.0.0.1:{sip_port};branch={branch}bye\r\n"
                       f"From: <sip:+15551230000@127.0.0.1:{sip_port}>;tag={tag}\r\n"
                       f"To: {to_header}\r\nCall-ID: {call_id}\r\nCSeq: 2 BYE\r\n"
                       f"Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n")
                sip.sendto(bye.encode(), (host, port))
                bye_sent = time.time()
                print(f"HANGUP SENT AT {bye_sent:.6f}", flush=True)
            elif bye is not None and time.time() - bye_sent > 0.5:  # UDP: retransmit
                sip.sendto(bye.encode(), (host, port))
                bye_sent = time.time()
            ready, _, _ = select.select([rtp, sip], [], [], 0.05)
            if rtp in ready:
                data, _ = rtp.recvfrom(2048)
                if len(data) >= 12 and data[0] >> 6 == 2:
                    f.write(rtp_line(data, time.time()))
            if sip in ready:
                data, addr = sip.recvfrom(65535)
                text = data.decode("utf-8", "replace")
                if text.startswith("BYE "):
                    headers = [l for l in text.split("\r\n")
                               if re.match(r"(Via|From|To|Call-ID|CSeq):", l, re.I)]
                    ok = ("SIP/2.0 200 OK\r\n" + "\r\n".join(headers) +
                          "\r\nContent-Length: 0\r\n\r\n")
                    sip.sendto(ok.encode(), addr)
                    ended = True
                elif bye is not None and re.match(r"SIP/2.0 [2-6]\d\d", text) and "CSeq: 2 BYE" in text:
                    ended = hung_up = True
    done.set()
    sender.join(timeout=1)
    if sent_log:
        with sent_lock:
            sent_log.close()
    print("HUNG UP" if hung_up else "BYE" if ended else "NO BYE", flush=True)
    print(f"ENDED AT {time.time():.6f}", flush=True)
    return 0 if ended else 1


if __name__ == "__main__":
    sys.exit(main())
