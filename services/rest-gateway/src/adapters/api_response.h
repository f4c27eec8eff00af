// Building REST responses: bodies in the format the path asked for, Twilio errors, and the
// mapping of a gRPC error from a backing service to Twilio's status and code.
#pragma once

#include <string>

#include <boost/json/object.hpp>
#include <grpcpp/support/status.h>

#include "dialtone/web/http_server.h"
#include "domain/api_error.h"
#include "domain/api_route.h"

namespace dialtone::rest_gateway {

web::HttpServer::Response Reply(int status, ResponseFormat format, std::string body);
web::HttpServer::Response ErrorReply(const ApiError& error, ResponseFormat format);
// JSON as is, or <TwilioResponse><root>…</root></TwilioResponse>.
web::HttpServer::Response ResourceReply(int status, ResponseFormat format, const std::string& root,
                                   const boost::json::object& resource);
web::HttpServer::Response NoContent();

// NOT_FOUND -> 404/20404; INVALID_ARGUMENT/ALREADY_EXISTS/FAILED_PRECONDITION -> 400 with the
// carried Twilio code (20001 when none); UNAVAILABLE/DEADLINE_EXCEEDED/UNIMPLEMENTED -> 503/20503.
ApiError ApiErrorFromGrpc(const grpc::Status& status, const std::string& path);

}  // namespace dialtone::rest_gateway
