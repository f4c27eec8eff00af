// HttpCallbackSender.
#include "adapters/callback_sender.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "dialtone/http/client.h"

namespace dialtone::triggers {
namespace {

class HttpCallbackSender final : public CallbackSender {
 public:
  explicit HttpCallbackSender(HttpCallbackSenderOptions options)
      : options_(std::move(options)),
        client_({.max_host_connections = 2, .policy = options_.policy}) {}

  AttemptResult Send(const std::string& url, CallbackMethod method, const webhook::Params& params,
                     const std::string& token) override {
    absl::Time started = absl::Now();
    absl::StatusOr<http::Response> answer = client_.Fetch(
        {.url = url,
         .method = method == CallbackMethod::kPost ? http::Method::kPost : http::Method::kGet,
         .params = params,
         .auth_token = token,
         .connect_timeout = options_.connect_timeout,
         .total_timeout = options_.total_timeout,
         .keep_body = false,
         .user_agent = options_.user_agent});
    AttemptResult r;
    if (answer.ok()) {
      r.http_status = answer->status;
      if (!r.delivered()) r.error = absl::StrCat("HTTP ", answer->status);
    } else {
      r.error = std::string(answer.status().message());
    }
    r.duration = absl::Now() - started;
    return r;
  }

 private:
  HttpCallbackSenderOptions options_;
  http::Client client_;
};

}  // namespace

std::unique_ptr<CallbackSender> MakeHttpCallbackSender(HttpCallbackSenderOptions options) {
  return std::make_unique<HttpCallbackSender>(std::move(options));
}

}  // namespace dialtone::triggers
