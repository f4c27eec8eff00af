#!/usr/bin/env bash
# `dialtonectl twiml check FILE|-` prints, for every golden-corpus document, the same program the
# parser's golden tests expect (exit 0), or the expected Twilio code and line (exit 1); stdin,
# --url and --content-type work; bad usage exits 2. Runs the binary CTest built; no servers.
set -euo pipefail
source "$(dirname "$0")/../lib/testlib.sh"

corpus=$DIALTONE_SOURCE_DIR/libs/twiml/tests/twiml_corpus
# The URL the golden tests parse the corpus with (twiml_corpus_test.cc).
url=https://app.example.com/voice/start.xml
tmp=$(mktemp -d /tmp/dialtone-twiml.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# same_json A B: both files hold the same JSON value.
same_json() {
  python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1])) != json.load(open(sys.argv[2])))' \
    "$1" "$2"
}
# json_field FILE EXPR: prints EXPR of the JSON value j (None prints "none").
json_field() {
  python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); v=eval(sys.argv[2]); print("none" if v is None else v)' \
    "$1" "$2"
}

valid=0
for doc in "$corpus"/valid/*.xml; do
  name=$(basename "$doc" .xml)
  "$CTL" twiml check --url "$url" "$doc" >"$tmp/$name.json" 2>"$tmp/$name.err" && rc=0 || rc=$?
  check "valid/$name.xml exits 0" test "$rc" -eq 0
  check "valid/$name.xml prints expected/$name.json" \
    same_json "$tmp/$name.json" "$corpus/expected/$name.json"
  valid=$((valid + 1))
done
check "the corpus has valid documents ($valid)" test "$valid" -ge 12

invalid=0
for doc in "$corpus"/invalid/*.xml; do
  name=$(basename "$doc" .xml)
  "$CTL" twiml check --url "$url" "$doc" >"$tmp/$name.json" 2>"$tmp/$name.err" && rc=0 || rc=$?
  check "invalid/$name.xml exits 1" test "$rc" -eq 1
  # One python3 per document (its start-up dominates): the .expect form, and the message.
  got=$(json_field "$tmp/$name.json" \
    '"code=%s line=%s%s" % (j["code"], "none" if j["line"] is None else j["line"],
                               "" if j["message"] else " NO-MESSAGE")')
  want=$(cat "${doc%.xml}.expect")
  check "invalid/$name.xml reports $want with a message (got $got)" test "$got" = "$want"
  invalid=$((invalid + 1))
done
check "the corpus has invalid documents ($invalid)" test "$invalid" -ge 12

# Media Streams: a <Connect><Stream> document is valid and described, stream and parameters
# included; track="both_tracks" inside <Connect> is 12200 on the <Stream>'s line, naming track.
cat >"$tmp/connect.xml" <<'XML'
<Response>
  <Connect action="/after-agent">
    <Stream url="wss://media.example.com/agent" name="agent">
      <Parameter name="caller" value="+15551230000"/>
      <Parameter name="lang" value="en-US"/>
    </Stream>
  </Connect>
</Response>
XML
"$CTL" twiml check --url "$url" "$tmp/connect.xml" >"$tmp/connect.json" && rc=0 || rc=$?
check "<Connect><Stream> exits 0" test "$rc" -eq 0
check "<Connect><Stream> is printed with its action, stream and parameters in order" test \
  "$(json_field "$tmp/connect.json" '"%s %s %s %s %s %s" % (j["verbs"][0]["verb"],
      j["verbs"][0]["action"], j["verbs"][0]["stream"]["url"], j["verbs"][0]["stream"]["name"],
      j["verbs"][0]["stream"]["track"],
      ",".join(p["name"] + "=" + p["value"] for p in j["verbs"][0]["stream"]["parameters"]))')" = \
  "Connect https://app.example.com/after-agent wss://media.example.com/agent agent inbound_track caller=+15551230000,lang=en-US"
check "<Connect><Stream> has no warnings" \
  test "$(json_field "$tmp/connect.json" 'len(j["warnings"])')" = 0
sed 's/name="agent"/name="agent" track="both_tracks"/' "$tmp/connect.xml" >"$tmp/connect_both.xml"
"$CTL" twiml check --url "$url" "$tmp/connect_both.xml" >"$tmp/connect_both.json" && rc=0 || rc=$?
check "<Connect><Stream track=\"both_tracks\"> exits 1" test "$rc" -eq 1
check "<Connect><Stream track=\"both_tracks\"> is 12200 on line 3 naming track" test \
  "$(json_field "$tmp/connect_both.json" \
    '(j["code"], j["line"], "track=\"both_tracks\"" in j["message"])')" = "(12200, 3, True)"

# stdin, for both outcomes.
"$CTL" twiml check --url "$url" - <"$corpus/valid/gather_menu.xml" >"$tmp/stdin.json" && rc=0 || rc=$?
check "- reads a valid document from stdin (exit 0)" test "$rc" -eq 0
check "stdin prints the same program as the file" \
  same_json "$tmp/stdin.json" "$corpus/expected/gather_menu.json"
"$CTL" twiml check - <"$corpus/invalid/unknown_verb.xml" >"$tmp/stdin_bad.json" && rc=0 || rc=$?
check "- with an invalid document exits 1" test "$rc" -eq 1
check "stdin reports the code and line" test \
  "$(json_field "$tmp/stdin_bad.json" '(j["code"], j["line"])')" = "(12200, 3)"

# Without --url, relative URLs stay as written and the document URL is empty.
"$CTL" twiml check "$corpus/valid/gather_menu.xml" >"$tmp/nourl.json"
check "without --url the document URL is empty" \
  test "$(json_field "$tmp/nourl.json" 'repr(j["document_url"])')" = "''"
check "without --url a relative action stays relative" \
  test "$(json_field "$tmp/nourl.json" 'j["verbs"][0]["action"]')" = "/ivr/choice"
"$CTL" twiml check --url=https://other.example.net/a/b.xml "$corpus/valid/gather_menu.xml" \
  >"$tmp/other.json"
check "--url=U resolves relative URLs against U" \
  test "$(json_field "$tmp/other.json" 'j["verbs"][0]["prompts"][2]["url"]')" = \
  "https://other.example.net/audio/menu-tail.mp3"

# --content-type: text/plain is read out, a non-TwiML type is error 12300.
echo "Hello there" | "$CTL" twiml check --content-type "text/plain; charset=utf-8" - \
  >"$tmp/plain.json" && rc=0 || rc=$?
check "text/plain exits 0" test "$rc" -eq 0
check "text/plain becomes Say then Hangup" test \
  "$(json_field "$tmp/plain.json" '[(v["verb"], v.get("text")) for v in j["verbs"]]')" = \
  "[('Say', 'Hello there'), ('Hangup', None)]"
"$CTL" twiml check --content-type application/json "$corpus/valid/say.xml" >"$tmp/ct.json" \
  && rc=0 || rc=$?
check "application/json exits 1" test "$rc" -eq 1
check "application/json is error 12300 without a line" \
  test "$(json_field "$tmp/ct.json" '(j["code"], j["line"])')" = "(12300, None)"

# A body over 64 kB is error 11750.
python3 -c 'print("<Response>" + "<Pause/>" * 9000 + "</Response>")' >"$tmp/big.xml"
"$CTL" twiml check "$tmp/big.xml" >"$tmp/big.json" && rc=0 || rc=$?
check "a 72 kB document exits 1 with 11750" \
  test "$rc:$(json_field "$tmp/big.json" 'j["code"]')" = "1:11750"

# Usage errors exit 2 and print nothing on stdout.
for bad in "twiml" "twiml check" "twiml lint $corpus/valid/say.xml" \
  "twiml check $tmp/missing.xml" "twiml check --bogus x $corpus/valid/say.xml" \
  "twiml check $corpus/valid/say.xml $corpus/valid/play.xml"; do
  # shellcheck disable=SC2086
  "$CTL" $bad >"$tmp/usage.out" 2>"$tmp/usage.err" && rc=0 || rc=$?
  check "\"dialtonectl $bad\" exits 2 with a message on stderr" \
    bash -c "test $rc -eq 2 && test ! -s '$tmp/usage.out' && test -s '$tmp/usage.err'"
done
check "dialtonectl --help lists twiml check" bash -c "'$CTL' --help | grep -q 'twiml check'"
finish
