// ApiError rendering.
#include "domain/api_error.h"

#include <boost/json.hpp>

#include "domain/xml_text.h"

namespace dialtone::rest_gateway {
namespace {
std::string MoreInfo(int code) {
  return "https://www.twilio.com/docs/errors/" + std::to_string(code);
}
}  // namespace

ApiError NotFoundError(const std::string& path) {
  return {404, 20404, "The requested resource " + path + " was not found"};
}

ApiError AuthenticationError() { return {401, 20003, "Authenticate"}; }

ApiError MethodNotAllowedError() { return {405, 20004, "Method not allowed"}; }

std::string ApiErrorJson(const ApiError& e) {
  boost::json::object o;
  o["code"] = e.code;
  o["message"] = e.message;
  o["more_info"] = MoreInfo(e.code);
  o["status"] = e.http_status;
  return boost::json::serialize(o);
}

std::string ApiErrorXml(const ApiError& e) {
  return "<?xml version='1.0' encoding='UTF-8'?>\n<TwilioResponse><RestException><Code>" +
         std::to_string(e.code) + "</Code><Message>" + XmlText(e.message) + "</Message><MoreInfo>" +
         MoreInfo(e.code) + "</MoreInfo><Status>" + std::to_string(e.http_status) +
         "</Status></RestException></TwilioResponse>";
}

}  // namespace dialtone::rest_gateway
