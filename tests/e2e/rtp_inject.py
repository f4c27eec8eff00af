#!/usr/bin/env python3
"""Sends RTP to a call's port from a socket of our own, as a stranger on the path would.

Usage: rtp_inject.py SOURCE_IP PORT AUDIO_PACKETS DIGIT_PACKETS [DIGIT=5]
From a fresh UDP socket on SOURCE_IP (any free port) to 127.0.0.1:PORT: AUDIO_PACKETS PCMA
packets (payload type 8) of full-scale noise, then DIGIT_PACKETS RFC 4733 events (payload type
101) of DIGIT, the last one its end. 5 ms apart. Prints how many it sent.
"""
import random
import socket
import struct
import sys
import time


def main():
    source, port = sys.argv[1], int(sys.argv[2])
    audio, digits = int(sys.argv[3]), int(sys.argv[4])
    digit = sys.argv[5] if len(sys.argv) > 5 else "5"
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((source, 0))
    ssrc, seq, ts, sent = random.getrandbits(32), random.getrandbits(16), random.getrandbits(32), 0

    def send(pt, payload, marker=False):
        nonlocal seq, sent
        header = struct.pack("!BBHII", 0x80, (0x80 if marker else 0) | pt, seq & 0xFFFF, ts, ssrc)
        sock.sendto(header + payload, ("127.0.0.1", port))
        seq, sent = seq + 1, sent + 1
        time.sleep(0.005)

    for i in range(audio):
        # A-law 0xAA / 0x2A decode to +/-32256: a full-scale square wave, unlike any speech.
        send(8, bytes([0xAA, 0x2A]) * 80, marker=i == 0)
        ts = (ts + 160) & 0xFFFFFFFF
    event = "0123456789*#".index(digit)
    for i in range(digits):
        end = i == digits - 1
        send(101, struct.pack("!BBH", event, (0x80 if end else 0) | 10, 160 * (i + 1)), marker=i == 0)
    print(sent)


if __name__ == "__main__":
    main()
