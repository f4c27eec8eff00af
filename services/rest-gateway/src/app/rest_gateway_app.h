// Composition root of rest-gateway: config -> PostgreSQL -> accounts -> gRPC + REST.
#pragma once

#include "absl/status/status.h"
#include "adapters/account_repository.h"
#include "adapters/accounts_grpc.h"
#include "adapters/api_handler.h"
#include "adapters/http_server.h"
#include "app/config.h"
#include "dialtone/pg/pg_pool.h"
#include "dialtone/service/service_runtime.h"

namespace dialtone::rest_gateway {

// Built once by main(); Run() blocks until SIGTERM/SIGINT.
class RestGatewayApp {
 public:
  explicit RestGatewayApp(Config config);
  absl::Status Run();

 private:
  Config config_;
  pg::PgPool pg_;
  AccountRepository accounts_;
  AccountsGrpc accounts_grpc_;
  CallRouterResources call_router_;
  ApiHandler api_;
  service::ServiceRuntime runtime_;
  std::unique_ptr<HttpServer> http_;
};

}  // namespace dialtone::rest_gateway
