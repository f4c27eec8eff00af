// The customer application as the call router sees it: fetches TwiML documents (with the
// fallback URL, and size and content-type checks) and sends status callbacks, over the shared
// outbound client (libs/http: signing, connect retry, redirects, limits).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "calls/app_request.h"
#include "calls/twiml_names.h"
#include "dialtone/http/client.h"

namespace dialtone::call_router {

// The customer application, as a call session reaches it. Thread-safe; completion callbacks
// run on another thread.
class AppClient {
 public:
  virtual ~AppClient() = default;

  struct DocumentRequest {
    std::string url;
    HttpMethod method = HttpMethod::kPost;
    AppParams params;
    std::string auth_token;    // signs X-Twilio-Signature
    std::string fallback_url;  // empty: no fallback
    HttpMethod fallback_method = HttpMethod::kPost;
  };

  struct DocumentResult {
    // The parsed document, or the error (TwilioErrorCode gives its code) of the last URL tried.
    absl::StatusOr<Program> program;
    std::string document_url;  // URL the document finally came from
    bool from_fallback = false;
    int primary_error_code = 0;  // why the fallback was requested
  };

  struct CallbackRequest {
    std::string url;
    HttpMethod method = HttpMethod::kPost;
    AppParams params;
    std::string auth_token;
  };

  virtual void FetchDocument(DocumentRequest request, std::function<void(DocumentResult)> done) = 0;
  // `done` gets OK for a 2xx answer, else an error carrying the Twilio code.
  virtual void SendCallback(CallbackRequest request,
                            std::function<void(absl::Status)> done = {}) = 0;
};

// Completion callbacks run on the client's worker thread: keep them short and hand work to the
// caller's own thread or queue. Submitting is thread-safe.
//
//   AppHttpClient client({});
//   client.FetchDocument({.url = number.voice_url, .params = VoiceParams(call),
//                         .auth_token = token, .fallback_url = number.voice_fallback_url},
//                        [](AppHttpClient::DocumentResult r) { ... r.program ... });
class AppHttpClient final : public AppClient {
 public:
  struct Options {
    absl::Duration connect_timeout = absl::Seconds(5);
    int connect_attempts = 2;  // Twilio tries a failed connection twice
    absl::Duration total_timeout = absl::Seconds(15);
    size_t max_body_bytes = kMaxDocumentBytes;
    int max_redirects = 10;
    std::string user_agent = "TwilioProxy/1.1 Dialtone/0.1";
    // Which addresses the application's URLs may reach (null: any; tests of pure behaviour).
    std::shared_ptr<const http::FetchPolicy> policy;
  };
  static constexpr size_t kMaxDocumentBytes = 64 * 1024;

  explicit AppHttpClient(Options options);
  ~AppHttpClient() override =
      default;  // cancels transfers in flight; their callbacks are not called
  AppHttpClient(const AppHttpClient&) = delete;
  AppHttpClient& operator=(const AppHttpClient&) = delete;

  void FetchDocument(DocumentRequest request, std::function<void(DocumentResult)> done) override;
  void SendCallback(CallbackRequest request, std::function<void(absl::Status)> done = {}) override;

 private:
  struct Fetch;  // one document fetch: the primary URL, then perhaps the fallback
  // A document request keeps the body (TwiML) but drops an audio answer's, which is played from
  // its URL; a callback's answer body is never read.
  enum class Kind { kDocument, kCallback };
  http::Request HttpRequest(Kind kind, const std::string& url, HttpMethod method, AppParams params,
                            const std::string& auth_token) const;
  void SendDocumentRequest(std::shared_ptr<Fetch> fetch, http::Request request);
  void OnDocument(std::shared_ptr<Fetch> fetch, absl::StatusOr<http::Response> answer);

  Options options_;
  http::Client client_;  // last: destroyed first, so no callback outlives the members
};

}  // namespace dialtone::call_router
