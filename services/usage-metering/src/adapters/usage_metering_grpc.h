// gRPC UsageMetering handler: validation and proto <-> domain mapping around the counter store,
// the usage query and the trigger pusher.
#pragma once

#include <atomic>

#include "adapters/redis_counter_store.h"
#include "adapters/trigger_pusher.h"
#include "adapters/usage_metrics.h"
#include "adapters/usage_query.h"
#include "dialtone/usage/v1/usage_metering.grpc.pb.h"

namespace dialtone::usage_metering {

// Runs on gRPC's server threads; holds no state of its own.
class UsageMeteringGrpc final : public dialtone::usage::v1::UsageMetering::Service {
 public:
  struct Deps {
    RedisCounterStore& store;
    UsageQuery& query;
    UsageMetrics* metrics = nullptr;  // optional
    usage::Clock clock;
  };
  explicit UsageMeteringGrpc(Deps deps) : deps_(std::move(deps)) {}

  // Set after the runtime has started (the pusher owns a thread, which must not exist before
  // the runtime blocks signals). Null: no pushes.
  void SetPusher(TriggerPusher* pusher) { pusher_.store(pusher); }

  // Validates every event first (one bad event fails the batch with INVALID_ARGUMENT naming
  // it), then runs one script per account. OK means every event is counted.
  grpc::Status PublishUsage(grpc::ServerContext*, const usage::v1::PublishUsageRequest*,
                            usage::v1::PublishUsageResponse*) override;
  grpc::Status QueryUsage(grpc::ServerContext*, const usage::v1::QueryUsageRequest*,
                          usage::v1::QueryUsageResponse*) override;
  grpc::Status GetCounters(grpc::ServerContext*, const usage::v1::GetCountersRequest*,
                           usage::v1::GetCountersResponse*) override;
  grpc::Status ListCategories(grpc::ServerContext*, const usage::v1::ListCategoriesRequest*,
                              usage::v1::ListCategoriesResponse*) override;

 private:
  Deps deps_;
  std::atomic<TriggerPusher*> pusher_{nullptr};
};

}  // namespace dialtone::usage_metering
