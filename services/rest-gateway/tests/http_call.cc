// Call: curl easy, one request per call.
#include "http_call.h"

#include <curl/curl.h>

#include <stdexcept>

namespace dialtone::rest_gateway::testing {

size_t Collect(char* d, size_t s, size_t n, void* out) {
  static_cast<std::string*>(out)->append(d, s * n);
  return s * n;
}

Reply Call(const std::string& url, const std::string& user, const std::string& password,
           const std::string& post_body, bool post) {
  CURL* c = curl_easy_init();
  Reply r;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  if (!user.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, password.c_str());
  }
  if (post) curl_easy_setopt(c, CURLOPT_POSTFIELDS, post_body.c_str());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
  CURLcode code = curl_easy_perform(c);
  if (code != CURLE_OK) {
    curl_easy_cleanup(c);
    throw std::runtime_error(curl_easy_strerror(code));
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  char* ct = nullptr;
  curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
  if (ct != nullptr) r.content_type = ct;
  curl_easy_cleanup(c);
  return r;
}

}  // namespace dialtone::rest_gateway::testing
