// UsageMeteringApp wiring.
#include "app/usage_metering_app.h"

#include "dialtone/service/stores.h"

namespace dialtone::usage_metering {

absl::StatusOr<std::unique_ptr<UsageMeteringApp>> UsageMeteringApp::Create(Config config) {
  if (config.daily_retention < absl::Hours(48)) {
    return absl::InvalidArgumentError("daily_retention must be at least 48h");
  }
  // Scripts of large batches can take a while on a busy server; reads stay quick.
  auto redis = redis::RedisPool::Create({.url = config.redis_url, .max_connections = 16});
  if (!redis.ok()) return redis.status();
  return std::unique_ptr<UsageMeteringApp>(
      new UsageMeteringApp(std::move(config), std::move(*redis)));
}

UsageMeteringApp::UsageMeteringApp(Config config, std::unique_ptr<redis::RedisPool> redis)
    : config_(std::move(config)),
      redis_(std::move(redis)),
      pg_({.url = config_.pg_url}),
      store_(*redis_, {.dedup_retention_seconds = absl::ToInt64Seconds(config_.dedup_retention),
                       .daily_ttl_seconds = absl::ToInt64Seconds(config_.daily_retention)}),
      daily_(pg_),
      query_(
          store_, daily_, [] { return absl::Now(); },
          static_cast<int>(config_.daily_retention / absl::Hours(24))),
      grpc_({.store = store_,
             .query = query_,
             .metrics = &metrics_,
             .clock = [] { return absl::Now(); }}),
      rollup_(store_, daily_, config_.rollup_interval),
      runtime_("usage-metering", "dialtone.usage.v1.UsageMetering", config_.common) {
  runtime_.AddGrpcService(&grpc_);
  runtime_.AddStore(service::RedisStore(*redis_));
  runtime_.AddStore(service::PostgresStore(pg_, "usage-metering", config_.migrations_dir));
  runtime_.OnShutdown([this] {
    rollup_.Stop();
    (void)rollup_.RunOnce();  // best effort; the marks stay for the next process otherwise
  });
}

absl::Status UsageMeteringApp::Run() {
  if (auto s = runtime_.Start(); !s.ok()) return s;
  metrics_.Attach(runtime_.metrics());
  // Threads of ours start only now, after the runtime has blocked SIGTERM/SIGINT.
  if (config_.push_to_triggers) {
    sink_ = MakeGrpcCounterSink(config_.triggers_addr, config_.common.grpc_tls, absl::Seconds(2));
    pusher_ = std::make_unique<TriggerPusher>(
        *sink_, TriggerPusher::Options{.interval = config_.trigger_push_interval}, &metrics_);
    grpc_.SetPusher(pusher_.get());
  }
  rollup_.Start([this](const absl::StatusOr<int>& r) { metrics_.RollUp(r.ok()); });
  runtime_.WaitForSignal();
  return absl::OkStatus();
}

}  // namespace dialtone::usage_metering
