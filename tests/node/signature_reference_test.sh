#!/usr/bin/env bash
# X-Twilio-Signature from Dialtone (`dialtonectl webhook sign|validate`) against Twilio's official
# helper library (npm `twilio`, pinned in package-lock.json, driven by signature_reference.js):
# for each request both must compute the same signature, each must accept the other's, and both
# must reject a tampered request. The expected values are computed by the library here, never
# copied by hand.
#
# usage: signature_reference_test.sh PATH/TO/dialtonectl
# Fails (does not skip) when node or the twilio package is missing: `scripts/dev setup`
# installs both, so a missing one is a broken setup, not an optional test.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dialtonectl="${1:-${DIALTONE_BUILD_DIR:-}/services/dialtonectl/dialtonectl}"
reference="${here}/signature_reference.js"

if ! command -v node >/dev/null 2>&1; then
  echo "FAIL: node is not installed (scripts/dev setup installs it)" >&2
  exit 1
fi
if [[ ! -d "${here}/node_modules/twilio" ]]; then
  echo "FAIL: ${here}/node_modules/twilio is missing; scripts/dev setup installs it" \
    "(npm ci --prefix tests/node)" >&2
  exit 1
fi
if [[ ! -x "${dialtonectl}" ]]; then
  echo "FAIL: ${dialtonectl} is not built (cmake --build ... --target dialtonectl)" >&2
  exit 1
fi
echo "twilio $(node -p "require('${here}/node_modules/twilio/package.json').version")," \
  "node $(node --version), ${dialtonectl}"

failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

ours() { "${dialtonectl}" webhook "$@"; }
theirs() { node "${reference}" "$@"; }

# expect_valid WANT_RC SIGNATURE ARGS...: both validators return WANT_RC (0 valid, 1 invalid).
expect_valid() {
  local want=$1 sig=$2 rc
  shift 2
  rc=0; ours validate --signature "${sig}" "$@" >/dev/null || rc=$?
  [[ ${rc} == "${want}" ]] || fail "dialtonectl validate exit ${rc}, want ${want}: $*"
  rc=0; theirs validate --signature "${sig}" "$@" >/dev/null || rc=$?
  [[ ${rc} == "${want}" ]] || fail "twilio.validateRequest exit ${rc}, want ${want}: $*"
}

# check NAME --token T --url U [NAME=VALUE ...]: one request through both implementations.
check() {
  local name=$1 ours_sig theirs_sig flipped
  shift
  ours_sig=$(ours sign "$@") || { fail "${name}: dialtonectl webhook sign failed"; return; }
  theirs_sig=$(theirs sign "$@") || { fail "${name}: signature_reference.js sign failed"; return; }
  if [[ "${ours_sig}" != "${theirs_sig}" ]]; then
    fail "${name}: dialtonectl ${ours_sig} != twilio.getExpectedTwilioSignature ${theirs_sig}"
    return
  fi
  expect_valid 0 "${ours_sig}" "$@"
  expect_valid 1 "${ours_sig}" "$@" Tampered=1
  # Flip one character of the signature.
  if [[ ${ours_sig:3:1} == A ]]; then flipped="${ours_sig:0:3}B${ours_sig:4}"
  else flipped="${ours_sig:0:3}A${ours_sig:4}"; fi
  expect_valid 1 "${flipped}" "$@"
  echo "ok   ${name}: ${ours_sig}"
}

token=0123456789abcdef0123456789abcdef
app=https://app.example.com/voice

check "Twilio's documented example" --token 12345 \
  --url 'https://mycompany.com/myapp.php?foo=1&bar=2' \
  CallSid=CA1234567890ABCDE Caller=+14158675310 Digits=1234 From=+14158675310 To=+18005551212

check "GET with a query string" --token "${token}" \
  --url "${app}?AccountSid=AC0123&CallSid=CA0123&From=%2B15551234567&Digits=1%232&Body=a+b"

check "POST with repeated parameters" --token "${token}" --url "${app}/status" \
  CallSid=CA0123 StatusCallbackEvent=ringing StatusCallbackEvent=initiated \
  StatusCallbackEvent=completed StatusCallbackEvent=answered CallStatus=ringing

check "POST with an identical pair sent twice" --token "${token}" --url "${app}/status" \
  StatusCallbackEvent=initiated CallSid=CA0123 StatusCallbackEvent=initiated

check "POST with non-ASCII parameters" --token "${token}" --url "${app}/sms" \
  'Body=Grüße ☎' 'FromCity=SÃO PAULO' 'Naïve=yes' 'Note=ｱ' 'Note=😀' 'Note=é'

check "POST with reserved characters and empty values" --token "${token}" --url "${app}?x=1" \
  'Body=50% off & more=yes' 'Digits=' 'To=+1 (555) 010-9999' 'a=1' 'B=2' 'b=3' 'A=4'

check "URL with a port" --token "${token}" --url "https://app.example.com:8443/voice" \
  CallSid=CA0123 From=+15551234567

check "POST without parameters" --token "${token}" --url "${app}"

check "Empty token" --token "" --url "${app}" CallSid=CA0123

# The port: both accept the URL with or without it, and neither guesses a non-default one.
sig=$(ours sign --token "${token}" --url "${app}" CallSid=CA0123)
expect_valid 0 "${sig}" --token "${token}" --url "https://app.example.com:8443/voice" CallSid=CA0123
expect_valid 0 "${sig}" --token "${token}" --url "https://app.example.com:443/voice" CallSid=CA0123
expect_valid 1 "${sig}" --token "${token}" --url "${app}?x=1" CallSid=CA0123
expect_valid 1 "${sig}" --token "${token}" --url "http://app.example.com/voice" CallSid=CA0123
expect_valid 1 "${sig}" --token "${token}x" --url "${app}" CallSid=CA0123
sig=$(ours sign --token "${token}" --url "https://app.example.com:443/voice" CallSid=CA0123)
expect_valid 0 "${sig}" --token "${token}" --url "${app}" CallSid=CA0123
sig=$(ours sign --token "${token}" --url "http://app.example.com:80/voice" CallSid=CA0123)
expect_valid 0 "${sig}" --token "${token}" --url "http://app.example.com/voice" CallSid=CA0123
sig=$(ours sign --token "${token}" --url "https://app.example.com:8443/voice" CallSid=CA0123)
expect_valid 1 "${sig}" --token "${token}" --url "${app}" CallSid=CA0123
echo "ok   URL with and without the port"

if ((failures)); then
  echo "${failures} check(s) failed" >&2
  exit 1
fi
echo "all signature checks agree with the twilio helper library"
