#!/usr/bin/env python3
"""A customer application for tests: serves canned TwiML and misbehaviours, records requests.

Prints "PORT <n>" on its first line once listening on 127.0.0.1 (port 0 = any free port).
GET /_requests returns every request seen as JSON; POST /_reset forgets them.
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TWIML = b'<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hello from the app</Say></Response>'
HANGUP = b"<Response><Hangup/></Response>"

requests = []
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def reply(self, status, body=b"", ctype="text/xml", extra=None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        path = self.path.split("?")[0]
        if path == "/_requests":
            with lock:
                return self.reply(200, json.dumps(requests).encode(), "application/json")
        if path == "/_reset":
            with lock:
                requests.clear()
            return self.reply(204)
        with lock:
            requests.append({"method": self.command, "path": self.path,
                             "headers": {k.lower(): v for k, v in self.headers.items()},
                             "body": body})
        if path == "/twiml":
            return self.reply(200, TWIML, "text/xml; charset=utf-8")
        if path == "/fallback":
            return self.reply(200, HANGUP)
        if path == "/redirect":
            return self.reply(302, b"", extra={"Location": "/twiml"})
        if path == "/redirect-loop":
            return self.reply(302, b"", extra={"Location": "/redirect-loop"})
        if path == "/error":
            return self.reply(500, b"oops", "text/plain")
        if path == "/slow":
            time.sleep(float(self.headers.get("X-Delay", "3")))
            return self.reply(200, TWIML)
        if path == "/json":
            return self.reply(200, b'{"not": "twiml"}', "application/json")
        if path == "/big":
            filler = b"<Pause length=\"1\"/>" * 4000  # ~76 kB
            return self.reply(200, b"<Response>" + filler + b"</Response>")
        if path == "/bad-xml":
            return self.reply(200, b"<Response><Say>unclosed", "text/xml")
        if path == "/callback":
            return self.reply(204)
        return self.reply(404, b"not found", "text/plain")

    do_GET = do_POST = do_HEAD = handle_any


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
