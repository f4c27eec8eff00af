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
import json
import os
import sys
import threading
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
    default = {"http": 80, "https": 443}.get(parts.scheme)
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
        elif split.path == STATUS_CALLBACK:
            status, out = 200, b""
        else:
            status, out = 404, b""
        LOG.write("info", "request", method=self.command, path=split.path, params=params,
                  url=url, signature=sig, status=status)
        self.reply(status, out, "text/xml; charset=utf-8" if out else "text/plain")

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
