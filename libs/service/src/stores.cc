// PostgresStore / RedisStore: probe and on-connect steps for StoreMonitor.
#include "dialtone/service/stores.h"

#include <filesystem>

#include "dialtone/log/log.h"
#include "dialtone/pg/migration_runner.h"

namespace dialtone::service {

StoreMonitor::Options PostgresStore(pg::PgPool& pool, std::string component,
                                    std::string migrations_dir) {
  StoreMonitor::Options o;
  o.name = "postgresql";
  o.probe = [&pool] { return pool.Ping(); };
  o.on_connect = [&pool, component, migrations_dir]() -> absl::Status {
    auto migrations = pg::LoadMigrations(std::filesystem::path(migrations_dir) / component);
    if (!migrations.ok()) return migrations.status();
    auto applied = pg::MigrationRunner(pool, component, *migrations).Apply();
    if (!applied.ok()) return applied.status();
    log::Info("migrations applied", {{"component", component},
                                     {"applied", *applied},
                                     {"known", static_cast<int>(migrations->size())}});
    return absl::OkStatus();
  };
  return o;
}

StoreMonitor::Options RedisStore(redis::RedisPool& pool) {
  StoreMonitor::Options o;
  o.name = "redis";
  o.probe = [&pool] { return pool.Ping(); };
  return o;
}

}  // namespace dialtone::service
