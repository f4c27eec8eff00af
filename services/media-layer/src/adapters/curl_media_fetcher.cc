// CurlMediaFetcher: one easy handle per fetch, a shared DNS/connection cache.
#include <curl/curl.h>

#include <mutex>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "adapters/media_fetcher.h"
#include "domain/media_error.h"

namespace dialtone::media_layer {
namespace {

struct Transfer {
  FetchResponse response;
  int64_t max_bytes = 0;
  bool too_large = false;
};

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t len = size * n;
  if (static_cast<int64_t>(t->response.body.size() + len) > t->max_bytes) {
    t->too_large = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  t->response.body.append(data, len);
  return len;
}

// Headers arrive for every response of a redirect chain; a status line starts a new one.
size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  absl::string_view line(data, size * n);
  if (absl::StartsWith(line, "HTTP/")) {
    t->response.cache = {};
    return size * n;
  }
  auto colon = line.find(':');
  if (colon == absl::string_view::npos) return size * n;
  std::string name = absl::AsciiStrToLower(line.substr(0, colon));
  std::string value(absl::StripAsciiWhitespace(line.substr(colon + 1)));
  CacheHeaders& c = t->response.cache;
  if (name == "cache-control")
    c.cache_control = c.cache_control.empty() ? value : absl::StrCat(c.cache_control, ", ", value);
  if (name == "expires") c.expires = value;
  if (name == "date") c.date = value;
  if (name == "age") c.age = value;
  if (name == "etag") c.etag = value;
  if (name == "last-modified") c.last_modified = value;
  return size * n;
}

absl::Status Error(int code, const std::string& url, const std::string& why) {
  return MediaError(code == kErrorInvalidUrl ? absl::StatusCode::kInvalidArgument
                                             : absl::StatusCode::kFailedPrecondition,
                    code, absl::StrCat("cannot fetch ", url, ": ", why));
}

}  // namespace

struct CurlMediaFetcher::Shared {
  CURLSH* share = nullptr;
  std::mutex locks[CURL_LOCK_DATA_LAST];
  static void Lock(CURL*, curl_lock_data d, curl_lock_access, void* p) {
    static_cast<Shared*>(p)->locks[d].lock();
  }
  static void Unlock(CURL*, curl_lock_data d, void* p) {
    static_cast<Shared*>(p)->locks[d].unlock();
  }
};

CurlMediaFetcher::CurlMediaFetcher(Options options) : options_(options), shared_(new Shared) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  shared_->share = curl_share_init();
  curl_share_setopt(shared_->share, CURLSHOPT_LOCKFUNC, &Shared::Lock);
  curl_share_setopt(shared_->share, CURLSHOPT_UNLOCKFUNC, &Shared::Unlock);
  curl_share_setopt(shared_->share, CURLSHOPT_USERDATA, shared_);
  curl_share_setopt(shared_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(shared_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
}

CurlMediaFetcher::~CurlMediaFetcher() {
  curl_share_cleanup(shared_->share);
  delete shared_;
}

absl::StatusOr<FetchResponse> CurlMediaFetcher::Fetch(const FetchRequest& req) {
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return absl::ResourceExhaustedError("curl_easy_init failed");
  Transfer t;
  t.max_bytes = options_.max_bytes;
  curl_slist* headers = nullptr;
  if (!req.if_none_match.empty()) {
    headers = curl_slist_append(headers, ("If-None-Match: " + req.if_none_match).c_str());
  }
  if (!req.if_modified_since.empty()) {
    headers = curl_slist_append(headers, ("If-Modified-Since: " + req.if_modified_since).c_str());
  }
  curl_easy_setopt(curl, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, static_cast<long>(options_.max_redirects));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(options_.timeout)));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(options_.connect_timeout)));
  curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_bytes));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "Dialtone-MediaLayer/1.0");
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_SHARE, shared_->share);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
  CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  char* ctype = nullptr;
  curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &ctype);
  if (ctype != nullptr) t.response.content_type = ctype;
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);

  const std::string& url = req.url;
  if (t.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
    return Error(kErrorHttpRetrieval, url,
                 absl::StrCat("the media is larger than the ", options_.max_bytes, "-byte limit"));
  }
  switch (rc) {
    case CURLE_OK: break;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL: return Error(kErrorInvalidUrl, url, curl_easy_strerror(rc));
    case CURLE_COULDNT_RESOLVE_HOST: return Error(kErrorHttpBadHost, url, curl_easy_strerror(rc));
    case CURLE_COULDNT_CONNECT: return Error(kErrorHttpConnection, url, curl_easy_strerror(rc));
    case CURLE_TOO_MANY_REDIRECTS:
      return Error(kErrorTooManyRedirects, url, curl_easy_strerror(rc));
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
      return Error(kErrorSslHandshake, url, curl_easy_strerror(rc));
    case CURLE_OPERATION_TIMEDOUT:
      return Error(kErrorHttpRetrieval, url,
                   absl::StrCat("timed out after ", absl::FormatDuration(options_.timeout)));
    default: return Error(kErrorHttpRetrieval, url, curl_easy_strerror(rc));
  }
  if (status != 200 && status != 304) {
    return Error(kErrorHttpRetrieval, url, absl::StrCat("the origin answered HTTP ", status));
  }
  t.response.status = static_cast<int>(status);
  return std::move(t.response);
}

}  // namespace dialtone::media_layer
