#!/usr/bin/env python3
"""`scripts/dev call`'s report: reads the SIPp message trace (-trace_msg) of one call, prints each
SIP message with its time from the INVITE, then the call's Call resource from the REST API.

Exits 0 when the call went as a call should: answered and then hung up (by either side), or,
with --busy-ok, refused busy (486 / 600). Anything else (another refusal, no answer, SIPp
failing, an answered call without a completed Call resource) exits 1.
"""
import argparse
import base64
import datetime
import email.utils
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

STAMP = re.compile(r"^-{20,} (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+)$")
HEAD = re.compile(r"^(UDP|TCP|TLS|SCTP) message (sent|received)")
TERMINAL = {"completed", "busy", "failed", "no-answer", "canceled"}
BUSY = {486, 600}


def parse_trace(path):
    """[(seconds since epoch, 'sent'|'received', first line, CSeq method)] in file order."""
    msgs, cur = [], None
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    i = 0
    while i < len(lines):
        m = STAMP.match(lines[i])
        if m and i + 1 < len(lines) and HEAD.match(lines[i + 1]):
            t = datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f").timestamp()
            cur = {"t": t, "dir": HEAD.match(lines[i + 1]).group(2), "first": None, "cseq": ""}
            msgs.append(cur)
            i += 2
            continue
        if cur is not None:
            line = lines[i].strip()
            if cur["first"] is None and line:
                cur["first"] = line
            elif line.lower().startswith("cseq:"):
                cur["cseq"] = line.split()[-1].upper()
        i += 1
    return [m for m in msgs if m["first"]]


def describe(msg):
    """('100 Trying', code or None, method or None) for a message's first line."""
    first = msg["first"]
    if first.startswith("SIP/2.0 "):
        parts = first.split(" ", 2)
        code = int(parts[1])
        text = f"{parts[1]} {parts[2] if len(parts) > 2 else ''}".strip()
        return text, code, None
    method = first.split(" ", 1)[0]
    return method, None, method


def api_get(url, account, token):
    req = urllib.request.Request(url)
    auth = base64.b64encode(f"{account}:{token}".encode()).decode()
    req.add_header("Authorization", "Basic " + auth)
    with urllib.request.urlopen(req, timeout=5) as r:
        return json.load(r)


def find_call(api, account, token, number, since, wait_s):
    """The newest Call to NUMBER created at or after SINCE, once its status is final."""
    q = urllib.parse.urlencode({"To": number, "PageSize": 1})
    url = f"{api}/Accounts/{account}/Calls.json?{q}"
    deadline = time.time() + wait_s
    call, err = None, None
    while True:
        try:
            page = api_get(url, account, token)
            calls = page.get("calls") or []
            call = None
            if calls:
                created = email.utils.parsedate_to_datetime(calls[0]["date_created"]).timestamp()
                if created >= since - 1:
                    call = calls[0]
            err = None
        except (urllib.error.URLError, OSError, ValueError, KeyError) as e:
            err = str(e)
        if (call is not None and call.get("status") in TERMINAL) or time.time() > deadline:
            return call, err
        time.sleep(0.25)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--trace", required=True)
    ap.add_argument("--sipp-rc", type=int, required=True)
    ap.add_argument("--number", required=True)
    ap.add_argument("--target", required=True, help="host:port called")
    ap.add_argument("--since", type=float, required=True, help="Unix time just before the call")
    ap.add_argument("--api", required=True)
    ap.add_argument("--account", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--busy-ok", action="store_true")
    a = ap.parse_args()

    try:
        msgs = parse_trace(a.trace)
    except OSError:
        msgs = []
    invites = [m for m in msgs if m["dir"] == "sent" and m["first"].startswith("INVITE ")]
    print(f"Call to {a.number} at sip:{a.target} (from +15551234567, SIPp UDP)")
    if not invites:
        print("  no INVITE was sent (see SIPp's output)")
        return 1
    t0 = invites[0]["t"]
    seen = set()
    final = None        # (code, text) of the INVITE's final response
    bye_in = bye_out = bye_ok = None
    summary = []
    for m in msgs:
        text, code, method = describe(m)
        ms = round((m["t"] - t0) * 1000)
        key = (m["dir"], m["first"], m["cseq"])
        again = key in seen
        seen.add(key)
        if m["dir"] == "received":
            label = text if code is not None else f"{method} received"
            if code is not None and m["cseq"] == "BYE":
                label += " to our BYE"
                bye_ok = bye_ok or (200 <= code < 300)
        else:
            label = f"{text} sent" if code is None else f"{text} sent to the {m['cseq']}"
        if again:
            label += " (retransmission)"
        print(f"  {'+' + str(ms) + ' ms':>10}  {label}")
        if again:
            continue
        if m["dir"] == "received" and code is not None and m["cseq"] == "INVITE":
            summary.append(f"{text} +{ms} ms")
            if code >= 200 and final is None:
                final = (code, text)
        if m["dir"] == "received" and method == "BYE":
            bye_in = ms
            summary.append(f"BYE received +{ms} ms")
        if m["dir"] == "sent" and method == "BYE":
            bye_out = ms
            summary.append(f"BYE sent +{ms} ms")
    if summary:
        print("  " + ", ".join(summary))

    ok = False
    answered = final is not None and 200 <= final[0] < 300
    if answered and bye_in is not None:
        print(f"Result: answered, then hung up by the far end (BYE at +{bye_in} ms)")
        ok = True
    elif answered and bye_out is not None and bye_ok:
        print(f"Result: answered; no BYE came within 60 s, so we hung up (+{bye_out} ms)")
        ok = True
    elif answered:
        print("Result: answered, but the call did not end cleanly")
    elif final is not None:
        busy = final[0] in BUSY
        print(f"Result: refused with {final[1]}" + (" (busy, accepted: --busy-ok)" if busy and a.busy_ok else ""))
        ok = busy and a.busy_ok
    else:
        print("Result: no final answer to the INVITE")
    if a.sipp_rc != 0:
        print(f"SIPp reported a failed call (exit {a.sipp_rc})")
        ok = False

    # The Call resource (written by the router's store worker, so possibly a moment later).
    call, err = find_call(a.api, a.account, a.token, a.number, a.since,
                          wait_s=5 if final is not None and final[0] != 404 else 1)
    if call is not None:
        print(f"Call {call.get('sid')}: status {call.get('status')}, direction {call.get('direction')}, "
              f"duration {call.get('duration')} s")
        if answered and call.get("status") != "completed":
            ok = False
    elif err is not None:
        print(f"Call resource: could not read it: {err}")
        ok = False
    else:
        print(f"Call resource: none for {a.number} since the INVITE")
        if answered:
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
