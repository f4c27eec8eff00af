// Sends one signed trigger callback over HTTP (libs/http) and reports how it went.
#pragma once

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "adapters/trigger_repository.h"
#include "dialtone/http/fetch_policy.h"
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

struct HttpCallbackSenderOptions {
  absl::Duration connect_timeout = absl::Seconds(5);
  absl::Duration total_timeout = absl::Seconds(15);
  std::string user_agent = "TwilioProxy/1.1 Dialtone/0.1";
  std::shared_ptr<const http::FetchPolicy> policy;  // which addresses callback URLs may reach
};

// Blocking: Send waits for the answer, whose body is dropped. A redirect is an answer (not
// delivered); the dispatcher's retry schedule covers failed attempts.
std::unique_ptr<CallbackSender> MakeHttpCallbackSender(HttpCallbackSenderOptions options);

}  // namespace dialtone::triggers
