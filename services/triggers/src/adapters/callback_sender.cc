// CurlCallbackSender.
#include "adapters/callback_sender.h"

#include <curl/curl.h>

#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "dialtone/webhook/signature.h"
#include "dialtone/webhook/signed_request.h"
#include "domain/callback_params.h"

namespace dialtone::triggers {
namespace {

// The answer body is not needed; it is read and dropped (capped by the total timeout).
size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

class CurlCallbackSender final : public CallbackSender {
 public:
  explicit CurlCallbackSender(CurlCallbackSenderOptions options) : options_(std::move(options)) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    easy_ = curl_easy_init();
  }
  ~CurlCallbackSender() override { curl_easy_cleanup(easy_); }

  AttemptResult Send(const std::string& callback_url, CallbackMethod method,
                     const webhook::Params& params, const std::string& token) override {
    absl::Time started = absl::Now();
    const webhook::SignedRequest signed_request =
        webhook::SignRequest(callback_url, method == CallbackMethod::kPost, params, token);
    const std::string& url = signed_request.url;
    const std::string& body = signed_request.body;
    const std::string& signature = signed_request.signature;
    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers,
                                absl::StrCat(webhook::kSignatureHeader, ": ", signature).c_str());
    headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
    if (method == CallbackMethod::kPost) {
      headers = curl_slist_append(headers, "Content-Type: application/x-www-form-urlencoded");
    }
    CURL* e = easy_;
    curl_easy_reset(e);
    curl_easy_setopt(e, CURLOPT_URL, url.c_str());
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, options_.user_agent.c_str());
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(absl::ToInt64Milliseconds(options_.connect_timeout)));
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS,
                     static_cast<long>(absl::ToInt64Milliseconds(options_.total_timeout)));
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, Discard);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
    if (method == CallbackMethod::kPost) {
      curl_easy_setopt(e, CURLOPT_POST, 1L);
      curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
      curl_easy_setopt(e, CURLOPT_POSTFIELDS, body.c_str());
    } else {
      curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    }
    CURLcode rc = curl_easy_perform(e);
    AttemptResult r;
    if (rc == CURLE_OK) {
      long code = 0;
      curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
      r.http_status = static_cast<int>(code);
      if (!r.delivered()) r.error = absl::StrCat("HTTP ", code);
    } else {
      r.error = curl_easy_strerror(rc);
    }
    curl_slist_free_all(headers);
    r.duration = absl::Now() - started;
    return r;
  }

 private:
  CurlCallbackSenderOptions options_;
  CURL* easy_;
};

}  // namespace

std::unique_ptr<CallbackSender> MakeCurlCallbackSender(CurlCallbackSenderOptions options) {
  return std::make_unique<CurlCallbackSender>(std::move(options));
}

}  // namespace dialtone::triggers
