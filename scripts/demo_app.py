#!/usr/bin/env python3
"""The demo customer application that `scripts/dev up` starts beside the stack (stdlib only).

It is what a Dialtone user writes: an HTTP server that answers the call router's voice requests
with TwiML. Routes:

  /voice   <Response><Pause length="1"/><Hangup/></Response>: wait a second, then hang up.
           (<Pause> first means the call is answered after the pause, as on Twilio.)
  /busy    <Response><Reject reason="busy"/></Response>: the caller hears 486 Busy Here.
  /status  status callbacks (CallStatus=completed, ...): 200 with an empty body.

  /hello   <Say>, then a <Gather> of one key whose action (/pressed) says the key back: point
           a number at it (IncomingPhoneNumbers VoiceUrl) to hear the audio path.

  /echo    <Say>, then <Connect><Stream url="ws://HOST/stream"/></Connect> (HOST: the request's
           Host header): the call's audio goes to this app's WebSocket, which sends it back.
  /stream  a Media Streams WebSocket (Twilio's protocol: JSON text frames connected, start,
           media, mark, stop): each inbound media payload goes back to the call half a second
           after it arrived, so a caller hears themselves with a 0.5 s delay. RFC 6455 by hand
           (standard library only): the handshake, masked client frames, fragmented text, ping
           answered by pong, and the close handshake. The upgrade's X-Twilio-Signature is checked
           like the HTTP requests' (the stream URL, no parameters).

Each request is logged to stderr as one JSON object per line, like the services' logs
(scripts/dev sends it to .dev/logs/demo-app.log): method, path, parameters, and whether its
X-Twilio-Signature is valid for the demo account's auth token (--auth-token or
DIALTONE_AUTH_TOKEN). Twilio's algorithm: base64(HMAC-SHA1(token, URL + each POST parameter's
name and value, sorted by name)), where URL is the full URL requested, query string included.

  scripts/demo_app.py [--host 127.0.0.1] [--port 8082] [--any-port-if-busy] [--port-file F]
"""
import argparse
import base64
import datetime
import errno
import hashlib
import hmac
import heapq
import json
import os
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit
from xml.sax.saxutils import escape

ROUTES = {
    "/hello": b'<?xml version="1.0" encoding="UTF-8"?>\n'
              b'<Response><Say>Hello from Dialtone.</Say>'
              b'<Gather numDigits="1" timeout="5" action="/pressed"><Say>Press any key.</Say></Gather>'
              b'<Say>Goodbye.</Say><Hangup/></Response>',
    "/voice": b'<?xml version="1.0" encoding="UTF-8"?>\n'
              b'<Response><Pause length="1"/><Hangup/></Response>\n',
    "/busy": b'<?xml version="1.0" encoding="UTF-8"?>\n'
             b'<Response><Reject reason="busy"/></Response>\n',
}
STATUS_CALLBACK = "/status"


def twilio_signature(token, url, params):
    """base64(HMAC-SHA1(token, url + name1 + value1 + name2 + value2 ...)), names sorted."""
    data = url + "".join(k + v for k, v in sorted(params))
    mac = hmac.new(token.encode(), data.encode(), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode()


def url_variants(url):
    """The URL as requested, then without its port or with the scheme's default port: Twilio's
    helper libraries accept either, since a proxy may add or drop the port."""
    parts = urlsplit(url)
    default = {"http": 80, "https": 443, "ws": 80, "wss": 443}.get(parts.scheme)
    host = parts.hostname or ""
    if parts.port is not None:
        other = host
    elif default is not None:
        other = f"{host}:{default}"
    else:
        return [url]
    return [url, parts._replace(netloc=other).geturl()]


def signature_state(token, url, params, header):
    if header is None:
        return "missing"
    if not token:
        return "unchecked"  # no token to check against
    ok = any(hmac.compare_digest(twilio_signature(token, u, params), header)
             for u in url_variants(url))
    return "valid" if ok else "invalid"

WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455, section 1.3
ECHO_DELAY = 0.5  # seconds between a media frame's arrival and its echo


def ws_accept(key):
    """Sec-WebSocket-Accept for a handshake's Sec-WebSocket-Key."""
    return base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()


class WebSocket:
    """The server side of one RFC 6455 connection over a handler's rfile/wfile: reads the
    client's (masked) frames, writes unmasked ones. One reader thread; writers share a lock."""

    def __init__(self, rfile, wfile):
        self.rfile, self.wfile = rfile, wfile
        self.lock = threading.Lock()
        self.closed = False

    def _read(self, n):
        data = self.rfile.read(n)
        if len(data) < n:
            raise ConnectionError("connection closed mid-frame")
        return data

    def read_frame(self):
        """(fin, opcode, payload) of the next frame; ConnectionError on an unmasked frame."""
        b0, b1 = self._read(2)
        fin, opcode, masked, length = b0 & 0x80, b0 & 0x0F, b1 & 0x80, b1 & 0x7F
        if length == 126:
            length = struct.unpack(">H", self._read(2))[0]
        elif length == 127:
            length = struct.unpack(">Q", self._read(8))[0]
        if not masked:  # section 5.1: a server closes on an unmasked client frame
            self.close(1002, "unmasked frame")
            raise ConnectionError("unmasked client frame")
        if length > 1 << 20:
            self.close(1009, "frame too big")
            raise ConnectionError("frame too big")
        mask = self._read(4)
        payload = bytearray(self._read(length))
        for i in range(length):
            payload[i] ^= mask[i % 4]
        return bool(fin), opcode, bytes(payload)

    def read_message(self):
        """(opcode, payload) of the next text or binary message, answering pings on the way;
        (8, payload) for a close (answered), None when the connection ended."""
        parts, first = [], None
        while True:
            try:
                fin, opcode, payload = self.read_frame()
            except (ConnectionError, OSError, ValueError):
                return None
            if opcode == 0x9:  # ping -> pong with the same payload
                self.send(0xA, payload)
            elif opcode == 0xA:  # an unsolicited pong
                continue
            elif opcode == 0x8:
                code = struct.unpack(">H", payload[:2])[0] if len(payload) >= 2 else 1000
                self.close(code if code not in (1005, 1006) else 1000)
                return 8, payload
            elif opcode in (0x1, 0x2) or (opcode == 0x0 and first is not None):
                if opcode != 0x0:
                    first = opcode
                parts.append(payload)
                if fin:
                    return first, b"".join(parts)
            else:
                self.close(1002, "unexpected opcode")
                return None

    def send(self, opcode, payload=b""):
        header = bytes([0x80 | opcode])
        n = len(payload)
        if n < 126:
            header += bytes([n])
        elif n < 1 << 16:
            header += bytes([126]) + struct.pack(">H", n)
        else:
            header += bytes([127]) + struct.pack(">Q", n)
        with self.lock:
            if self.closed:
                return False
            try:
                self.wfile.write(header + payload)
                self.wfile.flush()
            except OSError:
                self.closed = True
                return False
        return True

    def send_text(self, text):
        return self.send(0x1, text.encode())

    def close(self, code=1000, reason=""):
        if self.send(0x8, struct.pack(">H", code) + reason.encode()[:120]):
            with self.lock:
                self.closed = True


class EchoStream:
    """A Media Streams session: queues each inbound media payload and sends it back ECHO_DELAY
    later from its own thread (the reader never waits on the writer)."""

    def __init__(self, ws):
        self.ws = ws
        self.stream_sid = ""
        self.queue = []  # heap of (due, order, text)
        self.order = 0
        self.cv = threading.Condition()
        self.done = False
        self.echoed = 0

    def put(self, payload):
        message = json.dumps({"event": "media", "streamSid": self.stream_sid,
                              "media": {"payload": payload}}, separators=(",", ":"))
        with self.cv:
            self.order += 1
            heapq.heappush(self.queue, (time.monotonic() + ECHO_DELAY, self.order, message))
            self.cv.notify()

    def run_sender(self):
        while True:
            with self.cv:
                while not self.done and (not self.queue or self.queue[0][0] > time.monotonic()):
                    self.cv.wait(self.queue[0][0] - time.monotonic() if self.queue else None)
                if self.done:
                    return
                _, _, message = heapq.heappop(self.queue)
            if not self.ws.send_text(message):
                return
            self.echoed += 1

    def stop(self):
        with self.cv:
            self.done = True
            self.cv.notify()


class Log:
    """One JSON object per line on stderr; threads share it."""

    def __init__(self):
        self._lock = threading.Lock()

    def write(self, level, msg, **fields):
        now = datetime.datetime.now(datetime.timezone.utc)
        line = {"ts": now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z",
                "level": level, "service": "demo-app", "msg": msg, **fields}
        text = json.dumps(line, separators=(",", ":"))
        with self._lock:
            sys.stderr.write(text + "\n")
            sys.stderr.flush()


LOG = Log()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "DialtoneDemoApp/1"
    auth_token = ""  # set in main()

    def log_message(self, *args):  # the JSON line below replaces http.server's log
        pass

    def reply(self, status, body=b"", ctype="text/xml; charset=utf-8"):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def handle_any(self):
        if (urlsplit(self.path).path == "/stream" and self.command == "GET"
                and self.headers.get("Upgrade", "").lower() == "websocket"):
            return self.stream()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        split = urlsplit(self.path)
        form = self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded")
        post_params = parse_qsl(body, keep_blank_values=True) if self.command == "POST" and form else []
        # The signed URL is the one the router requested: scheme, Host header, path and query.
        url = "http://" + self.headers.get("Host", "%s:%d" % self.server.server_address[:2]) + self.path
        sig = signature_state(self.auth_token, url, post_params, self.headers.get("X-Twilio-Signature"))
        params = dict(parse_qsl(split.query, keep_blank_values=True))
        params.update(post_params)
        if split.path in ROUTES:
            status, out = 200, ROUTES[split.path]
        elif split.path == "/pressed":  # the Gather's action: say the key back
            digits = "".join(ch for ch in params.get("Digits", "") if ch in "0123456789*#")
            said = escape(" ".join(digits)) or "nothing"
            status, out = 200, ('<?xml version="1.0" encoding="UTF-8"?>\n<Response><Say>You pressed '
                                f"{said}.</Say><Hangup/></Response>\n").encode()
        elif split.path == "/echo":  # the stream URL from the Host the router asked for
            host = self.headers.get("Host", "%s:%d" % self.server.server_address[:2])
            status, out = 200, ('<?xml version="1.0" encoding="UTF-8"?>\n<Response><Say>This is the '
                                "Dialtone echo. Speak, and hear yourself half a second later.</Say>"
                                f'<Connect><Stream url="ws://{escape(host, {chr(34): "&quot;"})}/stream"/>'
                                "</Connect></Response>\n").encode()
        elif split.path == STATUS_CALLBACK:
            status, out = 200, b""
        else:
            status, out = 404, b""
        LOG.write("info", "request", method=self.command, path=split.path, params=params,
                  url=url, signature=sig, status=status)
        self.reply(status, out, "text/xml; charset=utf-8" if out else "text/plain")

    def stream(self):
        """/stream: the WebSocket handshake, then the echo until the router closes or stops."""
        key = self.headers.get("Sec-WebSocket-Key", "")
        url = "ws://" + self.headers.get("Host", "%s:%d" % self.server.server_address[:2]) + self.path
        sig = signature_state(self.auth_token, url, [], self.headers.get("X-Twilio-Signature"))
        try:
            key_ok = len(base64.b64decode(key, validate=True)) == 16
        except ValueError:
            key_ok = False
        if self.headers.get("Sec-WebSocket-Version") != "13" or not key_ok:
            LOG.write("warn", "bad websocket handshake", path="/stream", url=url)
            self.close_connection = True
            self.send_response(400)
            self.send_header("Sec-WebSocket-Version", "13")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(101, "Switching Protocols")
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", ws_accept(key))
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        LOG.write("info", "stream connected", path="/stream", url=url, signature=sig)
        ws = WebSocket(self.rfile, self.wfile)
        echo = EchoStream(ws)
        sender = threading.Thread(target=echo.run_sender, daemon=True)
        sender.start()
        frames = 0
        try:
            while True:
                message = ws.read_message()
                if message is None or message[0] == 8:
                    break
                if message[0] != 0x1:
                    continue  # Media Streams speaks text frames only
                try:
                    event = json.loads(message[1])
                except ValueError:
                    continue
                kind = event.get("event") if isinstance(event, dict) else None
                if kind == "start":
                    echo.stream_sid = event.get("streamSid", "")
                    start = event.get("start") or {}
                    LOG.write("info", "stream started", stream_sid=echo.stream_sid,
                              call_sid=start.get("callSid"), tracks=start.get("tracks"),
                              custom_parameters=start.get("customParameters"))
                elif kind == "media":
                    media = event.get("media") or {}
                    if media.get("track", "inbound") == "inbound" and media.get("payload"):
                        frames += 1
                        echo.put(media["payload"])
                elif kind == "stop":  # the router closes next; close too, then wait for its close
                    ws.close(1000, "stopped")
                    self.connection.settimeout(5)
        finally:
            echo.stop()
            sender.join(timeout=2)
            LOG.write("info", "stream ended", stream_sid=echo.stream_sid, received=frames,
                      echoed=echo.echoed)

    do_GET = do_POST = do_HEAD = handle_any


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8082)
    ap.add_argument("--any-port-if-busy", action="store_true",
                    help="when --port is taken, listen on a free port instead")
    ap.add_argument("--port-file", help="write the port here once listening")
    ap.add_argument("--auth-token", default=os.environ.get("DIALTONE_AUTH_TOKEN", ""),
                    help="the account's auth token, to check X-Twilio-Signature")
    args = ap.parse_args()
    Handler.auth_token = args.auth_token
    try:
        server = ThreadingHTTPServer((args.host, args.port), Handler)
    except OSError as e:
        if e.errno != errno.EADDRINUSE or not args.any_port_if_busy:
            raise
        server = ThreadingHTTPServer((args.host, 0), Handler)
        LOG.write("warn", "port taken; listening on another", wanted=args.port,
                  port=server.server_address[1])
    server.daemon_threads = True
    port = server.server_address[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(f"{port}\n")
        os.replace(tmp, args.port_file)
    LOG.write("info", "listening", addr=f"{args.host}:{port}",
              signature_check="on" if args.auth_token else "off (no auth token)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    import signal
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    main()
