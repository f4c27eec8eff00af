#!/usr/bin/env bash
# No log line in the services or libs/ can print an auth token or a key (issue 21, item 6):
# check_no_secret_logs.py over the tree finds none, and it does find the ones planted here (so
# that a broken check cannot pass).
set -euo pipefail
source "$(dirname "$0")/../lib/testlib.sh"

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d /tmp/dialtone-nosecretlogs.XXXXXX)
trap 'remove_tmp "$tmp" $?' EXIT

check "no log line in services/ or libs/ names a token, password or key" \
  python3 "$here/check_no_secret_logs.py" "$DIALTONE_SOURCE_DIR"

cat >"$tmp/planted.cc" <<'CC'
void A(const Account& account) {
  log::Info("account created", {{"sid", account.sid},
                                {"auth_token", account.auth_token}});
}
void B(const std::string& token) { log::Warn("bad", {{"t", token}}); }
void C(const Config& c) { std::cerr << "key: " << c.secrets_key << "\n"; }
void D(absl::StatusOr<std::string> token) { log::Error("no token", {{"error", token.status()}}); }
CC
out=$(python3 "$here/check_no_secret_logs.py" "$DIALTONE_SOURCE_DIR" "$tmp/planted.cc" || true)
echo "$out"
check "the planted token field is found (line 3)" grep -q 'planted.cc:3:.*auth_token' <<<"$out"
check "the planted token value is found (line 5)" grep -q "planted.cc:5:.*'token'" <<<"$out"
check "the planted key on stderr is found (line 6)" grep -q 'planted.cc:6:.*secrets_key' <<<"$out"
check "a token's error status is not a token (line 7 passes)" bash -c "! grep -q 'planted.cc:7:' <<<'$out'"
finish
