// The pool against the real PostgreSQL started by `scripts/dev test`.
#include <catch2/catch.hpp>

#include <pqxx/pqxx>
#include <thread>

#include "dialtone/pg/pg_pool.h"
#include "dialtone/testing/test_env.h"

using dialtone::pg::PgPool;
namespace dt = dialtone::testing;

TEST_CASE("The pool runs queries and reuses its connections") {
  PgPool pool({.url = dt::RequireEnv("DIALTONE_TEST_PG_URL"), .max_connections = 2});
  REQUIRE(pool.Ping().ok());
  int sum = 0;
  for (int i = 0; i < 20; ++i) {
    REQUIRE(pool.Run([&](pqxx::connection& c) {
                  pqxx::work tx(c);
                  sum += tx.exec1("select 1 + " + std::to_string(i))[0].as<int>();
                  tx.commit();
                  return absl::OkStatus();
                })
                .ok());
  }
  CHECK(sum == 20 + 190);
  CHECK(pool.open_connections() == 1);
}

TEST_CASE("The pool never lends more connections than its limit") {
  PgPool pool({.url = dt::RequireEnv("DIALTONE_TEST_PG_URL"), .max_connections = 3});
  std::atomic<int> in_use{0}, peak{0}, ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        auto s = pool.Run([&](pqxx::connection& c) {
          int now = ++in_use;
          int prev = peak.load();
          while (now > prev && !peak.compare_exchange_weak(prev, now)) {
          }
          pqxx::nontransaction tx(c);
          tx.exec("select pg_sleep(0.01)");
          --in_use;
          return absl::OkStatus();
        });
        if (s.ok()) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(ok == 40);
  CHECK(peak <= 3);
  CHECK(pool.open_connections() <= 3);
}

TEST_CASE("SQL errors come back as a Status, not an exception") {
  PgPool pool({.url = dt::RequireEnv("DIALTONE_TEST_PG_URL")});
  absl::Status s = pool.Run([](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec("select * from no_such_table_here");
    return absl::OkStatus();
  });
  CHECK(s.code() == absl::StatusCode::kInternal);
  CHECK(std::string(s.message()).find("42P01") != std::string::npos);
  CHECK(pool.Ping().ok());  // the connection is still usable afterwards
}

TEST_CASE("An unreachable server gives Unavailable quickly") {
  int port = dt::FreePort();
  PgPool pool({.url = "postgresql://dialtone@127.0.0.1:" + std::to_string(port) + "/x",
               .connect_timeout = absl::Seconds(1)});
  auto start = std::chrono::steady_clock::now();
  absl::Status s = pool.Ping();
  CHECK(s.code() == absl::StatusCode::kUnavailable);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(3));
  CHECK(pool.open_connections() == 0);
}

TEST_CASE("A connection killed by the server is replaced on the next call") {
  PgPool pool({.url = dt::RequireEnv("DIALTONE_TEST_PG_URL"), .max_connections = 1});
  int backend = 0;
  REQUIRE(pool.Run([&](pqxx::connection& c) {
                pqxx::nontransaction tx(c);
                backend = tx.exec1("select pg_backend_pid()")[0].as<int>();
                return absl::OkStatus();
              })
              .ok());
  PgPool admin({.url = dt::RequireEnv("DIALTONE_TEST_PG_URL")});
  REQUIRE(admin
              .Run([&](pqxx::connection& c) {
                pqxx::nontransaction tx(c);
                tx.exec("select pg_terminate_backend(" + std::to_string(backend) + ")");
                return absl::OkStatus();
              })
              .ok());
  absl::Status first = pool.Ping();
  CHECK(first.code() == absl::StatusCode::kUnavailable);
  CHECK(pool.Ping().ok());
}
