// Twilio's REST error body: {"code", "message", "more_info", "status"} (JSON) or the
// <TwilioResponse><RestException> document (XML). The one place errors take this shape. Pure.
#pragma once

#include <string>

namespace dialtone::rest_gateway {

struct ApiError {
  int http_status = 500;
  int code = 0;  // Twilio error code, e.g. 20404
  std::string message;
};

// Common ones.
ApiError NotFoundError(const std::string& path);  // 404 / 20404
ApiError AuthenticationError();                   // 401 / 20003
ApiError MethodNotAllowedError();                 // 405 / 20004

std::string ApiErrorJson(const ApiError& error);
std::string ApiErrorXml(const ApiError& error);

}  // namespace dialtone::rest_gateway
