#!/usr/bin/env python3
"""Sends each RFC 4475 message (one UDP datagram per file) to HOST:PORT and prints, per file,
the status lines of the answers that came back within a short wait. The RFC's messages name
other hosts in their Via, so most answers go elsewhere; the "probe-*" requests that follow
carry this socket's address in their Via, so their answers are seen here."""
import os
import socket
import sys


def main():
    host, port, folder = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.3)
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".dat"):
            continue
        with open(os.path.join(folder, name), "rb") as f:
            sock.sendto(f.read(), (host, port))
        answers = []
        while True:
            try:
                data, _ = sock.recvfrom(65535)
            except socket.timeout:
                break
            answers.append(data.split(b"\r\n", 1)[0].decode("latin-1"))
        print(f"{name}: {' | '.join(answers) or '(no answer)'}", flush=True)
    me = "%s:%d" % sock.getsockname()
    for name, first, extra in PROBES:
        msg = (f"{first}\r\nVia: SIP/2.0/UDP {me};branch=z9hG4bK-{name}\r\n"
               f"From: <sip:probe@{me}>;tag=p{name}\r\nTo: <sip:+15009999999@{host}>\r\n"
               f"Call-ID: {name}@probe\r\n{extra}\r\n").encode()
        sock.sendto(msg, (host, port))
        answers = []
        while True:
            try:
                data, _ = sock.recvfrom(65535)
            except socket.timeout:
                break
            answers.append(data.split(b"\r\n", 1)[0].decode("latin-1"))
        print(f"probe-{name}: {' | '.join(answers) or '(no answer)'}", flush=True)


# Invalid requests answered to us (RFC 4475 3.1.2 / 3.3 in miniature): name, request line, rest.
PROBES = [
    ("cseq-mismatch", "INVITE sip:+15009999999@127.0.0.1 SIP/2.0",
     "CSeq: 1 BYE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n"),
    ("bad-content-length", "OPTIONS sip:127.0.0.1 SIP/2.0",
     "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 5000\r\n\r\nshort"),
    ("bad-cseq", "OPTIONS sip:127.0.0.1 SIP/2.0",
     "CSeq: abc OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n"),
    ("unknown-method", "FROBNICATE sip:127.0.0.1 SIP/2.0",
     "CSeq: 1 FROBNICATE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n"),
]


if __name__ == "__main__":
    main()
