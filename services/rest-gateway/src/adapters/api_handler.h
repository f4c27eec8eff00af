// The public REST API: authenticates each request (HTTP Basic, Account SID + auth token) and
// answers Twilio's 2010-04-01 paths: the Account itself, and the resources of the services
// behind it (call-router's so far); any other path is 404 / 20404.
#pragma once

#include "adapters/account_repository.h"
#include "adapters/call_router_resources.h"
#include "adapters/http_server.h"

namespace dialtone::rest_gateway {

// Stateless apart from the repository; runs on the HTTP server's I/O threads.
class ApiHandler {
 public:
  // `call_router` may be null (then its resources are 404, as unknown paths).
  ApiHandler(AccountRepository& accounts, CallRouterResources* call_router)
      : accounts_(accounts), call_router_(call_router) {}

  HttpServer::Response Handle(const HttpServer::Request& request);

 private:
  AccountRepository& accounts_;
  CallRouterResources* call_router_;
};

}  // namespace dialtone::rest_gateway
