// http::Client: the per-request state machine (connect attempts, redirects, limits) on curl multi.
#include "dialtone/http/client.h"

#include <curl/curl.h>
#include <sys/socket.h>

#include <algorithm>
#include <future>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "dialtone/core/twilio_error.h"
#include "dialtone/webhook/signature.h"
#include "dialtone/webhook/signed_request.h"

namespace dialtone::http {

struct Client::Job {
  Request request;
  Done done;

  // Current target: the request's, then each redirect's.
  std::string url;
  Method method = Method::kGet;
  webhook::Params params;
  int attempt = 0;
  int redirects = 0;
  absl::Time deadline;

  // Current transfer.
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  webhook::SignedRequest wire;
  Response response;
  bool too_large = false;
  bool skip_body = false;
  const FetchPolicy* policy = nullptr;  // the client's, when it has one
  std::string refused;                  // why the policy refused a connection

  ~Job() {
    if (headers != nullptr) curl_slist_free_all(headers);
    if (easy != nullptr) curl_easy_cleanup(easy);
  }
};

namespace {

constexpr char kFailurePayload[] = "type.dialtone.dev/http-failure";

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* job = static_cast<Client::Job*>(user);
  size_t len = size * n;
  if (job->skip_body || !job->request.keep_body) return len;
  if (job->response.body.size() + len > job->request.max_body_bytes) {
    job->too_large = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  job->response.body.append(data, len);
  return len;
}

// Headers arrive for every answer of the transfer (100 Continue, then the real one); a status
// line starts a new set.
size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* job = static_cast<Client::Job*>(user);
  absl::string_view line(data, size * n);
  if (absl::StartsWith(line, "HTTP/")) {
    job->response.headers.clear();
    job->response.content_type.clear();
    job->skip_body = false;
    return size * n;
  }
  auto colon = line.find(':');
  if (colon == absl::string_view::npos) return size * n;
  std::string name = absl::AsciiStrToLower(line.substr(0, colon));
  std::string value(absl::StripAsciiWhitespace(line.substr(colon + 1)));
  if (name == "content-type") {
    job->response.content_type = value;
    const std::string& skip = job->request.skip_body_for_type;
    job->skip_body = !skip.empty() && absl::StartsWithIgnoreCase(value, skip);
  }
  job->response.headers.emplace_back(std::move(name), std::move(value));
  return size * n;
}

// Opens each connection's socket once its address is known (after DNS, on every hop), so the
// policy judges the address actually connected to.
curl_socket_t OpenSocket(void* user, curlsocktype, struct curl_sockaddr* address) {
  auto* job = static_cast<Client::Job*>(user);
  if (job->policy != nullptr) {
    job->refused = job->policy->Refusal(&address->addr);
    if (!job->refused.empty()) return CURL_SOCKET_BAD;
  }
  return socket(address->family, address->socktype, address->protocol);
}

Failure Classify(CURLcode code) {
  switch (code) {
    case CURLE_URL_MALFORMAT: return Failure::kInvalidUrl;
    case CURLE_UNSUPPORTED_PROTOCOL: return Failure::kUnsupportedScheme;
    case CURLE_COULDNT_RESOLVE_HOST: return Failure::kBadHost;
    case CURLE_COULDNT_CONNECT: return Failure::kConnect;
    case CURLE_OPERATION_TIMEDOUT: return Failure::kTimeout;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE: return Failure::kTls;
    case CURLE_WEIRD_SERVER_REPLY: return Failure::kProtocol;
    case CURLE_TOO_MANY_REDIRECTS: return Failure::kTooManyRedirects;
    case CURLE_FILESIZE_EXCEEDED: return Failure::kTooLarge;
    default: return Failure::kOther;
  }
}

absl::Status FailureStatus(Failure failure, const Request& request, const std::string& url,
                           const std::string& detail) {
  absl::StatusCode code = absl::StatusCode::kUnavailable;
  if (failure == Failure::kInvalidUrl || failure == Failure::kUnsupportedScheme) {
    code = absl::StatusCode::kInvalidArgument;
  } else if (failure == Failure::kTimeout) {
    code = absl::StatusCode::kDeadlineExceeded;
  }
  absl::Status status = core::TwilioStatus(code, TwilioCodeFor(failure, request.purpose),
                                           absl::StrCat("request to ", url, " failed: ", detail));
  status.SetPayload(kFailurePayload, absl::Cord(absl::StrCat(static_cast<int>(failure))));
  return status;
}

}  // namespace

int TwilioCodeFor(Failure failure, Purpose purpose) {
  const bool media = purpose == Purpose::kMedia;
  switch (failure) {
    case Failure::kInvalidUrl: return media ? 11100 : 11210;
    case Failure::kUnsupportedScheme: return media ? 11100 : 11206;
    case Failure::kBadHost: return 11210;
    case Failure::kConnect: return 11205;
    case Failure::kTimeout: return media ? 11200 : 11205;
    case Failure::kTls: return 11220;
    case Failure::kProtocol: return media ? 11200 : 11206;
    case Failure::kTooManyRedirects: return 11215;
    case Failure::kTooLarge: return media ? 11200 : 11750;
    case Failure::kOther: return media ? 11200 : 11205;
  }
  return 11200;
}

std::optional<Failure> FailureOf(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kFailurePayload);
  int value = 0;
  if (!payload || !absl::SimpleAtoi(std::string(*payload), &value)) return std::nullopt;
  return static_cast<Failure>(value);
}

std::string Response::Header(absl::string_view name) const {
  std::vector<absl::string_view> values;
  for (const auto& [n, v] : headers) {
    if (n == name) values.push_back(v);
  }
  return absl::StrJoin(values, ", ");
}

Client::Client(Options options) : policy_(std::move(options.policy)) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  multi_ = curl_multi_init();
  curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS,
                    static_cast<long>(options.max_host_connections));
  worker_ = std::thread([this] { Loop(); });
}

Client::~Client() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  curl_multi_wakeup(multi_);
  worker_.join();
  for (auto& [easy, job] : active_) curl_multi_remove_handle(multi_, easy);
  active_.clear();
  curl_multi_cleanup(multi_);
}

void Client::Send(Request request, Done done) {
  auto job = std::make_unique<Job>();
  job->url = request.url;
  job->method = request.method;
  job->params = request.params;
  job->request = std::move(request);
  job->done = std::move(done);
  {
    std::lock_guard lock(mu_);
    pending_.push_back(std::move(job));
  }
  curl_multi_wakeup(multi_);
}

absl::StatusOr<Response> Client::Fetch(Request request) {
  std::promise<absl::StatusOr<Response>> answer;
  std::future<absl::StatusOr<Response>> future = answer.get_future();
  Send(std::move(request),
       [&answer](absl::StatusOr<Response> r) { answer.set_value(std::move(r)); });
  return future.get();
}

void Client::Start(Job& job) {
  if (job.attempt == 0 && job.redirects == 0) {
    job.deadline = absl::Now() + job.request.total_timeout;
  }
  if (job.easy != nullptr) {
    curl_easy_cleanup(job.easy);
    job.easy = nullptr;
  }
  if (job.headers != nullptr) {
    curl_slist_free_all(job.headers);
    job.headers = nullptr;
  }
  job.response = Response{};
  job.too_large = false;
  job.skip_body = false;
  const Request& r = job.request;
  job.wire = webhook::SignRequest(job.url, job.method == Method::kPost, job.params, r.auth_token);

  CURL* easy = curl_easy_init();
  job.easy = easy;
  curl_easy_setopt(easy, CURLOPT_URL, job.wire.url.c_str());
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_USERAGENT, r.user_agent.c_str());
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(r.connect_timeout)));
  int64_t left = std::max<int64_t>(1, absl::ToInt64Milliseconds(job.deadline - absl::Now()));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(left));
  // A body that may be dropped (skip_body_for_type) must not be refused for its announced size.
  if (r.keep_body && r.skip_body_for_type.empty()) {
    curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(r.max_body_bytes));
  }
  if (r.decompress) curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &job);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &job);
  curl_easy_setopt(easy, CURLOPT_PRIVATE, &job);
  if (policy_ != nullptr) {
    job.policy = policy_.get();
    job.refused.clear();
    curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, OpenSocket);
    curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, &job);
  }
  if (!r.auth_token.empty()) {
    job.headers = curl_slist_append(
        job.headers, absl::StrCat(webhook::kSignatureHeader, ": ", job.wire.signature).c_str());
  }
  for (const auto& [name, value] : r.headers) {
    job.headers = curl_slist_append(job.headers, absl::StrCat(name, ": ", value).c_str());
  }
  // No 100-continue round trip; but libcurl 7.88 signs the emptied "Expect:" as a header it then
  // does not send, which breaks SigV4, so a signed request keeps curl's default.
  if (!r.aws_sigv4) job.headers = curl_slist_append(job.headers, "Expect:");
  if (r.aws_sigv4) {
    curl_easy_setopt(easy, CURLOPT_AWS_SIGV4, r.aws_sigv4->provider.c_str());
    curl_easy_setopt(easy, CURLOPT_USERNAME, r.aws_sigv4->access_key.c_str());
    curl_easy_setopt(easy, CURLOPT_PASSWORD, r.aws_sigv4->secret_key.c_str());
  }
  switch (job.method) {
    case Method::kPost:
      job.headers = curl_slist_append(
          job.headers, "Content-Type: application/x-www-form-urlencoded; charset=utf-8");
      curl_easy_setopt(easy, CURLOPT_POST, 1L);
      curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(job.wire.body.size()));
      curl_easy_setopt(easy, CURLOPT_POSTFIELDS, job.wire.body.c_str());
      break;
    case Method::kPut:
      // A body in memory rather than an upload callback, so that the SigV4 payload hash covers it.
      curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, "PUT");
      curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
      curl_easy_setopt(easy, CURLOPT_POSTFIELDS, r.body.data());
      break;
    case Method::kHead: curl_easy_setopt(easy, CURLOPT_NOBODY, 1L); break;
    case Method::kDelete: curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, "DELETE"); break;
    case Method::kGet: curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L); break;
  }
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, job.headers);
  curl_multi_add_handle(multi_, easy);
}

void Client::Loop() {
  while (true) {
    std::deque<std::unique_ptr<Job>> fresh;
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      fresh.swap(pending_);
    }
    for (auto& job : fresh) {
      Job& ref = *job;
      Start(ref);
      active_[ref.easy] = std::move(job);
    }
    int running = 0;
    curl_multi_perform(multi_, &running);
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_, &queued)) {
      if (msg->msg == CURLMSG_DONE) OnTransferDone(msg->easy_handle, msg->data.result);
    }
    curl_multi_poll(multi_, nullptr, 0, 1000, nullptr);
  }
}

void Client::OnTransferDone(void* easy_ptr, int curl_code) {
  CURL* easy = static_cast<CURL*>(easy_ptr);
  curl_multi_remove_handle(multi_, easy);
  auto it = active_.find(easy);
  if (it == active_.end()) return;
  std::unique_ptr<Job> owned = std::move(it->second);
  active_.erase(it);
  Job& job = *owned;
  const Request& r = job.request;
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  double connect_time = 0;
  curl_easy_getinfo(easy, CURLINFO_CONNECT_TIME, &connect_time);
  char* redirect = nullptr;
  curl_easy_getinfo(easy, CURLINFO_REDIRECT_URL, &redirect);

  auto restart = [&] {
    Start(job);
    active_[job.easy] = std::move(owned);
  };
  auto fail = [&](Failure failure, const std::string& detail) {
    job.done(FailureStatus(failure, r, job.url, detail));
  };

  const auto code = static_cast<CURLcode>(curl_code);
  if (code != CURLE_OK && !job.refused.empty()) {  // never retried: the answer would not change
    return fail(Failure::kConnect, absl::StrCat("refused by the fetch policy: ", job.refused));
  }
  if (code != CURLE_OK) {
    const bool too_large = job.too_large || (code == CURLE_FILESIZE_EXCEEDED && r.keep_body);
    bool connect_failed =
        code == CURLE_COULDNT_CONNECT || (code == CURLE_OPERATION_TIMEDOUT && connect_time == 0);
    if (!too_large && connect_failed && job.attempt + 1 < r.connect_attempts &&
        absl::Now() < job.deadline) {
      ++job.attempt;
      return restart();
    }
    if (too_large) {
      return fail(Failure::kTooLarge,
                  absl::StrCat("the answer is over the ", r.max_body_bytes, "-byte limit"));
    }
    if (code == CURLE_OPERATION_TIMEDOUT) {
      return fail(Failure::kTimeout,
                  absl::StrCat("timed out after ", absl::FormatDuration(r.total_timeout)));
    }
    return fail(Classify(code), curl_easy_strerror(code));
  }
  if (status >= 300 && status < 400 && redirect != nullptr && r.max_redirects > 0) {
    if (job.redirects >= r.max_redirects) {
      return fail(Failure::kTooManyRedirects,
                  absl::StrCat("more than ", r.max_redirects, " redirects"));
    }
    ++job.redirects;
    job.url = redirect;
    // 301/302/303 turn into a GET of the new URL, as browsers and Twilio do; 307/308 repeat
    // the same method and parameters.
    if (status != 307 && status != 308) {
      job.method = Method::kGet;
      job.params.clear();
    }
    return restart();
  }
  job.response.status = static_cast<int>(status);
  job.response.url = job.url;
  job.done(std::move(job.response));
}

}  // namespace dialtone::http
