// Composition root of call-router: config -> stores -> handlers -> runtime.
#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "adapters/call_router_grpc.h"
#include "app/config.h"
#include "dialtone/pg/pg_pool.h"
#include "dialtone/service/service_runtime.h"

namespace dialtone::call_router {

// Built once by main(); Run() blocks until SIGTERM/SIGINT.
class CallRouterApp {
 public:
  explicit CallRouterApp(Config config);
  absl::Status Run();

 private:
  Config config_;
  pg::PgPool pg_;
  CallRouterGrpc grpc_;
  service::ServiceRuntime runtime_;
};

}  // namespace dialtone::call_router
