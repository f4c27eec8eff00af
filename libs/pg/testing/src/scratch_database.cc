// CreateScratchDatabase / CreateMigratedDatabase.
#include "dialtone/pg/testing/scratch_database.h"

#include <pqxx/pqxx>
#include <stdexcept>

#include "dialtone/pg/migration_runner.h"
#include "dialtone/pg/pg_pool.h"
#include "dialtone/testing/test_env.h"

namespace dialtone::pg::testing {

std::string CreateScratchDatabase(const std::string& prefix) {
  std::string admin_url = dialtone::testing::RequireEnv("DIALTONE_TEST_PG_URL");
  std::string name = prefix + dialtone::testing::RandomSuffix();
  PgPool admin({.url = admin_url});
  absl::Status s = admin.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    tx.exec("create database " + name);
    return absl::OkStatus();
  });
  if (!s.ok()) throw std::runtime_error(s.ToString());
  return dialtone::testing::WithDatabase(admin_url, name);
}

std::string CreateMigratedDatabase(const std::string& prefix, const std::string& sql_dir,
                                   const std::string& component) {
  std::string url = CreateScratchDatabase(prefix);
  PgPool pool({.url = url});
  auto migrations = LoadMigrations(sql_dir + "/" + component);
  if (!migrations.ok()) throw std::runtime_error(migrations.status().ToString());
  auto applied = MigrationRunner(pool, component, *migrations).Apply();
  if (!applied.ok()) throw std::runtime_error(applied.status().ToString());
  return url;
}

}  // namespace dialtone::pg::testing
