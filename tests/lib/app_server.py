#!/usr/bin/env python3
"""A customer application for tests: serves canned TwiML and misbehaviours, records requests.

Prints "PORT <n>" on its first line once listening on 127.0.0.1 (port 0 = any free port).
GET /_requests returns every request seen as JSON (with "t", its arrival in Unix seconds);
GET /_count returns how many; POST /_reset forgets them. With a MEDIA_DIR, /doc/<name> serves the
TwiML document MEDIA_DIR/<name>.xml.

Media origin (for the media layer): `app_server.py PORT MEDIA_DIR` serves the files of MEDIA_DIR
at /media/<name> with an ETag (hash of the content) and Last-Modified (mtime), answers 304 to a
matching If-None-Match or If-Modified-Since, and takes these query parameters:
cc (Cache-Control value), expires (Expires value), ctype (Content-Type, default from the name),
delay (seconds to wait first), status (forced status code), redirect (1: a 302 to the plain
/media/<name>; loop: a 302 to itself).
"""
import email.utils
import hashlib
import json
import os
import sys
import threading
import urllib.parse
import xml.sax.saxutils
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TWIML = b'<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hello from the app</Say></Response>'
HANGUP = b"<Response><Hangup/></Response>"
# Call control without audio (call router part 1), by path.
CALL_CONTROL = {
    "/reject-busy": b'<Response><Reject reason="busy"/></Response>',
    "/reject": b"<Response><Reject/></Response>",
    "/hangup": HANGUP,
    "/pause-hangup": b'<Response><Pause length="2"/><Hangup/></Response>',
    "/redirect-hangup": b"<Response><Redirect>/hangup</Redirect></Response>",
    "/say": TWIML,
    "/pause-1": b'<Response><Pause length="1"/><Hangup/></Response>',
    "/pause-long": b'<Response><Pause length="30"/><Hangup/></Response>',
}

requests = []
lock = threading.Lock()
media_dir = None

MEDIA_TYPES = {".wav": "audio/wav", ".mp3": "audio/mpeg", ".ogg": "audio/ogg",
               ".flac": "audio/flac", ".ulaw": "audio/basic", ".txt": "text/plain"}


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
        if path == "/_count":
            with lock:
                return self.reply(200, str(len(requests)).encode(), "text/plain")
        if path == "/_reset":
            with lock:
                requests.clear()
            return self.reply(204)
        with lock:
            requests.append({"method": self.command, "path": self.path,
                             "headers": {k.lower(): v for k, v in self.headers.items()},
                             "body": body, "t": time.time()})
        if path in CALL_CONTROL:
            return self.reply(200, CALL_CONTROL[path])
        if path.startswith("/doc/") and media_dir:  # a TwiML document the test wrote
            name = os.path.basename(path[len("/doc/"):])
            try:
                with open(os.path.join(media_dir, name + ".xml"), "rb") as f:
                    return self.reply(200, f.read())
            except OSError:
                return self.reply(404, b"no such document", "text/plain")
        if path == "/twiml":
            return self.reply(200, TWIML, "text/xml; charset=utf-8")
        if path == "/fallback":
            return self.reply(200, HANGUP)
        if path == "/redirect":
            return self.reply(302, b"", extra={"Location": "/twiml"})
        if path == "/redirect-to":  # ?url=ABSOLUTE: a 302 there (another host or port)
            target = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).get("url", [""])[0]
            return self.reply(302, b"", extra={"Location": target})
        if path == "/play-recording":  # voicemail: play back the RecordingUrl posted here
            form = dict(urllib.parse.parse_qsl(body))
            url = xml.sax.saxutils.escape(form.get("RecordingUrl", ""))
            return self.reply(200, f"<Response><Play>{url}</Play><Hangup/></Response>".encode())
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
        if path.startswith("/media/") and media_dir:
            return self.serve_media(path[len("/media/"):])
        return self.reply(404, b"not found", "text/plain")

    def serve_media(self, name):
        from urllib.parse import parse_qs, urlsplit
        query = {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query).items()}
        if "delay" in query:
            time.sleep(float(query["delay"]))
        file = os.path.join(media_dir, os.path.basename(name))
        if "status" in query:
            return self.reply(int(query["status"]), b"forced", "text/plain")
        if "redirect" in query:
            target = self.path if query["redirect"] == "loop" else "/media/" + name
            return self.reply(302, b"", "text/plain", {"Location": target})
        if not os.path.isfile(file):
            return self.reply(404, b"not found", "text/plain")
        with open(file, "rb") as f:
            body = f.read()
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        mtime = int(os.path.getmtime(file))
        extra = {"ETag": etag, "Last-Modified": email.utils.formatdate(mtime, usegmt=True)}
        if "cc" in query:
            extra["Cache-Control"] = query["cc"]
        if "expires" in query:
            extra["Expires"] = query["expires"]
        ctype = query.get("ctype") or MEDIA_TYPES.get(os.path.splitext(file)[1],
                                                      "application/octet-stream")
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        if inm is not None:
            if etag in [t.strip() for t in inm.split(",")]:
                return self.reply(304, b"", ctype, extra)
        elif ims is not None:
            since = email.utils.parsedate_to_datetime(ims).timestamp()
            if mtime <= since:
                return self.reply(304, b"", ctype, extra)
        return self.reply(200, body, ctype, extra)

    do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = handle_any


def main():
    global media_dir
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    media_dir = sys.argv[2] if len(sys.argv) > 2 else None
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
