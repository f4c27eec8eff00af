// Response helpers.
#include "adapters/api_response.h"

#include <boost/json.hpp>

#include "dialtone/rpc/status.h"
#include "domain/account_representation.h"

namespace dialtone::rest_gateway {

namespace http = boost::beast::http;

web::HttpServer::Response Reply(int status, ResponseFormat format, std::string body) {
  web::HttpServer::Response res{static_cast<http::status>(status), 11};
  res.set(http::field::content_type, format == ResponseFormat::kJson
                                         ? "application/json; charset=utf-8"
                                         : "application/xml; charset=utf-8");
  res.body() = std::move(body);
  return res;
}

web::HttpServer::Response ErrorReply(const ApiError& e, ResponseFormat format) {
  auto res = Reply(e.http_status, format,
                   format == ResponseFormat::kJson ? ApiErrorJson(e) : ApiErrorXml(e));
  if (e.http_status == 401) res.set(http::field::www_authenticate, "Basic realm=\"Twilio API\"");
  return res;
}

web::HttpServer::Response ResourceReply(int status, ResponseFormat format, const std::string& root,
                                   const boost::json::object& resource) {
  return Reply(status, format,
               format == ResponseFormat::kJson ? boost::json::serialize(resource)
                                               : JsonToTwilioXml(root, resource));
}

web::HttpServer::Response NoContent() {
  web::HttpServer::Response res{http::status::no_content, 11};
  return res;
}

ApiError ApiErrorFromGrpc(const grpc::Status& s, const std::string& path) {
  int code = rpc::TwilioCodeOf(s);
  switch (s.error_code()) {
    case grpc::StatusCode::NOT_FOUND:
      return NotFoundError(path);
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
      return {400, code != 0 ? code : 20001, s.error_message()};
    case grpc::StatusCode::UNIMPLEMENTED:
      return {503, 20503, "This operation is not available yet: " + s.error_message()};
    default:
      return {503, 20503, "Service unavailable, try again"};
  }
}

}  // namespace dialtone::rest_gateway
