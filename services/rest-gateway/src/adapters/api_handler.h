// The public REST API: authenticates each request (HTTP Basic, Account SID + auth token) and
// answers Twilio's 2010-04-01 paths. Today: the Account resource; the other resources arrive
// as the services behind them land (404 / 20404 until then, as for any unknown path).
#pragma once

#include "adapters/account_repository.h"
#include "adapters/http_server.h"

namespace dialtone::rest_gateway {

// Stateless apart from the repository; runs on the HTTP server's I/O threads.
class ApiHandler {
 public:
  explicit ApiHandler(AccountRepository& accounts) : accounts_(accounts) {}

  HttpServer::Response Handle(const HttpServer::Request& request);

 private:
  AccountRepository& accounts_;
};

}  // namespace dialtone::rest_gateway
