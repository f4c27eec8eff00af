// The pool against real Redis: the suite's server, and a private one this test restarts.
#include <catch2/catch.hpp>

#include <signal.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "dialtone/redis/redis_pool.h"
#include "dialtone/testing/test_env.h"

using dialtone::redis::RedisPool;
using dialtone::redis::RedisReply;
namespace dt = dialtone::testing;

namespace {

std::unique_ptr<RedisPool> Pool(const std::string& url, int max = 4) {
  auto pool = RedisPool::Create(
      {.url = url, .max_connections = max, .connect_timeout = absl::Milliseconds(500)});
  if (!pool.ok()) throw std::runtime_error(pool.status().ToString());
  return std::move(*pool);
}

// A redis-server of this test's own on a free port, so it can be killed and restarted.
struct PrivateRedis {
  int port = dt::FreePort();
  std::string dir =
      (std::filesystem::temp_directory_path() / ("dt-redis-" + dt::RandomSuffix())).string();
  std::unique_ptr<dt::ChildProcess> proc;
  PrivateRedis() {
    std::filesystem::create_directories(dir);
    Start();
  }
  ~PrivateRedis() {
    proc.reset();
    std::filesystem::remove_all(dir);
  }
  void Start() {
    proc = std::make_unique<dt::ChildProcess>(
        std::vector<std::string>{"redis-server", "--port", std::to_string(port), "--bind",
                                 "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir},
        dir + "/log");
    if (!dt::WaitForPort(port, 5000)) throw std::runtime_error("private redis did not start");
  }
  void Kill() { proc->Stop(SIGKILL); }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port) + "/0"; }
};

}  // namespace

TEST_CASE("Commands round-trip through the pool") {
  auto pool = Pool(dt::RequireEnv("DIALTONE_TEST_REDIS_URL"));
  std::string key = "{ACtest}:pool:" + dt::RandomSuffix();
  REQUIRE(pool->Command({"SET", key, std::string("a\0b", 3)}).ok());
  auto got = pool->Command({"GET", key});
  REQUIRE(got.ok());
  CHECK(got->type == RedisReply::Type::kString);
  CHECK(got->str == std::string("a\0b", 3));  // binary-safe
  auto n = pool->Command({"INCRBY", key + ":n", "5"});
  REQUIRE(n.ok());
  CHECK(n->integer == 5);
  auto missing = pool->Command({"GET", key + ":missing"});
  REQUIRE(missing.ok());
  CHECK(missing->type == RedisReply::Type::kNil);
}

TEST_CASE("Server errors come back as FailedPrecondition with Redis's message") {
  auto pool = Pool(dt::RequireEnv("DIALTONE_TEST_REDIS_URL"));
  auto r = pool->Command({"NOSUCHCOMMAND"});
  CHECK(r.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK(std::string(r.status().message()).find("ERR") != std::string::npos);
  CHECK(pool->Ping().ok());
}

TEST_CASE("Lua scripts load on first use and return their results") {
  auto pool = Pool(dt::RequireEnv("DIALTONE_TEST_REDIS_URL"));
  pool->LoadScript("add", "return redis.call('incrby', KEYS[1], ARGV[1])");
  std::string key = "{ACtest}:lua:" + dt::RandomSuffix();
  CHECK(pool->Eval("add", {key}, {"3"})->integer == 3);
  CHECK(pool->Eval("add", {key}, {"4"})->integer == 7);
  CHECK(absl::IsNotFound(pool->Eval("nope", {}, {}).status()));
}

TEST_CASE("Concurrent callers share at most max_connections") {
  auto pool = Pool(dt::RequireEnv("DIALTONE_TEST_REDIS_URL"), 3);
  std::string key = "{ACtest}:conc:" + dt::RandomSuffix();
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        if (pool->Command({"INCR", key}).ok()) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(ok == 800);
  CHECK(pool->Command({"GET", key})->str == "800");
  CHECK(pool->open_connections() <= 3);
}

TEST_CASE("The pool reconnects after Redis restarts, scripts included") {
  PrivateRedis redis;
  auto pool = Pool(redis.url(), 2);
  pool->LoadScript("echo", "return ARGV[1]");
  REQUIRE(pool->Eval("echo", {}, {"before"})->str == "before");
  REQUIRE(pool->Command({"SET", "k", "v"}).ok());

  redis.Kill();
  auto down = pool->Ping();
  CHECK(down.code() == absl::StatusCode::kUnavailable);

  redis.Start();
  // The first call after the restart may still land on a dead socket; within a second the pool
  // must be healthy again, and the script (forgotten by the new server) must run.
  bool healthy = false;
  for (int i = 0; i < 20 && !healthy; ++i) {
    healthy = pool->Ping().ok();
    if (!healthy) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE(healthy);
  auto after = pool->Eval("echo", {}, {"after"});
  REQUIRE(after.ok());
  CHECK(after->str == "after");
  CHECK(pool->Command({"GET", "k"})->type == RedisReply::Type::kNil);  // data did not persist
}

TEST_CASE("An unreachable Redis gives Unavailable, not a hang") {
  auto pool = Pool("redis://127.0.0.1:" + std::to_string(dt::FreePort()));
  auto start = std::chrono::steady_clock::now();
  CHECK(pool->Ping().code() == absl::StatusCode::kUnavailable);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
}
