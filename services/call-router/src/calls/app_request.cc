// FetchErrorCode.
#include "calls/app_request.h"

#include <curl/curl.h>

namespace dialtone::call_router {

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
