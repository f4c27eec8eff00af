// A pool of Redis connections (hiredis, blocking) with reconnect and Lua script loading.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dialtone/redis/redis_url.h"

struct redisContext;

namespace dialtone::redis {

// A Redis reply copied out of hiredis, so no hiredis pointer outlives a call.
struct RedisReply {
  enum class Type { kNil, kString, kInteger, kArray, kStatus };
  Type type = Type::kNil;
  std::string str;                   // kString and kStatus
  int64_t integer = 0;               // kInteger
  std::vector<RedisReply> elements;  // kArray
};

// Lends connections to callers. A connection that fails with an I/O error is closed, and the
// idle ones with it (the server probably restarted); the next call connects afresh, so a Redis
// restart costs the calls in flight and nothing after. Commands are not retried automatically:
// the caller knows whether its command is idempotent. Scripts registered with LoadScript are
// run by SHA and reloaded transparently when the server has forgotten them (NOSCRIPT), e.g.
// after a restart. Thread-safe.
//
//   RedisPool pool({.url = "redis://127.0.0.1:16379/0"});
//   pool.LoadScript("incr2", "return redis.call('incrby', KEYS[1], 2)");
//   auto r = pool.Eval("incr2", {"{AC..}:n"}, {});
class RedisPool {
 public:
  struct Options {
    std::string url;
    int max_connections = 4;
    absl::Duration connect_timeout = absl::Seconds(2);
    absl::Duration command_timeout = absl::Seconds(5);
    absl::Duration acquire_timeout = absl::Seconds(5);
  };

  // InvalidArgument for a malformed URL.
  static absl::StatusOr<std::unique_ptr<RedisPool>> Create(Options options);
  ~RedisPool();

  // Runs one command. Server errors ("-ERR ...") are FailedPrecondition with the message;
  // connection problems are Unavailable.
  absl::StatusOr<RedisReply> Command(const std::vector<std::string>& args);

  // Registers a Lua script under `name`; it is sent to the server on first use.
  void LoadScript(const std::string& name, const std::string& source);
  // EVALSHA of a registered script, loading it when the server does not know it.
  absl::StatusOr<RedisReply> Eval(const std::string& name, const std::vector<std::string>& keys,
                                  const std::vector<std::string>& args);

  absl::Status Ping();
  int open_connections() const;

 private:
  struct Conn;
  RedisPool(Options options, RedisEndpoint endpoint);
  std::unique_ptr<Conn> Acquire(absl::Status& status);
  void Release(std::unique_ptr<Conn> conn, bool broken);
  absl::StatusOr<std::unique_ptr<Conn>> Connect();
  absl::StatusOr<RedisReply> RunOn(Conn& conn, const std::vector<std::string>& args, bool& broken);

  Options options_;
  RedisEndpoint endpoint_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> idle_;
  int open_ = 0;
  struct Script {
    std::string source;
    std::string sha;
  };
  std::map<std::string, Script> scripts_ ABSL_GUARDED_BY(mu_);
};

}  // namespace dialtone::redis
