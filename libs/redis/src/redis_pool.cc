// RedisPool: hiredis connections, reply copying, NOSCRIPT recovery.
#include "dialtone/redis/redis_pool.h"

#include <hiredis/hiredis.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace dialtone::redis {

struct RedisPool::Conn {
  redisContext* ctx = nullptr;
  ~Conn() {
    if (ctx != nullptr) redisFree(ctx);
  }
};

namespace {

RedisReply Copy(const redisReply* r) {
  RedisReply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::kString;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::kStatus;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::kInteger;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::kArray;
      for (size_t i = 0; i < r->elements; ++i) out.elements.push_back(Copy(r->element[i]));
      break;
    default: out.type = RedisReply::Type::kNil;
  }
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RedisPool>> RedisPool::Create(Options options) {
  auto endpoint = ParseRedisUrl(options.url);
  if (!endpoint.ok()) return endpoint.status();
  return std::unique_ptr<RedisPool>(new RedisPool(std::move(options), *endpoint));
}

RedisPool::RedisPool(Options options, RedisEndpoint endpoint)
    : options_(std::move(options)), endpoint_(std::move(endpoint)) {}

RedisPool::~RedisPool() = default;

int RedisPool::open_connections() const {
  std::lock_guard lock(mu_);
  return open_;
}

absl::StatusOr<std::unique_ptr<RedisPool::Conn>> RedisPool::Connect() {
  auto conn = std::make_unique<Conn>();
  conn->ctx = redisConnectWithTimeout(endpoint_.host.c_str(), endpoint_.port,
                                      absl::ToTimeval(options_.connect_timeout));
  if (conn->ctx == nullptr) return absl::UnavailableError("cannot allocate a Redis context");
  if (conn->ctx->err != 0) {
    return absl::UnavailableError(absl::StrCat("cannot connect to Redis at ", endpoint_.host, ":",
                                               endpoint_.port, ": ", conn->ctx->errstr));
  }
  redisSetTimeout(conn->ctx, absl::ToTimeval(options_.command_timeout));
  bool broken = false;
  if (!endpoint_.password.empty()) {
    std::vector<std::string> auth = {"AUTH"};
    if (!endpoint_.username.empty()) auth.push_back(endpoint_.username);
    auth.push_back(endpoint_.password);
    auto r = RunOn(*conn, auth, broken);
    if (!r.ok()) return absl::UnavailableError(absl::StrCat("Redis AUTH: ", r.status().message()));
  }
  if (endpoint_.db != 0) {
    auto r = RunOn(*conn, {"SELECT", std::to_string(endpoint_.db)}, broken);
    if (!r.ok())
      return absl::UnavailableError(absl::StrCat("Redis SELECT: ", r.status().message()));
  }
  return conn;
}

std::unique_ptr<RedisPool::Conn> RedisPool::Acquire(absl::Status& status) {
  {
    std::unique_lock lock(mu_);
    bool ready = cv_.wait_for(lock, absl::ToChronoMilliseconds(options_.acquire_timeout),
                              [&] { return !idle_.empty() || open_ < options_.max_connections; });
    if (!ready) {
      status = absl::ResourceExhaustedError("no Redis connection free in time");
      return nullptr;
    }
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return conn;
    }
    ++open_;
  }
  auto conn = Connect();
  if (!conn.ok()) {
    {
      std::lock_guard lock(mu_);
      --open_;
    }
    cv_.notify_one();
    status = conn.status();
    return nullptr;
  }
  return std::move(*conn);
}

void RedisPool::Release(std::unique_ptr<Conn> conn, bool broken) {
  {
    std::lock_guard lock(mu_);
    if (broken) {
      open_ -= 1 + static_cast<int>(idle_.size());
      idle_.clear();
    } else {
      idle_.push_back(std::move(conn));
    }
  }
  cv_.notify_all();
}

absl::StatusOr<RedisReply> RedisPool::RunOn(Conn& conn, const std::vector<std::string>& args,
                                            bool& broken) {
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  argv.reserve(args.size());
  lens.reserve(args.size());
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  void* raw = redisCommandArgv(conn.ctx, static_cast<int>(args.size()), argv.data(), lens.data());
  if (raw == nullptr) {
    broken = true;
    return absl::UnavailableError(absl::StrCat("Redis connection lost: ", conn.ctx->errstr));
  }
  auto* reply = static_cast<redisReply*>(raw);
  absl::StatusOr<RedisReply> result;
  if (reply->type == REDIS_REPLY_ERROR) {
    result = absl::FailedPreconditionError(std::string(reply->str, reply->len));
  } else {
    result = Copy(reply);
  }
  freeReplyObject(reply);
  return result;
}

absl::StatusOr<RedisReply> RedisPool::Command(const std::vector<std::string>& args) {
  absl::Status status;
  auto conn = Acquire(status);
  if (!conn) return status;
  bool broken = false;
  auto result = RunOn(*conn, args, broken);
  Release(std::move(conn), broken);
  return result;
}

void RedisPool::LoadScript(const std::string& name, const std::string& source) {
  std::lock_guard lock(mu_);
  scripts_[name] = Script{source, ""};
}

absl::StatusOr<RedisReply> RedisPool::Eval(const std::string& name,
                                           const std::vector<std::string>& keys,
                                           const std::vector<std::string>& args) {
  Script script;
  {
    std::lock_guard lock(mu_);
    auto it = scripts_.find(name);
    if (it == scripts_.end()) {
      return absl::NotFoundError(absl::StrCat("no Redis script registered as ", name));
    }
    script = it->second;
  }
  auto with = [&](std::string verb, std::string code) {
    std::vector<std::string> cmd = {std::move(verb), std::move(code), std::to_string(keys.size())};
    cmd.insert(cmd.end(), keys.begin(), keys.end());
    cmd.insert(cmd.end(), args.begin(), args.end());
    return cmd;
  };
  if (!script.sha.empty()) {
    auto r = Command(with("EVALSHA", script.sha));
    if (r.ok() || !absl::StartsWith(r.status().message(), "NOSCRIPT")) return r;
  }
  // First use, or the server forgot the script (restart, SCRIPT FLUSH): load it again.
  auto loaded = Command({"SCRIPT", "LOAD", script.source});
  if (!loaded.ok()) return loaded.status();
  {
    std::lock_guard lock(mu_);
    scripts_[name].sha = loaded->str;
  }
  return Command(with("EVALSHA", loaded->str));
}

absl::Status RedisPool::Ping() {
  auto r = Command({"PING"});
  if (!r.ok()) return r.status();
  if (r->str != "PONG") return absl::UnavailableError("Redis answered PING with " + r->str);
  return absl::OkStatus();
}

}  // namespace dialtone::redis
