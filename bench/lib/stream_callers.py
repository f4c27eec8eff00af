#!/usr/bin/env python3
"""N concurrent SIP callers (UDP, PCMU) that measure how long each 20 ms frame they send takes to
come back: the round trip through whatever echoes the call's audio (a Media Streams app, a Dial to
an RTP echo...). Generalises tests/e2e/voice_caller.py to many calls in three processes, so that
neither the signalling nor the receiving side delays the sending:

  parent    SIP on one UDP socket (INVITE at RATE calls/s, ACK, BYE; answers the router's BYE),
            the measured window, CPU from /proc, the report;
  sender    every call's RTP, 50 packets a second each, calls spread evenly over the 20 ms;
  receiver  every call's RTP socket in one epoll, arrival times from the kernel (SO_TIMESTAMPNS).

Each frame's payload names it: "DT", the call, its frame number and the send time (CLOCK_REALTIME
ns, taken just before sendto) in ASCII hex, padded with "U". ASCII bytes are mu-law codes that
decode and encode back to themselves (only 0x7F and 0xFF share a value), so a router that
transcodes (mu-law -> PCM -> mu-law) hands back the same bytes. Delay per frame = the kernel's
arrival time of the echoed frame - its send time; frames that come back altered count as mangled,
the router's silence is ignored.

Once every call is answered, calls are held HOLD seconds; the window measured is the middle half
of the hold (frames sent in it; CPU of --watch processes over it). Prints one JSON object.

  stream_callers.py HOST:PORT NUMBER --calls 200 --hold 20 [--rate 50] [--watch name=PID ...]
                    [--threads PID] [--hangup-wait 10]
"""
import argparse
import array
import heapq
import json
import math
import os
import random
import re
import select
import socket
import struct
import sys
import time

FRAME_S = 0.020
PAYLOAD = 160
MAGIC = b"DT"
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)
SCM_TIMESTAMPNS = SO_TIMESTAMPNS
CLK_TCK = os.sysconf("SC_CLK_TCK")


def frame_payload(call, seq, now_ns):
    head = MAGIC + b"%04x%08x%016x" % (call, seq, now_ns)
    return head + b"U" * (PAYLOAD - len(head))


def parse_payload(payload):
    """(call, seq, sent_ns) of one of our frames; None for silence; 'mangled' for anything else."""
    if payload[:2] != MAGIC:
        return None if payload.count(payload[:1]) == len(payload) else "mangled"
    try:
        return int(payload[2:6], 16), int(payload[6:14], 16), int(payload[14:30], 16)
    except ValueError:
        return "mangled"


# --- sender -----------------------------------------------------------------------------------

def run_sender(rtp_socks, control_fd, result_path, ncalls):
    """Sends each started call's frames on its own phase of the 20 ms period until STOP; writes
    every frame's send time (ns) per call to result_path as JSON."""
    os.set_blocking(control_fd, False)
    if os.geteuid() == 0:  # a late send makes a burst the echo then queues: send ahead of others
        os.nice(-10)
    sent = [array.array("q") for _ in range(ncalls)]
    remotes = [None] * ncalls
    rtp_state = [(random.getrandbits(16), random.getrandbits(32), random.getrandbits(32))
                 for _ in range(ncalls)]
    heap = []  # (due monotonic, call)
    epoch = time.monotonic()
    buffer = ""
    lateness = {"over_2ms": 0, "over_5ms": 0, "skipped": 0, "max_ms": 0.0, "over_10ms_at": []}
    stopping = False
    while not stopping:
        # Control: "START k host port" when a call is answered, "STOP" at the end (or EOF).
        try:
            chunk = os.read(control_fd, 65536)
            if not chunk:
                stopping = True
        except BlockingIOError:
            chunk = b""
        if chunk:
            buffer += chunk.decode()
            *lines, buffer = buffer.split("\n")
            for line in lines:
                parts = line.split()
                if parts and parts[0] == "STOP":
                    stopping = True
                elif parts and parts[0] == "START":
                    k = int(parts[1])
                    remotes[k] = (parts[2], int(parts[3]))
                    # This call's phase: k/N of the period, the next such instant from now.
                    phase = FRAME_S * k / ncalls
                    now = time.monotonic()
                    periods = int((now - epoch - phase) / FRAME_S) + 1
                    heapq.heappush(heap, (epoch + phase + periods * FRAME_S, k))
        if stopping:
            break
        now = time.monotonic()
        while heap and heap[0][0] <= now:
            due, k = heapq.heappop(heap)
            if now - due > 0.002:
                lateness["over_2ms"] += 1
            if now - due > 0.005:
                lateness["over_5ms"] += 1
            if now - due > 0.010 and len(lateness["over_10ms_at"]) < 200:
                lateness["over_10ms_at"].append((time.time_ns(), round((now - due) * 1000, 1)))
            lateness["max_ms"] = max(lateness["max_ms"], round((now - due) * 1000, 1))
            seq, ts, ssrc = rtp_state[k]
            n = len(sent[k])
            header = struct.pack("!BBHII", 0x80, 0, (seq + n) & 0xFFFF, (ts + 160 * n) & 0xFFFFFFFF,
                                 ssrc)
            t = time.time_ns()
            try:
                rtp_socks[k].sendto(header + frame_payload(k, n, t), remotes[k])
            except OSError:
                pass
            sent[k].append(t)
            # A late sender does not catch up in a burst: the next frame keeps the phase.
            nxt = due + FRAME_S
            now = time.monotonic()
            while nxt <= now - FRAME_S:
                nxt += FRAME_S
                lateness["skipped"] += 1
            heapq.heappush(heap, (nxt, k))
        wait = (heap[0][0] - time.monotonic()) if heap else 0.005
        select.select([control_fd], [], [], max(0.0, min(wait, 0.005)))
    with open(result_path, "w") as f:
        json.dump({"sent": [list(s) for s in sent], "lateness": lateness}, f)


# --- receiver ---------------------------------------------------------------------------------

def run_receiver(rtp_socks, stop_fd, result_path):
    """Records (call, seq, sent_ns, arrival_ns) of every echoed frame until stop_fd is readable."""
    ep = select.epoll()
    by_fd = {}
    for s in rtp_socks:
        s.setblocking(False)
        ep.register(s.fileno(), select.EPOLLIN)
        by_fd[s.fileno()] = s
    ep.register(stop_fd, select.EPOLLIN)
    calls, seqs, sent, arrived = array.array("i"), array.array("q"), array.array("q"), array.array("q")
    stats = {"packets": 0, "silence": 0, "mangled": 0, "not_rtp": 0}
    anc = socket.CMSG_SPACE(16)
    running = True
    while running:
        for fd, _ in ep.poll(1.0):
            if fd == stop_fd:
                running = False
                continue
            s = by_fd[fd]
            while True:
                try:
                    data, ancdata, _, _ = s.recvmsg(2048, anc)
                except BlockingIOError:
                    break
                except OSError:
                    break
                at = None
                for level, kind, value in ancdata:
                    if level == socket.SOL_SOCKET and kind == SCM_TIMESTAMPNS:
                        sec, nsec = struct.unpack("qq", value[:16])
                        at = sec * 1_000_000_000 + nsec
                if at is None:
                    at = time.time_ns()
                stats["packets"] += 1
                if len(data) < 12 or data[0] >> 6 != 2:
                    stats["not_rtp"] += 1
                    continue
                if data[1] & 0x7F != 0:  # not PCMU (an RFC 4733 event, comfort noise...)
                    stats["not_rtp"] += 1
                    continue
                start = 12 + 4 * (data[0] & 0x0F)
                tag = parse_payload(data[start:])
                if tag is None:
                    stats["silence"] += 1
                elif tag == "mangled":
                    stats["mangled"] += 1
                else:
                    calls.append(tag[0])
                    seqs.append(tag[1])
                    sent.append(tag[2])
                    arrived.append(at)
    with open(result_path, "w") as f:
        json.dump({"stats": stats, "calls": list(calls), "seqs": list(seqs), "sent": list(sent),
                   "arrived": list(arrived)}, f)


# --- SIP --------------------------------------------------------------------------------------

class Call:
    def __init__(self, index, number, host, port, sip_port, rtp_port):
        self.index = index
        self.call_id = f"{random.getrandbits(64):x}-{index}@stream-callers"
        self.tag = f"{random.getrandbits(32):x}"
        self.branch = f"z9hG4bK{random.getrandbits(48):x}"
        self.uri = f"sip:{number}@{host}:{port}"
        self.sip_port = sip_port
        self.rtp_port = rtp_port
        self.state = "new"  # inviting, answered, failed, ended (by the far end), bye, done
        self.status = 0
        self.to = ""
        self.last_send = 0.0
        self.retries = 0
        self.remote = None
        self.route = []

    def head(self, branch):
        return (f"Via: SIP/2.0/UDP 127.0.0.1:{self.sip_port};branch={branch};rport\r\n"
                f"From: <sip:+15551230000@127.0.0.1:{self.sip_port}>;tag={self.tag}\r\n")

    def invite(self):
        sdp = (f"v=0\r\no=caller {self.index} 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
               f"t=0 0\r\nm=audio {self.rtp_port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
               f"a=ptime:20\r\n")
        return (f"INVITE {self.uri} SIP/2.0\r\n{self.head(self.branch)}To: <{self.uri}>\r\n"
                f"Call-ID: {self.call_id}\r\nCSeq: 1 INVITE\r\n"
                f"Contact: <sip:caller@127.0.0.1:{self.sip_port}>\r\nMax-Forwards: 70\r\n"
                f"Content-Type: application/sdp\r\nContent-Length: {len(sdp)}\r\n\r\n{sdp}").encode()

    def ack(self, failed):
        branch = self.branch if failed else self.branch + "a"
        return (f"ACK {self.uri} SIP/2.0\r\n{self.head(branch)}To: {self.to}\r\n"
                f"Call-ID: {self.call_id}\r\nCSeq: 1 ACK\r\nMax-Forwards: 70\r\n"
                f"Content-Length: 0\r\n\r\n").encode()

    def bye(self):
        return (f"BYE {self.uri} SIP/2.0\r\n{self.head(self.branch + 'b')}To: {self.to}\r\n"
                f"Call-ID: {self.call_id}\r\nCSeq: 2 BYE\r\nMax-Forwards: 70\r\n"
                f"Content-Length: 0\r\n\r\n").encode()


def header(text, name):
    m = re.search(rf"^{name}:\s*(.*)$", text, re.M | re.I)
    return m.group(1).strip() if m else ""


def answer_request(sip, text, addr):
    """200 OK to a request from the router (BYE, OPTIONS...)."""
    lines = [l for l in text.split("\r\n") if re.match(r"(Via|From|To|Call-ID|CSeq):", l, re.I)]
    ok = "SIP/2.0 200 OK\r\n" + "\r\n".join(lines) + "\r\nContent-Length: 0\r\n\r\n"
    sip.sendto(ok.encode(), addr)


def sip_pump(sip, calls_by_id, target, on_answer, timeout):
    """Handles every SIP message waiting (up to `timeout` seconds for the first)."""
    ready, _, _ = select.select([sip], [], [], timeout)
    while ready:
        try:
            data, addr = sip.recvfrom(65535)
        except BlockingIOError:
            return
        text = data.decode("utf-8", "replace")
        call = calls_by_id.get(header(text, "Call-ID"))
        if not text.startswith("SIP/2.0"):
            answer_request(sip, text, addr)
            if call is not None and text.startswith("BYE "):
                call.state = "ended"
            continue
        if call is None:
            continue
        m = re.match(r"SIP/2.0 (\d{3})", text)
        code = int(m.group(1)) if m else 0
        cseq = header(text, "CSeq")
        if cseq.endswith("INVITE"):
            if code < 200:
                if call.state == "inviting":
                    call.retries = -1  # provisional: stop retransmitting
                continue
            call.to = header(text, "To")
            if code >= 300:
                call.status = code
                sip.sendto(call.ack(True), target)
                call.state = "failed"
                continue
            sip.sendto(call.ack(False), target)  # a retransmitted 200 gets its ACK again
            if call.state == "inviting":
                call.status = code
                body = text.split("\r\n\r\n", 1)[1] if "\r\n\r\n" in text else ""
                c = re.search(r"c=IN IP4 (\S+)", body)
                mp = re.search(r"m=audio (\d+)", body)
                call.state = "answered"
                if c and mp:
                    call.remote = (c.group(1), int(mp.group(1)))
                    on_answer(call)
        elif cseq.endswith("BYE") and code >= 200:
            call.state = "done"
        ready, _, _ = select.select([sip], [], [], 0)


# --- /proc ------------------------------------------------------------------------------------

def proc_ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except OSError:
        return None


def thread_ticks(pid):
    """{tid: (name, ticks, involuntary context switches)} for every thread of pid."""
    out = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                raw = f.read()
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                preempted = int(re.search(r"nonvoluntary_ctxt_switches:\s*(\d+)", f.read()).group(1))
            name = raw[raw.index("(") + 1:raw.rindex(")")]
            fields = raw.rsplit(")", 1)[1].split()
            out[int(tid)] = (name, int(fields[11]) + int(fields[12]), preempted)
        except (OSError, ValueError, AttributeError):
            continue
    return out


def machine_ticks():
    """(busy, total) jiffies of all CPUs, from /proc/stat."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields[:8]) - idle, sum(fields[:8])


def percentile(sorted_values, p):
    if not sorted_values:
        return None
    i = min(len(sorted_values) - 1, max(0, math.ceil(p / 100 * len(sorted_values)) - 1))
    return sorted_values[i]


# --- main -------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("target")
    ap.add_argument("number")
    ap.add_argument("--calls", type=int, default=200)
    ap.add_argument("--hold", type=float, default=20)
    ap.add_argument("--rate", type=float, default=50, help="new calls a second")
    ap.add_argument("--watch", action="append", default=[], help="name=PID: CPU over the window")
    ap.add_argument("--threads", type=int, help="PID whose threads' CPU is reported")
    ap.add_argument("--answer-wait", type=float, default=30, help="seconds for the last answer")
    ap.add_argument("--hangup-wait", type=float, default=10)
    ap.add_argument("--workdir", default=".")
    args = ap.parse_args()
    host, port = args.target.rsplit(":", 1)
    target = (host, int(port))
    n = args.calls

    sip = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sip.bind(("127.0.0.1", 0))
    sip.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    sip.setblocking(False)
    rtp_socks = []
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 18)
        rtp_socks.append(s)

    sender_path = os.path.join(args.workdir, "sender.json")
    receiver_path = os.path.join(args.workdir, "receiver.json")
    control_r, control_w = os.pipe()
    stop_r, stop_w = os.pipe()
    sender_pid = os.fork()
    if sender_pid == 0:
        os.close(control_w)
        run_sender(rtp_socks, control_r, sender_path, n)
        os._exit(0)
    receiver_pid = os.fork()
    if receiver_pid == 0:
        os.close(control_w)
        os.close(stop_w)
        run_receiver(rtp_socks, stop_r, receiver_path)
        os._exit(0)
    os.close(control_r)
    os.close(stop_r)
    control = os.fdopen(control_w, "w", buffering=1)

    sip_port = sip.getsockname()[1]
    calls = [Call(i, args.number, host, int(port), sip_port, rtp_socks[i].getsockname()[1])
             for i in range(n)]
    by_id = {c.call_id: c for c in calls}

    def on_answer(call):
        control.write(f"START {call.index} {call.remote[0]} {call.remote[1]}\n")

    # Calls at RATE a second; retransmit an INVITE without an answer (T1 doubling, 4 s at most).
    t_begin = time.monotonic()
    next_call = 0
    while True:
        now = time.monotonic()
        while next_call < n and now >= t_begin + next_call / args.rate:
            c = calls[next_call]
            c.state, c.last_send, c.retries = "inviting", now, 0
            sip.sendto(c.invite(), target)
            next_call += 1
        for c in calls[:next_call]:
            if c.state == "inviting" and c.retries >= 0 and now - c.last_send > 0.5 * 2 ** min(c.retries, 3):
                sip.sendto(c.invite(), target)
                c.last_send, c.retries = now, c.retries + 1
        pending = [c for c in calls if c.state in ("new", "inviting")]
        if not pending or now - t_begin > n / args.rate + args.answer_wait:
            break
        sip_pump(sip, by_id, target, on_answer, 0.01)
    t_up = time.monotonic()
    answered = sum(1 for c in calls if c.state == "answered")

    # Hold: the window is its middle half.
    def hold_until(deadline):
        while time.monotonic() < deadline:
            sip_pump(sip, by_id, target, on_answer, min(0.05, max(0.0, deadline - time.monotonic())))

    hold_until(t_up + args.hold / 4)
    w0_ns, w0 = time.time_ns(), time.monotonic()
    watched = [w.split("=", 1) for w in args.watch] + [("driver_sender", sender_pid),
                                                        ("driver_receiver", receiver_pid),
                                                        ("driver_sip", os.getpid())]
    cpu0 = {name: proc_ticks(pid) for name, pid in watched}
    threads0 = thread_ticks(args.threads) if args.threads else {}
    machine0 = machine_ticks()
    hold_until(t_up + args.hold * 3 / 4)
    w1_ns, w1 = time.time_ns(), time.monotonic()
    cpu1 = {name: proc_ticks(pid) for name, pid in watched}
    threads1 = thread_ticks(args.threads) if args.threads else {}
    machine1 = machine_ticks()
    hold_until(t_up + args.hold)

    # Stop sending, let the last echoes in (late ones count as lost), stop receiving, hang up.
    control.write("STOP\n")
    hold_until(time.monotonic() + 1.0)
    os.write(stop_w, b"x")
    ended_early = sum(1 for c in calls if c.state == "ended")
    for c in calls:
        if c.state == "answered":
            c.state, c.last_send, c.retries = "bye", time.monotonic(), 0
            sip.sendto(c.bye(), target)
            if c.index % 20 == 19:
                sip_pump(sip, by_id, target, on_answer, 0.005)
    deadline = time.monotonic() + args.hangup_wait
    while time.monotonic() < deadline and any(c.state == "bye" for c in calls):
        now = time.monotonic()
        for c in calls:
            if c.state == "bye" and now - c.last_send > 0.5 * 2 ** min(c.retries, 3):
                sip.sendto(c.bye(), target)
                c.last_send, c.retries = now, c.retries + 1
        sip_pump(sip, by_id, target, on_answer, 0.05)
    os.waitpid(sender_pid, 0)
    os.waitpid(receiver_pid, 0)

    with open(sender_path) as f:
        sender = json.load(f)
    sent = sender["sent"]
    with open(receiver_path) as f:
        got = json.load(f)
    in_window = lambda t: w0_ns <= t < w1_ns
    sent_keys = {(k, seq) for k, times in enumerate(sent) for seq, t in enumerate(times) if in_window(t)}
    delays, seen, duplicates = [], set(), 0
    for k, seq, t_sent, t_at in zip(got["calls"], got["seqs"], got["sent"], got["arrived"]):
        if (k, seq) not in sent_keys:
            continue
        if (k, seq) in seen:
            duplicates += 1
            continue
        seen.add((k, seq))
        delays.append((t_at - t_sent) / 1e6)
    delays.sort()
    # Per call: its median delay (a standing queue in one call shows as a call apart).
    per_call = {}
    for k, seq, t_sent, t_at in zip(got["calls"], got["seqs"], got["sent"], got["arrived"]):
        if (k, seq) in sent_keys:
            per_call.setdefault(k, []).append((t_at - t_sent) / 1e6)
    call_medians = sorted(sorted(v)[len(v) // 2] for v in per_call.values())
    # Jitter: each frame's delay less its call's median (a standing queue is not jitter).
    jitter = sorted(d - m for v in per_call.values() for m in [sorted(v)[len(v) // 2]] for d in v)
    window_s = w1 - w0
    cpu = {}
    for name in cpu0:
        if cpu0[name] is not None and cpu1[name] is not None:
            cpu[name] = round(100 * (cpu1[name] - cpu0[name]) / CLK_TCK / window_s, 1)
    threads = []
    for tid, (name, ticks, preempted) in threads1.items():
        _, before, preempted_before = threads0.get(tid, (name, 0, 0))
        pct = 100 * (ticks - before) / CLK_TCK / window_s
        if pct >= 0.5:
            threads.append({"tid": tid, "name": name, "cpu_percent": round(pct, 1),
                            "preempted_per_s": round((preempted - preempted_before) / window_s)})
    threads.sort(key=lambda t: -t["cpu_percent"])
    report = {
        "calls": n,
        "answered": answered,
        "failed": n - answered,
        "refused": sorted({c.status for c in calls if c.state == "failed"}),
        "ended_early": ended_early,
        "window_s": round(window_s, 2),
        "window_ns": [w0_ns, w1_ns],
        "frames_sent": len(sent_keys),
        "frames_echoed": len(seen),
        "frames_lost": len(sent_keys) - len(seen),
        "duplicates": duplicates,
        "receiver": got["stats"],
        "sender_lateness": sender["lateness"],
        "delay_ms": {p: (round(percentile(delays, v), 2) if delays else None)
                     for p, v in (("p50", 50), ("p90", 90), ("p99", 99), ("p999", 99.9), ("max", 100))},
        "call_median_ms": {"min": round(call_medians[0], 2) if call_medians else None,
                           "p50": round(percentile(call_medians, 50), 2) if call_medians else None,
                           "max": round(call_medians[-1], 2) if call_medians else None},
        "jitter_ms": {p: (round(percentile(jitter, v), 2) if jitter else None)
                      for p, v in (("p1", 1), ("p99", 99), ("max", 100))},
        "cpu_percent": cpu,
        # Every CPU's busy time over the window, in % of one core (nproc * 100 at most).
        "machine_busy_percent": round(100 * (machine1[0] - machine0[0]) / max(1, machine1[1] - machine0[1])
                                      * os.cpu_count(), 1),
        "threads": threads,
        "setup_s": round(t_up - t_begin, 2),
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
