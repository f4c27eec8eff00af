#!/usr/bin/env python3
"""Receives the RTP a call sends to PORT (127.0.0.1) and writes it to OUT as JSON lines
{"seq", "ts", "pt", "marker", "t", "payload" (hex)}, one per packet, in arrival order.

Prints "READY" once bound. Stops after IDLE seconds without a packet (once some came), or after
LIMIT seconds in all.  Usage: rtp_capture.py PORT OUT [IDLE=2] [LIMIT=60]
"""
import json
import socket
import sys
import time


def main():
    port, out = int(sys.argv[1]), sys.argv[2]
    idle = float(sys.argv[3]) if len(sys.argv) > 3 else 2.0
    limit = float(sys.argv[4]) if len(sys.argv) > 4 else 60.0
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", port))
    sock.settimeout(0.2)
    print("READY", flush=True)
    start = time.time()
    last = None
    with open(out, "w") as f:
        while time.time() - start < limit:
            try:
                data, _ = sock.recvfrom(2048)
            except socket.timeout:
                if last is not None and time.time() - last > idle:
                    break
                continue
            last = time.time()
            if len(data) < 12 or data[0] >> 6 != 2:
                continue
            cc = data[0] & 0x0F
            f.write(json.dumps({"seq": int.from_bytes(data[2:4], "big"),
                                "ts": int.from_bytes(data[4:8], "big"),
                                "pt": data[1] & 0x7F, "marker": bool(data[1] & 0x80),
                                "t": last, "payload": data[12 + 4 * cc:].hex()}) + "\n")


if __name__ == "__main__":
    main()
