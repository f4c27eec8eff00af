// The one outbound HTTP client of every service: call webhooks and TwiML documents (call-router),
// media fetches (media-layer) and trigger callbacks (triggers). It signs with X-Twilio-Signature,
// retries a connection that failed, follows redirects the way Twilio does, caps bodies and time,
// and turns transport failures into statuses carrying one Twilio code per failure and purpose.
// libcurl multi on one worker thread; connections and DNS answers are reused across requests.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "dialtone/http/fetch_policy.h"
#include "dialtone/webhook/form_encoding.h"

namespace dialtone::http {

enum class Method { kGet, kPost, kPut, kHead, kDelete };

// What a request is for; it decides the Twilio code of a failure (see TwilioCodeFor).
enum class Purpose {
  kWebhook,  // a TwiML document or a callback to the customer's application
  kMedia,    // an audio file for <Play>
};

// Why a request got no usable answer. An answer with any HTTP status is not a failure.
enum class Failure {
  kInvalidUrl,         // the URL does not parse
  kUnsupportedScheme,  // not http or https
  kBadHost,            // the host name does not resolve
  kConnect,            // the connection was refused
  kTimeout,            // no complete answer within the time allowed
  kTls,                // TLS handshake or certificate failure
  kProtocol,           // the peer did not speak HTTP
  kTooManyRedirects,
  kTooLarge,  // the body is over Request::max_body_bytes
  kOther,     // reset, empty reply, send/receive errors
};

// The Twilio code for `failure` on a request for `purpose`, from one table:
//   webhook: 11210 bad host or invalid URL, 11205 refused, timed out or reset, 11206 not HTTP or
//            not an http(s) URL, 11215 redirects, 11220 TLS, 11750 document over its limit;
//   media:   11100 invalid or non-http(s) URL, 11210 bad host, 11205 refused, 11215 redirects,
//            11220 TLS, 11200 anything else (a timeout, a file over the limit).
int TwilioCodeFor(Failure failure, Purpose purpose);

// The Failure of a status returned by Client, when it carries one.
std::optional<Failure> FailureOf(const absl::Status& status);

// AWS Signature Version 4, computed by libcurl (CURLOPT_AWS_SIGV4) for S3-compatible stores.
struct AwsSigV4 {
  std::string provider;  // "aws:amz:<region>:<service>", e.g. "aws:amz:us-east-1:s3"
  std::string access_key;
  std::string secret_key;
};

struct Request {
  std::string url;
  Method method = Method::kGet;
  webhook::Params params;             // GET: appended to the query; POST: the form-encoded body
  std::string body;                   // PUT: sent as is (give its Content-Type in `headers`)
  std::optional<AwsSigV4> aws_sigv4;  // set: the request is signed with it
  std::string auth_token;             // non-empty: the request carries X-Twilio-Signature
  std::vector<std::pair<std::string, std::string>> headers;  // sent as given
  Purpose purpose = Purpose::kWebhook;

  absl::Duration connect_timeout = absl::Seconds(5);
  absl::Duration total_timeout = absl::Seconds(15);  // the whole request: retries and redirects
  int connect_attempts = 1;  // tries of a connection that was refused or timed out
  int max_redirects = 0;     // 0: a 3xx is the answer
  size_t max_body_bytes = 64 * 1024;
  bool keep_body = true;           // false: the body is read and dropped
  std::string skip_body_for_type;  // a content-type prefix ("audio/") whose body is dropped
  bool decompress = false;         // offer gzip/deflate and decode the answer
  std::string user_agent = "TwilioProxy/1.1 Dialtone/0.1";
};

struct Response {
  int status = 0;
  std::string url;  // the URL answered: the request's, or the last redirect's (no GET params)
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;  // lower-case names, last answer
  std::string body;

  // The values of header `name` (lower case) joined with ", ", or "" when absent.
  std::string Header(absl::string_view name) const;
  bool ok() const { return status >= 200 && status < 300; }
};

// Thread-safe. Completion callbacks run on the client's worker thread: keep them short; they
// may Send again (a fallback, a retry) but must not call Fetch.
//
//   http::Client client;
//   client.Send({.url = url, .method = http::Method::kPost, .params = params,
//                .auth_token = token},
//               [](absl::StatusOr<http::Response> r) { ... });
class Client {
 public:
  struct Options {
    int max_host_connections = 16;
    // Set for tenant URLs: every connection's address (each redirect hop's too) must pass it,
    // or the request fails like a refused connection (kConnect) saying why. Unset: internal
    // requests (an object store), anywhere.
    std::shared_ptr<const FetchPolicy> policy;
  };
  using Done = std::function<void(absl::StatusOr<Response>)>;

  Client() : Client(Options{}) {}
  explicit Client(Options options);
  ~Client();  // cancels requests in flight; their callbacks are not called
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Errors carry the Twilio code of their Failure (core::TwilioCodeOf) and the URL in the
  // message; any HTTP answer, 4xx and 5xx included, is a Response.
  void Send(Request request, Done done);
  // Send, waiting for the answer on the calling thread.
  absl::StatusOr<Response> Fetch(Request request);

  // Public only so that libcurl's C callbacks in the .cc can name it.
  struct Job;

 private:
  void Loop();
  void Start(Job& job);
  void OnTransferDone(void* easy, int curl_code);

  void* multi_ = nullptr;  // CURLM*, touched only by the worker thread after construction
  std::shared_ptr<const FetchPolicy> policy_;
  std::mutex mu_;
  std::deque<std::unique_ptr<Job>> pending_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::map<void*, std::unique_ptr<Job>> active_;  // worker thread only; keyed by CURL*
  std::thread worker_;
};

}  // namespace dialtone::http
