// One group of REST resources behind the gateway (e.g. call-router's, usage-metering's).
#pragma once

#include <optional>

#include "dialtone/web/http_server.h"
#include "domain/api_route.h"

namespace dialtone::rest_gateway {

// Runs on the HTTP server's I/O threads; implementations are thread-safe.
class ResourceRoutes {
 public:
  virtual ~ResourceRoutes() = default;
  // The response, or nullopt when `route` names none of this group's resources. The route's
  // account is the authenticated one.
  virtual std::optional<web::HttpServer::Response> Handle(const web::HttpServer::Request& request,
                                                          const ApiRoute& route) = 0;
};

}  // namespace dialtone::rest_gateway
