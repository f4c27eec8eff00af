#!/usr/bin/env python3
"""A SIP caller that talks and listens: INVITEs NUMBER at HOST:PORT over UDP (PCMU), and once
answered sends TALK seconds of a 440 Hz tone, then silence, from the same RTP socket it receives
on (so symmetric RTP answers to it), writes the RTP it gets to OUT as rtp_capture.py does, and
ends when the router sends BYE (answered 200) or after LIMIT seconds (exit 1).

Prints "STATUS <code>" with the INVITE's final answer; a refused call (4xx-6xx) is ACKed and
exits 0 at once.  Usage: voice_caller.py HOST:PORT NUMBER OUT [TALK=3] [LIMIT=40]
"""
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


def main():
    host, port = sys.argv[1].rsplit(":", 1)
    port = int(port)
    number, out = sys.argv[2], sys.argv[3]
    talk = float(sys.argv[4]) if len(sys.argv) > 4 else 3.0
    limit = float(sys.argv[5]) if len(sys.argv) > 5 else 40.0

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
    status, to_header, remote = 0, "", None
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

    def send():
        seq, ts, n = random.getrandbits(16), random.getrandbits(32), 0
        ssrc = random.getrandbits(32).to_bytes(4, "big")
        t0 = time.time()
        while not done.is_set() and remote is not None:
            samples = [int(8000 * math.sin(2 * math.pi * 440 * (n * 160 + i) / 8000))
                       if n * 0.02 < talk else 0 for i in range(160)]
            payload = bytes(ulaw(s) for s in samples)
            header = bytes([0x80, 0]) + (seq & 0xFFFF).to_bytes(2, "big") + \
                (ts & 0xFFFFFFFF).to_bytes(4, "big") + ssrc
            rtp.sendto(header + payload, remote)
            seq, ts, n = seq + 1, ts + 160, n + 1
            time.sleep(max(0.0, t0 + n * 0.02 - time.time()))

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    ended = False
    with open(out, "w") as f:
        while time.time() - start < limit and not ended:
            ready, _, _ = select.select([rtp, sip], [], [], 0.2)
            if rtp in ready:
                data, _ = rtp.recvfrom(2048)
                if len(data) >= 12 and data[0] >> 6 == 2:
                    cc = data[0] & 0x0F
                    f.write(json.dumps({"seq": int.from_bytes(data[2:4], "big"),
                                        "ts": int.from_bytes(data[4:8], "big"),
                                        "pt": data[1] & 0x7F, "marker": bool(data[1] & 0x80),
                                        "t": time.time(), "payload": data[12 + 4 * cc:].hex()})
                            + "\n")
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
    done.set()
    print("BYE" if ended else "NO BYE", flush=True)
    return 0 if ended else 1


if __name__ == "__main__":
    sys.exit(main())
