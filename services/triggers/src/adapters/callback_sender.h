// Sends one signed trigger callback over HTTP and reports how it went. libcurl easy interface,
// blocking; one handle per sender keeps the connection alive between callbacks.
#pragma once

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "adapters/trigger_repository.h"
#include "dialtone/webhook/form_encoding.h"
#include "domain/trigger.h"

namespace dialtone::triggers {

// Not thread-safe: each delivery worker owns one.
class CallbackSender {
 public:
  virtual ~CallbackSender() = default;
  // `params` go in the form body (POST) or the query string (GET); X-Twilio-Signature is
  // computed with `auth_token` over the URL requested.
  virtual AttemptResult Send(const std::string& url, CallbackMethod method,
                             const webhook::Params& params, const std::string& auth_token) = 0;
};

struct CurlCallbackSenderOptions {
  absl::Duration connect_timeout = absl::Seconds(5);
  absl::Duration total_timeout = absl::Seconds(15);
  std::string user_agent = "TwilioProxy/1.1 Dialtone/0.1";
};

std::unique_ptr<CallbackSender> MakeCurlCallbackSender(CurlCallbackSenderOptions options);

}  // namespace dialtone::triggers
