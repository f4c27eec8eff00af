// AppHttpClient: documents with their fallback and TwiML checks, callbacks; the transport is
// http::Client.
#include "calls/app_http_client.h"

#include "absl/strings/str_cat.h"
#include "calls/app_request.h"
#include "dialtone/core/twilio_error.h"

namespace dialtone::call_router {

struct AppHttpClient::Fetch {
  DocumentRequest request;
  std::function<void(DocumentResult)> done;
  bool in_fallback = false;
  int primary_error = 0;
};

AppHttpClient::AppHttpClient(Options options)
    : options_(std::move(options)), client_({.policy = options_.policy}) {}

namespace {

// The error of an answer that is not 2xx.
absl::Status StatusError(const http::Response& answer) {
  return TwimlError(kErrorHttpRetrieval, absl::StrCat("request to ", answer.url,
                                                      " failed: HTTP status ", answer.status));
}

}  // namespace

http::Request AppHttpClient::HttpRequest(Kind kind, const std::string& url, HttpMethod method,
                                         AppParams params, const std::string& auth_token) const {
  return {.url = url,
          .method = method == HttpMethod::kPost ? http::Method::kPost : http::Method::kGet,
          .params = std::move(params),
          .auth_token = auth_token,
          .headers = {{"Accept", "text/xml, application/xml, */*"}},
          .purpose = http::Purpose::kWebhook,
          .connect_timeout = options_.connect_timeout,
          .total_timeout = options_.total_timeout,
          .connect_attempts = options_.connect_attempts,
          .max_redirects = options_.max_redirects,
          .max_body_bytes = options_.max_body_bytes,
          .keep_body = kind == Kind::kDocument,
          .skip_body_for_type = kind == Kind::kDocument ? "audio/" : "",
          .user_agent = options_.user_agent};
}

void AppHttpClient::FetchDocument(DocumentRequest request,
                                  std::function<void(DocumentResult)> done) {
  auto fetch = std::make_shared<Fetch>();
  http::Request first =
      HttpRequest(Kind::kDocument, request.url, request.method, request.params, request.auth_token);
  fetch->request = std::move(request);
  fetch->done = std::move(done);
  SendDocumentRequest(std::move(fetch), std::move(first));
}

void AppHttpClient::SendDocumentRequest(std::shared_ptr<Fetch> fetch, http::Request request) {
  client_.Send(std::move(request), [this, fetch](absl::StatusOr<http::Response> answer) {
    OnDocument(fetch, std::move(answer));
  });
}

void AppHttpClient::OnDocument(std::shared_ptr<Fetch> fetch,
                               absl::StatusOr<http::Response> answer) {
  const DocumentRequest& req = fetch->request;
  const std::string& url = fetch->in_fallback ? req.fallback_url : req.url;
  absl::StatusOr<Program> program;
  std::string document_url = url;
  if (!answer.ok()) {
    program =
        TwimlError(core::TwilioCodeOf(answer.status()), std::string(answer.status().message()));
  } else if (!answer->ok()) {
    program = StatusError(*answer);
    document_url = answer->url;
  } else {
    document_url = answer->url;
    program = ParseTwiml(answer->body, answer->content_type, answer->url);
  }
  if (!program.ok() && !fetch->in_fallback && !req.fallback_url.empty()) {
    fetch->in_fallback = true;
    fetch->primary_error = TwilioErrorCode(program.status());
    AppParams params = req.params;
    params.emplace_back("ErrorCode", std::to_string(fetch->primary_error));
    params.emplace_back("ErrorUrl", req.url);
    http::Request fallback = HttpRequest(Kind::kDocument, req.fallback_url, req.fallback_method,
                                         std::move(params), req.auth_token);
    return SendDocumentRequest(std::move(fetch), std::move(fallback));
  }
  DocumentResult result{.program = std::move(program),
                        .document_url = std::move(document_url),
                        .from_fallback = fetch->in_fallback,
                        .primary_error_code = fetch->primary_error};
  if (fetch->done) fetch->done(std::move(result));
}

void AppHttpClient::SendCallback(CallbackRequest request, std::function<void(absl::Status)> done) {
  http::Request r = HttpRequest(Kind::kCallback, request.url, request.method,
                                std::move(request.params), request.auth_token);
  client_.Send(std::move(r), [done = std::move(done)](absl::StatusOr<http::Response> answer) {
    if (!done) return;
    if (!answer.ok()) return done(answer.status());
    if (!answer->ok()) {
      return done(StatusError(*answer));
    }
    done(absl::OkStatus());
  });
}

}  // namespace dialtone::call_router
