// How a request Dialtone sends to a customer's URL goes on the wire, for every service (call
// webhooks, status callbacks, trigger callbacks): GET parameters appended to the query, POST
// parameters form-encoded in the body, and X-Twilio-Signature over the URL requested and, for a
// POST, the parameters. Pure.
#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "dialtone/webhook/form_encoding.h"

namespace dialtone::webhook {

struct SignedRequest {
  std::string url;        // for GET, with the parameters appended to the query
  std::string body;       // for POST, form-encoded
  std::string signature;  // X-Twilio-Signature
  bool post = true;
};

// A fragment ("#...") is dropped from a GET's URL before the parameters are appended ("?" or
// "&" as the URL needs).
//   SignRequest("https://app.example/voice", true, {{"CallSid", "CA…"}}, token)
SignedRequest SignRequest(absl::string_view url, bool post, const Params& params,
                          absl::string_view auth_token);

}  // namespace dialtone::webhook
