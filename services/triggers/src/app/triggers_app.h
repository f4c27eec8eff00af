// Composition root of triggers: config -> PostgreSQL -> handlers -> runtime.
#pragma once

#include "absl/status/status.h"
#include "adapters/triggers_grpc.h"
#include "app/config.h"
#include "dialtone/pg/pg_pool.h"
#include "dialtone/service/service_runtime.h"

namespace dialtone::triggers {

// Built once by main(); Run() blocks until SIGTERM/SIGINT.
class TriggersApp {
 public:
  explicit TriggersApp(Config config);
  absl::Status Run();

 private:
  Config config_;
  pg::PgPool pg_;
  TriggersGrpc grpc_;
  service::ServiceRuntime runtime_;
};

}  // namespace dialtone::triggers
