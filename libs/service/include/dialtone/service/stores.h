// Store monitors for the two stores services own: PostgreSQL (with migrations) and Redis.
#pragma once

#include <string>

#include "dialtone/pg/pg_pool.h"
#include "dialtone/redis/redis_pool.h"
#include "dialtone/service/store_monitor.h"

namespace dialtone::service {

// Probes with "select 1"; on first connection applies `migrations_dir`/`component` migrations.
StoreMonitor::Options PostgresStore(pg::PgPool& pool, std::string component,
                                    std::string migrations_dir);

// Probes with PING.
StoreMonitor::Options RedisStore(redis::RedisPool& pool);

}  // namespace dialtone::service
