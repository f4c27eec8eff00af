// Migrations apply once, in order, even when two processes race for them.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>

#include "dialtone/pg/migration_runner.h"
#include "dialtone/pg/testing/scratch_database.h"
#include "dialtone/testing/test_env.h"

namespace fs = std::filesystem;
using dialtone::pg::LoadMigrations;
using dialtone::pg::MigrationRunner;
using dialtone::pg::PgPool;
namespace dt = dialtone::testing;

namespace {

// A fresh database per test, so runs never see each other's tables.
std::string ScratchDatabase() { return dialtone::pg::testing::CreateScratchDatabase("mig_"); }

fs::path MigrationDir(const std::vector<std::pair<std::string, std::string>>& files) {
  fs::path dir = fs::temp_directory_path() / ("dialtone-mig-" + dt::RandomSuffix());
  fs::create_directories(dir);
  for (const auto& [name, sql] : files) std::ofstream(dir / name) << sql;
  return dir;
}

long long Count(PgPool& pool, const std::string& sql) {
  long long n = -1;
  auto s = pool.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    n = tx.exec1(sql)[0].as<long long>();
    return absl::OkStatus();
  });
  if (!s.ok()) throw std::runtime_error(s.ToString());
  return n;
}

}  // namespace

TEST_CASE("Pending migrations apply in order and only once") {
  PgPool pool({.url = ScratchDatabase()});
  fs::path dir = MigrationDir({{"0001_items.sql", "create table items (id int primary key);"},
                               {"0002_seed.sql", "insert into items values (1), (2);"}});
  auto ms = LoadMigrations(dir);
  REQUIRE(ms.ok());
  MigrationRunner runner(pool, "test", *ms);
  auto first = runner.Apply();
  REQUIRE(first.ok());
  CHECK(*first == 2);
  auto second = runner.Apply();
  REQUIRE(second.ok());
  CHECK(*second == 0);
  CHECK(Count(pool, "select count(*) from items") == 2);
  CHECK(Count(pool, "select count(*) from dialtone_schema_migrations where component = 'test'") ==
        2);

  // A new file later applies alone.
  std::ofstream(dir / "0003_more.sql") << "insert into items values (3);";
  auto more = MigrationRunner(pool, "test", *LoadMigrations(dir)).Apply();
  REQUIRE(more.ok());
  CHECK(*more == 1);
  CHECK(Count(pool, "select count(*) from items") == 3);
  fs::remove_all(dir);
}

TEST_CASE("A failing migration stops the run and is not recorded") {
  PgPool pool({.url = ScratchDatabase()});
  fs::path dir = MigrationDir({{"0001_ok.sql", "create table a (id int);"},
                               {"0002_bad.sql", "create table b (id nonsense_type);"}});
  auto result = MigrationRunner(pool, "test", *LoadMigrations(dir)).Apply();
  CHECK_FALSE(result.ok());
  CHECK(Count(pool, "select count(*) from dialtone_schema_migrations") == 1);
  CHECK(Count(pool, "select count(*) from information_schema.tables where table_name = 'b'") == 0);
  fs::remove_all(dir);
}

TEST_CASE("A migration edited after it was applied is refused") {
  PgPool pool({.url = ScratchDatabase()});
  fs::path dir = MigrationDir({{"0001_a.sql", "create table a (id int);"}});
  REQUIRE(MigrationRunner(pool, "test", *LoadMigrations(dir)).Apply().ok());
  std::ofstream(dir / "0001_a.sql") << "create table a (id bigint);";
  auto result = MigrationRunner(pool, "test", *LoadMigrations(dir)).Apply();
  CHECK(absl::IsFailedPrecondition(result.status()));
  fs::remove_all(dir);
}

TEST_CASE("Two processes racing apply each migration exactly once") {
  std::string url = ScratchDatabase();
  // The migration is slow and not idempotent: a second application would fail on the insert
  // into the primary key, and a missing lock would make both processes run it.
  fs::path dir = MigrationDir({{"0001_slow.sql",
                                "create table once (id int primary key); select pg_sleep(0.5); "
                                "insert into once values (1);"},
                               {"0002_next.sql", "insert into once values (2);"}});
  auto ms = LoadMigrations(dir);
  REQUIRE(ms.ok());

  std::vector<pid_t> children;
  int pipes[2][2];
  for (int i = 0; i < 2; ++i) {
    REQUIRE(pipe(pipes[i]) == 0);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      close(pipes[i][0]);
      PgPool pool({.url = url});
      auto applied = MigrationRunner(pool, "race", *ms).Apply();
      int code = applied.ok() ? *applied : 100;
      ssize_t w = write(pipes[i][1], &code, sizeof(code));
      _exit(w == sizeof(code) ? 0 : 1);
    }
    close(pipes[i][1]);
    children.push_back(pid);
  }
  int total_applied = 0;
  for (int i = 0; i < 2; ++i) {
    int code = -1;
    REQUIRE(read(pipes[i][0], &code, sizeof(code)) == sizeof(code));
    close(pipes[i][0]);
    int status = 0;
    waitpid(children[i], &status, 0);
    CHECK(WIFEXITED(status));
    CHECK(code != 100);  // neither process failed
    total_applied += code;
  }
  CHECK(total_applied == 2);  // both migrations, each applied by exactly one process
  PgPool pool({.url = url});
  CHECK(Count(pool, "select count(*) from once") == 2);
  CHECK(Count(pool, "select count(*) from dialtone_schema_migrations where component = 'race'") ==
        2);
  fs::remove_all(dir);
}
