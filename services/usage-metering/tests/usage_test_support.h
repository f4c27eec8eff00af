// Shared helpers of usage-metering's integration tests: stores from DIALTONE_TEST_*, a scratch
// database with the service's migrations, and event builders.
#pragma once

#include <pqxx/pqxx>

#include <memory>
#include <stdexcept>
#include <string>

#include "adapters/redis_counter_store.h"
#include "adapters/usage_daily_repository.h"
#include "adapters/usage_metering_grpc.h"
#include "adapters/usage_query.h"
#include "dialtone/core/sid.h"
#include "dialtone/core/time_format.h"
#include "dialtone/pg/migration_runner.h"
#include "dialtone/pg/pg_pool.h"
#include "dialtone/pg/testing/scratch_database.h"
#include "dialtone/redis/redis_pool.h"
#include "dialtone/rpc/status.h"
#include "dialtone/testing/test_env.h"

namespace dialtone::usage_metering::test {

namespace dt = dialtone::testing;
namespace pb = dialtone::usage::v1;

inline absl::Time At(const char* iso) { return *core::ParseIso8601(iso); }

inline std::unique_ptr<redis::RedisPool> TestRedis(int connections = 8) {
  auto pool = redis::RedisPool::Create(
      {.url = dt::RequireEnv("DIALTONE_TEST_REDIS_URL"), .max_connections = connections});
  if (!pool.ok()) throw std::runtime_error(pool.status().ToString());
  return std::move(*pool);
}

// A fresh database with deploy/sql/usage-metering applied; returns its URL.
inline std::string ScratchDatabase() {
  return pg::testing::CreateMigratedDatabase("usage_", DIALTONE_DEFAULT_SQL_DIR, "usage-metering");
}

inline pb::UsageEvent Event(const std::string& id, const std::string& account,
                            const std::string& category, absl::Time t, int64_t count = 1,
                            const std::string& usage = "", const std::string& price = "") {
  pb::UsageEvent e;
  e.set_event_id(id);
  e.set_account_sid(account);
  e.set_category(category);
  e.set_count(count);
  e.set_usage(usage);
  e.set_price(price);
  rpc::ToProto(t, e.mutable_time());
  return e;
}

// The service's handler over the test stores, called in-process (no network).
struct Harness {
  explicit Harness(std::string pg_url = "postgresql://dialtone@127.0.0.1:1/none",
                   absl::Time now = absl::Now())
      : redis(TestRedis()),
        pg(pg::PgPool::Options{.url = std::move(pg_url)}),
        store(*redis, {}),
        daily(pg),
        now_(now),
        query(
            store, daily, [this] { return now_; }, 90),
        grpc({.store = store, .query = query, .metrics = nullptr, .clock = [this] {
                return now_;
              }}) {}

  pb::PublishUsageResponse Publish(const std::vector<pb::UsageEvent>& events,
                                   grpc::Status* status = nullptr) {
    pb::PublishUsageRequest req;
    for (const auto& e : events) *req.add_events() = e;
    pb::PublishUsageResponse resp;
    grpc::Status s = grpc.PublishUsage(nullptr, &req, &resp);
    if (status) {
      *status = s;
    } else if (!s.ok()) {
      throw std::runtime_error("PublishUsage: " + s.error_message());
    }
    return resp;
  }

  // period -> "count/usage/price"
  std::map<std::string, std::string> Counters(const std::string& account,
                                              const std::string& category, absl::Time at) {
    pb::GetCountersRequest req;
    req.set_account_sid(account);
    req.set_category(category);
    rpc::ToProto(at, req.mutable_at());
    pb::GetCountersResponse resp;
    grpc::Status s = grpc.GetCounters(nullptr, &req, &resp);
    if (!s.ok()) throw std::runtime_error("GetCounters: " + s.error_message());
    std::map<std::string, std::string> out;
    for (const auto& p : resp.periods()) {
      out[p.period()] = p.count() + "/" + p.usage() + "/" + p.price();
    }
    return out;
  }

  std::unique_ptr<redis::RedisPool> redis;
  pg::PgPool pg;
  RedisCounterStore store;
  UsageDailyRepository daily;
  absl::Time now_;
  UsageQuery query;
  UsageMeteringGrpc grpc;
};

}  // namespace dialtone::usage_metering::test
