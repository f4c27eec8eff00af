// application/x-www-form-urlencoded bodies and query strings, as Twilio sends and accepts them.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace dialtone::webhook {

// Form parameters in wire order. A name may repeat (StatusCallbackEvent=initiated&
// StatusCallbackEvent=ringing), so this is a list, not a map. Values are UTF-8.
using Params = std::vector<std::pair<std::string, std::string>>;

// One name or value, percent-encoded for a form body or a query string: ASCII letters, digits
// and "-._~" stay as they are, space becomes '+', every other byte (each byte of a multi-byte
// UTF-8 character too) becomes %XX with uppercase hex. Every form decoder reads this back
// unchanged (Twilio's API, its helper libraries, WHATWG URLSearchParams, PHP, Python, Go).
//   FormEncodeComponent("Grüße ☎") == "Gr%C3%BC%C3%9Fe+%E2%98%8E"
std::string FormEncodeComponent(absl::string_view text);

// "name=value&name=value" in the order given; repeated names stay repeated. Empty input gives "".
//   FormEncode({{"To", "+15551234567"}, {"Body", "a b"}}) == "To=%2B15551234567&Body=a+b"
std::string FormEncode(const Params& params);

// Parses a form body or a query string (without the '?'): '&'-separated pairs, '+' is a space,
// %XX a byte. Order and repeated names are kept; a pair without '=' has an empty value and
// empty pieces ("a=1&&b=2") are skipped, as the WHATWG URL standard does. Strict where a
// lenient parser would guess: a '%' not followed by two hex digits and decoded bytes that are
// not valid UTF-8 are InvalidArgument, since values end up in protobuf strings and in signed
// webhook requests, where a guessed byte would silently change meaning.
absl::StatusOr<Params> FormDecode(absl::string_view body);

}  // namespace dialtone::webhook
