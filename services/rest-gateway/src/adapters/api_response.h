// Building REST responses: bodies in the format the path asked for, Twilio errors, and the
// mapping of a gRPC error from a backing service to Twilio's status and code.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <grpcpp/support/status.h>
#include <boost/json/object.hpp>

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

// Which page a list request asked for.
struct PageSpec {
  int page = 0;
  int page_size = 50;
  std::string page_token;
};

// Twilio's paging envelope ({key: items, page, page_size, start, end, uri, first_page_uri,
// next_page_uri, previous_page_uri}); `filters` (the request's query, paging parameters
// dropped) are repeated in every page URI. previous_page_uri is null: tokens go forward only.
boost::json::object PageEnvelope(const std::string& list_path, const std::string& key,
                                 boost::json::array items,
                                 const std::vector<std::pair<std::string, std::string>>& filters,
                                 const PageSpec& page, const std::string& next_token);
// The envelope as JSON, or as <TwilioResponse><Root><Item>…</Item>…</Root></TwilioResponse>.
web::HttpServer::Response ListReply(ResponseFormat format, const std::string& key,
                                    const std::string& root, const std::string& item_root,
                                    boost::json::object envelope);

// NOT_FOUND -> 404/20404; INVALID_ARGUMENT/ALREADY_EXISTS/FAILED_PRECONDITION -> 400 with the
// carried Twilio code (20001 when none); UNAVAILABLE/DEADLINE_EXCEEDED/UNIMPLEMENTED -> 503/20503.
ApiError ApiErrorFromGrpc(const grpc::Status& status, const std::string& path);

}  // namespace dialtone::rest_gateway
