// Composition root of usage-metering: config -> Redis + PostgreSQL -> handlers -> runtime.
#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "adapters/usage_metering_grpc.h"
#include "app/config.h"
#include "dialtone/pg/pg_pool.h"
#include "dialtone/redis/redis_pool.h"
#include "dialtone/service/service_runtime.h"

namespace dialtone::usage_metering {

// Built once by main(); Run() blocks until SIGTERM/SIGINT.
class UsageMeteringApp {
 public:
  static absl::StatusOr<std::unique_ptr<UsageMeteringApp>> Create(Config config);
  absl::Status Run();

 private:
  UsageMeteringApp(Config config, std::unique_ptr<redis::RedisPool> redis);

  Config config_;
  std::unique_ptr<redis::RedisPool> redis_;
  pg::PgPool pg_;
  UsageMeteringGrpc grpc_;
  service::ServiceRuntime runtime_;
};

}  // namespace dialtone::usage_metering
