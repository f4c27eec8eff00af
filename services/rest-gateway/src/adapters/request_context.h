// One REST request as every resource handler reads it: its route and format, its query and form
// parameters, paging, the deadline of the gRPC calls it makes, and its error replies.
#pragma once

#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/api_response.h"
#include "dialtone/common/v1/common.pb.h"
#include "dialtone/web/http_server.h"
#include "domain/api_error.h"
#include "domain/api_route.h"

namespace dialtone::rest_gateway {

using Params = std::vector<std::pair<std::string, std::string>>;

// The first value of `name` in `params`, or "".
std::string ParamOf(const Params& params, const std::string& name);

// Built once per request on an I/O thread; holds references to the request and the route.
//
//   RequestContext c(req, route);
//   pb::ListCallsRequest in;
//   if (auto e = c.ReadPage(in.mutable_page())) return c.Error(*e);
//   auto s = stub->ListCalls(RequestContext::Deadline().get(), in, &out);
//   if (!s.ok()) return c.Fail(s);
class RequestContext {
 public:
  RequestContext(const web::HttpServer::Request& request, const ApiRoute& route);

  const web::HttpServer::Request& request() const { return request_; }
  const ApiRoute& route() const { return route_; }
  ResponseFormat format() const { return route_.format; }
  const std::string& account() const { return route_.account_sid; }
  // The path without the query, for error messages.
  const std::string& path() const { return path_; }
  // The query's parameters; empty when the query is not valid form encoding (query_ok false).
  const Params& query() const { return query_; }
  bool query_ok() const { return query_ok_; }
  std::string Query(const std::string& name) const { return ParamOf(query_, name); }
  // The form body; nullopt when it is not valid form encoding.
  std::optional<Params> Form() const;
  // "/2010-04-01/Accounts/AC…", the base of the account's resource URIs.
  std::string Base() const;

  // PageSize (1-1000, default 50), Page and PageToken into `page`; Twilio's 400 when invalid.
  std::optional<ApiError> ReadPage(common::v1::PageRequest* page) const;
  // The same, as plain values (for requests that carry them as fields of their own).
  std::optional<ApiError> ReadPage(PageSpec* page) const;

  web::HttpServer::Response Error(const ApiError& error) const;
  // A backing service's error, as Twilio's status and code (ApiErrorFromGrpc).
  web::HttpServer::Response Fail(const grpc::Status& status) const;
  web::HttpServer::Response BadForm() const;

  // The deadline of every gRPC call a resource makes: 10 s.
  static std::unique_ptr<grpc::ClientContext> Deadline();

 private:
  const web::HttpServer::Request& request_;
  const ApiRoute& route_;
  std::string path_;
  Params query_;
  bool query_ok_ = true;
};

// The page a list request asked for, as PageEnvelope wants it.
PageSpec SpecOf(const common::v1::PageRequest& page);

// The base of an account's resource URIs: "/2010-04-01/Accounts/AC…".
std::string AccountBase(const std::string& account_sid);

}  // namespace dialtone::rest_gateway
