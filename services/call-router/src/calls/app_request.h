// How a request to a customer's application is put on the wire: GET parameters in the query,
// POST parameters form-encoded, X-Twilio-Signature over either. Pure (no sockets).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "calls/twiml_names.h"

namespace dialtone::call_router {

using AppParams = std::vector<std::pair<std::string, std::string>>;

struct PreparedRequest {
  std::string url;        // for GET, with the parameters appended to the query
  std::string body;       // for POST, form-encoded
  std::string signature;  // X-Twilio-Signature
  bool post = true;
};

// Example: PrepareAppRequest("https://app/voice", HttpMethod::kPost, {{"CallSid", "CA…"}}, token)
PreparedRequest PrepareAppRequest(std::string_view url, HttpMethod method, const AppParams& params,
                                  std::string_view auth_token);

// Twilio's error code for a fetch that failed at the HTTP level (11200 family). Pure.
//   transport_error: 0 when an HTTP response arrived, else a libcurl CURLcode value.
int FetchErrorCode(int transport_error, long http_status);

// Twilio codes used for transport failures.
inline constexpr int kErrorHttpRetrieval = 11200;   // non-2xx answer
inline constexpr int kErrorHttpConnection = 11205;  // refused, reset or timed out
inline constexpr int kErrorHttpProtocol = 11206;    // not HTTP
inline constexpr int kErrorHttpBadHost = 11210;     // name does not resolve
inline constexpr int kErrorHttpTooManyRedirects = 11215;
inline constexpr int kErrorHttpTls = 11220;

}  // namespace dialtone::call_router
