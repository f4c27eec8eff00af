// Composition root of usage-metering: config -> Redis + PostgreSQL -> handlers -> runtime.
#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "adapters/redis_counter_store.h"
#include "adapters/roll_up_job.h"
#include "adapters/trigger_pusher.h"
#include "adapters/usage_daily_repository.h"
#include "adapters/usage_metering_grpc.h"
#include "adapters/usage_metrics.h"
#include "adapters/usage_query.h"
#include "app/config.h"
#include "dialtone/pg/pg_pool.h"
#include "dialtone/redis/redis_pool.h"
#include "dialtone/service/service_runtime.h"

namespace dialtone::usage_metering {

// Built once by main(); Run() blocks until SIGTERM/SIGINT. The roll-up job runs on its own
// thread every rollup_interval, and once more at shutdown.
class UsageMeteringApp {
 public:
  static absl::StatusOr<std::unique_ptr<UsageMeteringApp>> Create(Config config);
  absl::Status Run();

 private:
  UsageMeteringApp(Config config, std::unique_ptr<redis::RedisPool> redis);

  Config config_;
  std::unique_ptr<redis::RedisPool> redis_;
  pg::PgPool pg_;
  UsageMetrics metrics_;
  RedisCounterStore store_;
  UsageDailyRepository daily_;
  UsageQuery query_;
  std::unique_ptr<CounterSink> sink_;
  std::unique_ptr<TriggerPusher> pusher_;
  UsageMeteringGrpc grpc_;
  RollUpJob rollup_;
  service::ServiceRuntime runtime_;
};

}  // namespace dialtone::usage_metering
