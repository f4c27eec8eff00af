// PrepareAppRequest and FetchErrorCode.
#include "calls/app_request.h"

#include <curl/curl.h>

#include "dialtone/webhook/form_encoding.h"
#include "dialtone/webhook/signature.h"

namespace dialtone::call_router {

PreparedRequest PrepareAppRequest(std::string_view url, HttpMethod method, const AppParams& params,
                                  std::string_view auth_token) {
  PreparedRequest out;
  out.post = method == HttpMethod::kPost;
  std::string token(auth_token);
  if (out.post) {
    out.url = std::string(url);
    out.body = webhook::FormEncode(params);
    out.signature = webhook::ComputeTwilioSignature(token, out.url, params);
  } else {
    out.url = std::string(url);
    if (!params.empty()) {
      std::string_view before_fragment = url.substr(0, url.find('#'));
      out.url = std::string(before_fragment);
      out.url += before_fragment.find('?') == std::string_view::npos ? '?' : '&';
      out.url += webhook::FormEncode(params);
    }
    out.signature = webhook::ComputeTwilioSignature(token, out.url, {});
  }
  return out;
}

int FetchErrorCode(int transport_error, long http_status) {
  switch (transport_error) {
    case CURLE_OK: return http_status >= 200 && http_status < 300 ? 0 : kErrorHttpRetrieval;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_URL_MALFORMAT: return kErrorHttpBadHost;
    case CURLE_TOO_MANY_REDIRECTS: return kErrorHttpTooManyRedirects;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE: return kErrorHttpTls;
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_UNSUPPORTED_PROTOCOL: return kErrorHttpProtocol;
    default: return kErrorHttpConnection;
  }
}

}  // namespace dialtone::call_router
