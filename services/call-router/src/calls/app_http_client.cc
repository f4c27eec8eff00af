// AppHttpClient: the per-request state machine (attempts, redirects, fallback) on curl multi.
#include "calls/app_http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>

#include "absl/strings/str_cat.h"
#include "calls/twiml_names.h"
#include "dialtone/webhook/signed_request.h"

namespace dialtone::call_router {

struct AppHttpClient::Job {
  bool is_document = true;
  DocumentRequest request;  // for callbacks: url/method/params/token only
  std::function<void(DocumentResult)> on_document;
  std::function<void(absl::Status)> on_callback;

  // Current target.
  std::string url;
  HttpMethod method = HttpMethod::kPost;
  AppParams params;
  bool in_fallback = false;
  int primary_error = 0;
  int attempt = 0;
  int redirects = 0;
  absl::Time deadline;

  // Current transfer.
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  webhook::SignedRequest prepared;
  std::string body;
  std::string content_type;
  std::string location;
  bool too_large = false;
  bool skip_body = false;  // audio documents: the URL is played, the bytes are not needed
  size_t max_body = 0;

  ~Job() {
    if (headers != nullptr) curl_slist_free_all(headers);
    if (easy != nullptr) curl_easy_cleanup(easy);
  }
};

namespace {

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* job = static_cast<AppHttpClient::Job*>(user);
  size_t len = size * n;
  if (job->skip_body) return len;
  if (job->body.size() + len > job->max_body) {
    job->too_large = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  job->body.append(data, len);
  return len;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' ')) s.pop_back();
  size_t start = s.find_first_not_of(' ');
  return start == std::string::npos ? std::string() : s.substr(start);
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* job = static_cast<AppHttpClient::Job*>(user);
  std::string line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {  // a new response (after 100 Continue): reset
    job->content_type.clear();
    job->location.clear();
    return size * n;
  }
  auto colon = line.find(':');
  if (colon == std::string::npos) return size * n;
  std::string name = Lower(line.substr(0, colon));
  std::string value = Trim(line.substr(colon + 1));
  if (name == "content-type") {
    job->content_type = value;
    job->skip_body = job->is_document && Lower(value).rfind("audio/", 0) == 0;
  } else if (name == "location") {
    job->location = value;
  }
  return size * n;
}

absl::Status FetchError(int code, const std::string& url, const std::string& detail) {
  return TwimlError(code, absl::StrCat("request to ", url, " failed: ", detail));
}

}  // namespace

AppHttpClient::AppHttpClient(Options options) : options_(std::move(options)) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  multi_ = curl_multi_init();
  curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, 16L);
  worker_ = std::thread([this] { Loop(); });
}

AppHttpClient::~AppHttpClient() {
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

void AppHttpClient::FetchDocument(DocumentRequest request,
                                  std::function<void(DocumentResult)> done) {
  auto job = std::make_unique<Job>();
  job->url = request.url;
  job->method = request.method;
  job->params = request.params;
  job->request = std::move(request);
  job->on_document = std::move(done);
  Submit(std::move(job));
}

void AppHttpClient::SendCallback(CallbackRequest request, std::function<void(absl::Status)> done) {
  auto job = std::make_unique<Job>();
  job->is_document = false;
  job->url = request.url;
  job->method = request.method;
  job->params = request.params;
  job->request.auth_token = request.auth_token;
  job->on_callback = std::move(done);
  Submit(std::move(job));
}

void AppHttpClient::Submit(std::unique_ptr<Job> job) {
  {
    std::lock_guard lock(mu_);
    pending_.push_back(std::move(job));
  }
  curl_multi_wakeup(multi_);
}

void AppHttpClient::Start(Job& job) {
  if (job.attempt == 0 && job.redirects == 0) {
    job.deadline = absl::Now() + options_.total_timeout;
  }
  if (job.easy != nullptr) {
    curl_easy_cleanup(job.easy);
    job.easy = nullptr;
  }
  if (job.headers != nullptr) {
    curl_slist_free_all(job.headers);
    job.headers = nullptr;
  }
  job.body.clear();
  job.content_type.clear();
  job.location.clear();
  job.too_large = false;
  job.skip_body = false;
  job.max_body = options_.max_body_bytes;
  job.prepared = webhook::SignRequest(job.url, job.method == HttpMethod::kPost, job.params,
                                      job.request.auth_token);

  CURL* easy = curl_easy_init();
  job.easy = easy;
  curl_easy_setopt(easy, CURLOPT_URL, job.prepared.url.c_str());
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(options_.connect_timeout)));
  int64_t left = std::max<int64_t>(1, absl::ToInt64Milliseconds(job.deadline - absl::Now()));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(left));
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &job);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &job);
  curl_easy_setopt(easy, CURLOPT_PRIVATE, &job);
  job.headers =
      curl_slist_append(job.headers, ("X-Twilio-Signature: " + job.prepared.signature).c_str());
  job.headers = curl_slist_append(job.headers, "Accept: text/xml, application/xml, */*");
  job.headers = curl_slist_append(job.headers, "Expect:");  // no 100-continue round trip
  if (job.prepared.post) {
    job.headers = curl_slist_append(
        job.headers, "Content-Type: application/x-www-form-urlencoded; charset=utf-8");
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(job.prepared.body.size()));
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, job.prepared.body.c_str());
  } else {
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  }
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, job.headers);
  curl_multi_add_handle(multi_, easy);
}

void AppHttpClient::Loop() {
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

void AppHttpClient::OnTransferDone(void* easy_ptr, int curl_code) {
  CURL* easy = static_cast<CURL*>(easy_ptr);
  curl_multi_remove_handle(multi_, easy);
  auto it = active_.find(easy);
  if (it == active_.end()) return;
  std::unique_ptr<Job> owned = std::move(it->second);
  active_.erase(it);
  Job& job = *owned;
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  double connect_time = 0;
  curl_easy_getinfo(easy, CURLINFO_CONNECT_TIME, &connect_time);

  bool restart = false;
  if (curl_code == CURLE_WRITE_ERROR && job.too_large) {
    restart = FailOrFallback(
        job, TwimlError(kErrorBodyTooLarge, absl::StrCat("response from ", job.url, " is over ",
                                                         job.max_body, " bytes")));
  } else if (curl_code != CURLE_OK) {
    bool connect_failed = curl_code == CURLE_COULDNT_CONNECT ||
                          (curl_code == CURLE_OPERATION_TIMEDOUT && connect_time == 0);
    if (connect_failed && job.attempt + 1 < options_.connect_attempts &&
        absl::Now() < job.deadline) {
      ++job.attempt;
      restart = true;
    } else {
      restart =
          FailOrFallback(job, FetchError(FetchErrorCode(curl_code, 0), job.url,
                                         curl_easy_strerror(static_cast<CURLcode>(curl_code))));
    }
  } else if (status >= 300 && status < 400 && !job.location.empty()) {
    if (job.redirects >= options_.max_redirects) {
      restart = FailOrFallback(
          job, FetchError(kErrorHttpTooManyRedirects, job.url, "too many redirects"));
    } else {
      ++job.redirects;
      job.url = ResolveUrl(job.prepared.url, job.location);
      // 301/302/303 turn into a GET of the new URL, as browsers and Twilio do; 307/308 repeat
      // the same method and parameters.
      if (status != 307 && status != 308) {
        job.method = HttpMethod::kGet;
        job.params.clear();
      }
      restart = true;
    }
  } else if (status < 200 || status >= 300) {
    restart = FailOrFallback(
        job, FetchError(kErrorHttpRetrieval, job.url, absl::StrCat("HTTP status ", status)));
  } else if (!job.is_document) {
    Finish(job, Program{});
  } else {
    absl::StatusOr<Program> program = ParseTwiml(job.body, job.content_type, job.url);
    if (program.ok()) {
      Finish(job, std::move(program));
    } else {
      restart = FailOrFallback(job, program.status());
    }
  }
  if (restart) {
    Start(job);
    active_[job.easy] = std::move(owned);
  }
}

bool AppHttpClient::FailOrFallback(Job& job, absl::Status error) {
  if (job.is_document && !job.in_fallback && !job.request.fallback_url.empty()) {
    job.in_fallback = true;
    job.primary_error = TwilioErrorCode(error);
    job.url = job.request.fallback_url;
    job.method = job.request.fallback_method;
    job.params = job.request.params;
    job.params.emplace_back("ErrorCode", std::to_string(job.primary_error));
    job.params.emplace_back("ErrorUrl", job.request.url);
    job.attempt = 0;
    job.redirects = 0;  // with attempt == 0: Start gives the fallback a fresh time budget
    return true;
  }
  Finish(job, std::move(error));
  return false;
}

void AppHttpClient::Finish(Job& job, absl::StatusOr<Program> result) {
  if (job.is_document) {
    DocumentResult r;
    r.program = std::move(result);
    r.document_url = job.url;
    r.from_fallback = job.in_fallback;
    r.primary_error_code = job.primary_error;
    if (job.on_document) job.on_document(std::move(r));
  } else if (job.on_callback) {
    job.on_callback(result.status());
  }
}

}  // namespace dialtone::call_router
