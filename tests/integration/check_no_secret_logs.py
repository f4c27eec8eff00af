#!/usr/bin/env python3
"""No log line can print a secret (issue 21, item 6: auth tokens are never logged).

Reads every C++ source of the services and libs/ (tests and fuzzers aside; dialtonectl too,
whose output is the answer its user asked for, a new account's token included) and finds each
call that writes a log line: dialtone::log::Debug/Info/Warn/Error/Write(...) and
std::cerr << ... ;. Outside string literals, none may name a value whose identifier speaks of a
secret: token, secret, password, credential, authorization, or a key (`key`, `*_key`). Field
names and messages (string literals) may say "auth token"; the value beside them must not be
one. `x.status()` is x's error, not x, and may be logged.

usage: check_no_secret_logs.py ROOT [FILE...]   (FILEs: check only these, for the self-test)
"""
import pathlib
import re
import sys

SECRET = re.compile(r"\b\w*(token|secret|password|passwd|credential|authorization)\w*\b|\b(\w+_)?key_?\b",
                    re.IGNORECASE)
LOG_CALL = re.compile(r"\blog::(Debug|Info|Warn|Error|Write)\s*\(")
STREAM = re.compile(r"\bstd::cerr\s*<<")
STATUS_OF = re.compile(r"\b\w+(\.|->)status\(\)")


def strip_literals(code):
    """Blanks out string and character literals and comments (keeps offsets and newlines)."""
    out = []
    i, n = 0, len(code)
    while i < n:
        c = code[i]
        if code.startswith("//", i):
            j = code.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif code.startswith("/*", i):
            j = code.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", code[i:j]))
            i = j
        elif code.startswith('R"', i):
            m = re.match(r'R"([^(]*)\(', code[i:])
            end = code.find(")" + m.group(1) + '"', i) if m else -1
            j = n if end < 0 else end + len(m.group(1)) + 2
            out.append(re.sub(r"[^\n]", " ", code[i:j]))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and code[j] != c:
                j += 2 if code[j] == "\\" else 1
            j += 1
            out.append(c + " " * (j - i - 2) + c)
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def call_extent(code, start):
    """From the opening parenthesis at `start`, the index after its matching one."""
    depth = 0
    for j in range(start, len(code)):
        if code[j] == "(":
            depth += 1
        elif code[j] == ")":
            depth -= 1
            if depth == 0:
                return j + 1
    return len(code)


def problems(path):
    code = strip_literals(path.read_text(errors="replace"))
    found = []
    spans = [(m.start(), call_extent(code, m.end() - 1)) for m in LOG_CALL.finditer(code)]
    spans += [(m.start(), code.find(";", m.start())) for m in STREAM.finditer(code)]
    for begin, end in spans:
        text = STATUS_OF.sub(lambda m: " " * len(m.group(0)), code[begin:end])
        for m in SECRET.finditer(text):
            line = code.count("\n", 0, begin + m.start()) + 1
            found.append(f"{path}:{line}: a log line names {m.group(0)!r}")
    return found


def main():
    root = pathlib.Path(sys.argv[1])
    if len(sys.argv) > 2:
        files = [pathlib.Path(f) for f in sys.argv[2:]]
    else:
        files = sorted(p for d in ("services", "libs") for p in (root / d).rglob("*")
                       if p.suffix in (".cc", ".h") and "tests" not in p.parts
                       and "testing" not in p.parts and "fuzz" not in p.parts
                       and "dialtonectl" not in p.parts)
    found = [p for f in files for p in problems(f)]
    for p in found:
        print(p)
    print(f"{len(files)} files, {len(found)} log lines naming a secret")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
