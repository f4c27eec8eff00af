// Asynchronous HTTP client for customer applications: fetches TwiML documents (signed, with
// connect retry, redirects, size and content-type checks and the fallback URL) and sends
// status callbacks. libcurl multi on one worker thread; connections are reused.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "calls/app_request.h"
#include "calls/twiml_names.h"

namespace dialtone::call_router {

// Completion callbacks run on the client's worker thread: keep them short and hand work to the
// caller's own thread or queue. Submitting is thread-safe.
//
//   AppHttpClient client({});
//   client.FetchDocument({.url = number.voice_url, .params = VoiceParams(call),
//                         .auth_token = token, .fallback_url = number.voice_fallback_url},
//                        [](AppHttpClient::DocumentResult r) { ... r.program ... });
class AppHttpClient {
 public:
  struct Options {
    absl::Duration connect_timeout = absl::Seconds(5);
    int connect_attempts = 2;  // Twilio tries a failed connection twice
    absl::Duration total_timeout = absl::Seconds(15);
    size_t max_body_bytes = kMaxDocumentBytes;
    int max_redirects = 10;
    std::string user_agent = "TwilioProxy/1.1 Dialtone/0.1";
  };
  static constexpr size_t kMaxDocumentBytes = 64 * 1024;

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

  explicit AppHttpClient(Options options);
  ~AppHttpClient();  // cancels transfers in flight; their callbacks are not called
  AppHttpClient(const AppHttpClient&) = delete;
  AppHttpClient& operator=(const AppHttpClient&) = delete;

  void FetchDocument(DocumentRequest request, std::function<void(DocumentResult)> done);
  // `done` gets OK for a 2xx answer, else an error carrying the Twilio code.
  void SendCallback(CallbackRequest request, std::function<void(absl::Status)> done = {});

  // Public only so that libcurl's C callbacks in the .cc can name it.
  struct Job;

 private:
  void Submit(std::unique_ptr<Job> job);
  void Loop();
  void Start(Job& job);
  void OnTransferDone(void* easy, int curl_code);
  void Finish(Job& job, absl::StatusOr<Program> result);
  // Switches to the fallback URL (true: restart the job) or finishes with `error` (false).
  bool FailOrFallback(Job& job, absl::Status error);

  Options options_;
  void* multi_ = nullptr;  // CURLM*, touched only by the worker thread after construction
  std::mutex mu_;
  std::deque<std::unique_ptr<Job>> pending_;
  bool stopping_ = false;
  std::map<void*, std::unique_ptr<Job>> active_;  // worker thread only; keyed by CURL*
  std::thread worker_;
};

}  // namespace dialtone::call_router
