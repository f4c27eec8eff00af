// X-Twilio-Signature: how Dialtone signs the HTTP requests it makes to customers' applications.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "dialtone/webhook/form_encoding.h"

namespace dialtone::webhook {

inline constexpr char kSignatureHeader[] = "X-Twilio-Signature";

// The string Twilio signs: the full URL (query string included, exactly as requested) followed,
// for a POST, by each distinct parameter as name then value with no separators, sorted by name
// and, for a repeated name, by value. Pure; exposed so that tests and `dialtonectl` can show it.
//
// Matches the official helper libraries (twilio npm 5.x getExpectedTwilioSignature, twilio-python
// RequestValidator): an identical name=value pair sent twice counts once, and strings are
// compared by UTF-16 code units, as JavaScript's sort() does. That differs from byte (code
// point) order only between characters above U+FFFF and those in U+E000..U+FFFF.
//   SignatureBaseString("https://a.example/v", {{"To", "+1"}, {"From", "+2"}})
//     == "https://a.example/vFrom+2To+1"
std::string SignatureBaseString(absl::string_view url, const Params& post_params);

// base64(HMAC-SHA1(auth_token, SignatureBaseString(url, post_params))), the header's value.
// For a GET the parameters are in the URL's query string and `post_params` is empty.
// Thread-safe; no I/O.
//   ComputeTwilioSignature(token, "https://app.example/voice", {{"CallSid", "CA..."}, ...})
std::string ComputeTwilioSignature(absl::string_view auth_token, absl::string_view url,
                                   const Params& post_params);

// True when `signature` is the signature of the request under any of SignatureUrlVariants(url),
// compared in constant time. A server behind a proxy often sees the URL with or without its
// port, which is why the helper libraries, and this, try both.
bool ValidateTwilioSignature(absl::string_view auth_token, absl::string_view url,
                             const Params& post_params, absl::string_view signature);

// The URLs ValidateTwilioSignature tries, first the one given, then without the port, then with
// it (the scheme's default, 443 for https and 80 otherwise, when the URL names none), without
// repeats:
//   "https://a.example:8443/v" -> {"https://a.example:8443/v", "https://a.example/v"}
//   "https://a.example/v"      -> {"https://a.example/v", "https://a.example:443/v"}
// The npm library also retries with the query string re-encoded by Node's legacy querystring
// module, a workaround for Twilio's own back end signing inconsistently; Dialtone signs the URL
// exactly as configured, so that variant is not tried.
std::vector<std::string> SignatureUrlVariants(absl::string_view url);

}  // namespace dialtone::webhook
