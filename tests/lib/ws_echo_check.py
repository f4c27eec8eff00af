#!/usr/bin/env python3
"""Checks the demo app's Media Streams echo (scripts/demo_app.py /stream and /echo) as the call
router would use it, with a WebSocket client written here on the standard library.

  ws_echo_check.py HOST:PORT [AUTH_TOKEN]

Checks, each printed as "ok - ..." or "FAIL - ...": /echo's TwiML connects a stream to
ws://HOST:PORT/stream (from the Host asked for); the handshake's Sec-WebSocket-Accept; a ping is
answered by a pong with its payload; 1 s of media frames (20 ms, paced, one of them sent in two
fragments) come back in order with the same payloads and streamSid, each 0.5 s after it was sent;
after stop, the server closes (1000); an unmasked client frame is refused with close 1002. With
AUTH_TOKEN, the upgrade is signed as Twilio signs it (the app logs it "valid").
Exit status 1 if any check failed.
"""
import base64
import hashlib
import hmac
import json
import os
import socket
import struct
import sys
import threading
import time
import urllib.request

FAILS = 0


def check(what, ok, detail=""):
    global FAILS
    if ok:
        print(f"ok - {what}")
    else:
        FAILS += 1
        print(f"FAIL - {what} {detail}", file=sys.stderr)


class Client:
    """A WebSocket client: masked frames out, the server's unmasked frames in."""

    def __init__(self, host, port, path, headers=None):
        self.sock = socket.create_connection((host, port), timeout=5)
        self.key = base64.b64encode(os.urandom(16)).decode()
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {self.key}\r\n"
                           f"Sec-WebSocket-Version: 13\r\n{extra}\r\n").encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            data = self.sock.recv(4096)
            if not data:
                raise ConnectionError("closed during the handshake")
            self.buf += data
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        self.response = head.decode()

    def accept_ok(self):
        want = base64.b64encode(hashlib.sha1(
            (self.key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()).decode()
        return self.response.startswith("HTTP/1.1 101") and \
            f"sec-websocket-accept: {want}".lower() in self.response.lower()

    def send(self, opcode, payload=b"", fin=True, masked=True):
        n = len(payload)
        head = bytes([(0x80 if fin else 0) | opcode])
        bit = 0x80 if masked else 0
        if n < 126:
            head += bytes([bit | n])
        elif n < 1 << 16:
            head += bytes([bit | 126]) + struct.pack(">H", n)
        else:
            head += bytes([bit | 127]) + struct.pack(">Q", n)
        if masked:
            mask = os.urandom(4)
            payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            head += mask
        self.sock.sendall(head + payload)

    def send_json(self, obj):
        self.send(0x1, json.dumps(obj).encode())

    def _take(self, n):
        while len(self.buf) < n:
            data = self.sock.recv(65536)
            if not data:
                raise ConnectionError("closed")
            self.buf += data
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def recv(self):
        """(opcode, payload) of the next frame (the server's frames are never masked)."""
        b0, b1 = self._take(2)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack(">H", self._take(2))[0]
        elif n == 127:
            n = struct.unpack(">Q", self._take(8))[0]
        if b1 & 0x80:
            raise ValueError("the server masked a frame")
        return b0 & 0x0F, self._take(n)


def twilio_signature(token, url):
    return base64.b64encode(hmac.new(token.encode(), url.encode(), hashlib.sha1).digest()).decode()


def main():
    host, port = sys.argv[1].rsplit(":", 1)
    port = int(port)
    token = sys.argv[2] if len(sys.argv) > 2 else ""

    twiml = urllib.request.urlopen(f"http://{host}:{port}/echo").read().decode()
    check("/echo connects the call to this app's /stream",
          f'<Connect><Stream url="ws://{host}:{port}/stream"/></Connect>' in twiml, twiml)

    url = f"ws://{host}:{port}/stream"
    headers = {"X-Twilio-Signature": twilio_signature(token, url)} if token else {}
    c = Client(host, port, "/stream", headers)
    check("the handshake answers 101 with the right Sec-WebSocket-Accept", c.accept_ok(), c.response)
    c.send(0x9, b"are you there")
    op, payload = c.recv()
    check("a ping is answered by a pong with its payload", (op, payload) == (0xA, b"are you there"),
          f"{op} {payload!r}")

    sid = "MZ" + os.urandom(16).hex()
    c.send_json({"event": "connected", "protocol": "Call", "version": "1.0.0"})
    c.send_json({"event": "start", "sequenceNumber": "1", "streamSid": sid,
                 "start": {"streamSid": sid, "callSid": "CA" + "0" * 32, "tracks": ["inbound"],
                           "customParameters": {}, "mediaFormat": {
                               "encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1}}})
    sent = []  # (time, payload)
    got = []  # (time, message), read while sending: arrival times are what they were

    def read_echoes():
        c.sock.settimeout(3)
        try:
            while len(got) < 50:
                op, payload = c.recv()
                if op == 0x1:
                    got.append((time.time(), json.loads(payload)))
        except (socket.timeout, ConnectionError, ValueError):
            pass

    reader = threading.Thread(target=read_echoes)
    reader.start()
    t0 = time.time()
    for n in range(50):
        payload = base64.b64encode(bytes((n * 7 + i) % 256 for i in range(160))).decode()
        text = json.dumps({"event": "media", "sequenceNumber": str(n + 2), "streamSid": sid,
                           "media": {"track": "inbound", "chunk": str(n + 1),
                                     "timestamp": str(20 * n), "payload": payload}}).encode()
        if n == 10:  # one message in two fragments (text, then continuation)
            c.send(0x1, text[:40], fin=False)
            c.send(0x0, text[40:])
        else:
            c.send(0x1, text)
        sent.append((time.time(), payload))
        time.sleep(max(0.0, t0 + (n + 1) * 0.02 - time.time()))
    reader.join()
    check(f"every media frame came back ({len(got)} of {len(sent)})", len(got) == len(sent))
    check("the echoes are the payloads sent, in order, on the stream's streamSid",
          [m["media"]["payload"] for _, m in got] == [p for _, p in sent[:len(got)]]
          and all(m.get("event") == "media" and m.get("streamSid") == sid for _, m in got))
    delays = [g[0] - s[0] for g, s in zip(got, sent)]
    check(f"each came back 0.5 s after it was sent ({min(delays or [0]):.3f}-"
          f"{max(delays or [0]):.3f} s)", delays and all(0.48 <= d <= 0.6 for d in delays))

    c.send_json({"event": "stop", "sequenceNumber": "52", "streamSid": sid,
                 "stop": {"accountSid": "AC" + "0" * 32, "callSid": "CA" + "0" * 32}})
    try:
        op, payload = c.recv()
    except (socket.timeout, ConnectionError):
        op, payload = None, b""
    check("after stop the server closes with 1000", op == 0x8 and payload[:2] == b"\x03\xe8",
          f"{op} {payload!r}")
    c.send(0x8, b"\x03\xe8")
    c.sock.close()

    bad = Client(host, port, "/stream")
    bad.send(0x1, b'{"event":"connected"}', masked=False)
    bad.sock.settimeout(3)
    try:
        op, payload = bad.recv()
    except (socket.timeout, ConnectionError):
        op, payload = None, b""
    check("an unmasked client frame is refused with close 1002",
          op == 0x8 and payload[:2] == struct.pack(">H", 1002), f"{op} {payload!r}")
    bad.sock.close()
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
