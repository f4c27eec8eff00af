// UsageMeteringApp wiring.
#include "app/usage_metering_app.h"

#include "dialtone/service/stores.h"

namespace dialtone::usage_metering {

absl::StatusOr<std::unique_ptr<UsageMeteringApp>> UsageMeteringApp::Create(Config config) {
  auto redis = redis::RedisPool::Create({.url = config.redis_url});
  if (!redis.ok()) return redis.status();
  return std::unique_ptr<UsageMeteringApp>(
      new UsageMeteringApp(std::move(config), std::move(*redis)));
}

UsageMeteringApp::UsageMeteringApp(Config config, std::unique_ptr<redis::RedisPool> redis)
    : config_(std::move(config)),
      redis_(std::move(redis)),
      pg_({.url = config_.pg_url}),
      runtime_("usage-metering", "dialtone.usage.v1.UsageMetering", config_.common) {
  runtime_.AddGrpcService(&grpc_);
  runtime_.AddStore(service::RedisStore(*redis_));
  runtime_.AddStore(service::PostgresStore(pg_, "usage-metering", config_.migrations_dir));
}

absl::Status UsageMeteringApp::Run() {
  if (auto s = runtime_.Start(); !s.ok()) return s;
  runtime_.WaitForSignal();
  return absl::OkStatus();
}

}  // namespace dialtone::usage_metering
