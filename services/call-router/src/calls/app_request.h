// Requests to a customer's application: their parameters, and the Twilio codes of fetches that
// failed at the HTTP level. (Their signed wire form is webhook::SignRequest.) Pure.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "calls/twiml_names.h"

namespace dialtone::call_router {

using AppParams = std::vector<std::pair<std::string, std::string>>;

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
