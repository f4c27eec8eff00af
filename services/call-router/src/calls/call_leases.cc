// CallLeases: call ownership in Redis, refreshed by a worker thread.
#include "calls/call_leases.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "dialtone/log/log.h"

namespace dialtone::call_router {
namespace {

constexpr size_t kBatch = 500;  // SIDs per script call

// Every script reads Redis's own clock, so the routers' clocks never decide a lease.
constexpr char kNowMs[] =
    "local t = redis.call('time')\n"
    "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n";

// ARGV: ttl ms, owner value, SIDs...
const std::string kHoldScript = absl::StrCat(kNowMs, R"(
for i = 3, #ARGV do
  redis.call('zadd', KEYS[1], now + tonumber(ARGV[1]), ARGV[i])
  redis.call('hset', KEYS[2], ARGV[i], ARGV[2])
end
return #ARGV - 2)");

// ARGV: router id, SIDs... Only the holder's own leases go (a replica may have claimed one).
constexpr char kReleaseScript[] = R"(
local prefix = ARGV[1] .. '|'
local n = 0
for i = 2, #ARGV do
  local owner = redis.call('hget', KEYS[2], ARGV[i])
  if owner and string.sub(owner, 1, #prefix) == prefix then
    redis.call('zrem', KEYS[1], ARGV[i])
    redis.call('hdel', KEYS[2], ARGV[i])
    n = n + 1
  end
end
return n)";

// ARGV: SID. Returns {owner, expiry} or nil when no live lease.
const std::string kOwnerScript = absl::StrCat(kNowMs, R"(
local expiry = redis.call('zscore', KEYS[1], ARGV[1])
if not expiry or tonumber(expiry) <= now then return nil end
return redis.call('hget', KEYS[2], ARGV[1]))");

// ARGV: max, claim ms, ttl ms. Returns {sid, last alive ms, owner, ...}; each claimed SID's
// lease is pushed to now + claim, so exactly one replica gets it.
const std::string kClaimScript = absl::StrCat(kNowMs, R"(
local due = redis.call('zrangebyscore', KEYS[1], '-inf', now, 'WITHSCORES', 'LIMIT', 0,
                       tonumber(ARGV[1]))
local out = {}
for i = 1, #due, 2 do
  redis.call('zadd', KEYS[1], now + tonumber(ARGV[2]), due[i])
  local owner = redis.call('hget', KEYS[2], due[i]) or ''
  redis.call('hset', KEYS[2], due[i], 'recovering|')
  out[#out + 1] = due[i]
  out[#out + 1] = tostring(tonumber(due[i + 1]) - tonumber(ARGV[3]))
  out[#out + 1] = owner
end
return out)");

constexpr char kForgetScript[] = R"(
redis.call('zrem', KEYS[1], ARGV[1])
redis.call('hdel', KEYS[2], ARGV[1])
return 1)";

}  // namespace

CallLeases::CallLeases(redis::RedisPool& redis, Options options)
    : redis_(redis),
      options_(std::move(options)),
      keys_{options_.key_prefix + ":leases", options_.key_prefix + ":owners"} {
  redis_.LoadScript("lease_hold", kHoldScript);
  redis_.LoadScript("lease_release", kReleaseScript);
  redis_.LoadScript("lease_owner", kOwnerScript);
  redis_.LoadScript("lease_claim", kClaimScript);
  redis_.LoadScript("lease_forget", kForgetScript);
  worker_ = std::thread([this] { Loop(); });
}

CallLeases::~CallLeases() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  worker_.join();
}

void CallLeases::Hold(const std::string& call_sid) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.emplace_back(Op::kHold, call_sid);
    ++queued_;
  }
  cv_.notify_all();
}

void CallLeases::Release(const std::string& call_sid) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.emplace_back(Op::kRelease, call_sid);
    ++queued_;
  }
  cv_.notify_all();
}

bool CallLeases::Flush(absl::Duration timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  const uint64_t target = queued_;
  return cv_.wait_for(lock, absl::ToChronoMilliseconds(timeout),
                      [&] { return done_ >= target || stopping_; });
}

void CallLeases::Loop() {
  const auto refresh_every = absl::ToChronoMilliseconds(options_.ttl / 3);
  auto next_refresh = std::chrono::steady_clock::now() + refresh_every;
  for (;;) {
    std::deque<std::pair<Op, std::string>> batch;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_until(lock, next_refresh, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      batch.swap(queue_);
    }
    // Consecutive ops of one kind go to Redis together; order per call is kept.
    std::vector<std::string> run;
    Op run_op = Op::kHold;
    auto write_run = [&] {
      if (!run.empty()) Write(run_op, run);
      run.clear();
    };
    for (auto& [op, sid] : batch) {
      if (op == Op::kHold) {
        held_.insert(sid);
      } else {
        held_.erase(sid);
      }
      if (op != run_op) write_run();
      run_op = op;
      run.push_back(sid);
    }
    write_run();
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ += batch.size();
    }
    cv_.notify_all();
    if (std::chrono::steady_clock::now() >= next_refresh) {
      next_refresh = std::chrono::steady_clock::now() + refresh_every;
      // Re-asserting every lease also restores what a Redis restart or outage lost.
      Write(Op::kHold, std::vector<std::string>(held_.begin(), held_.end()));
    }
  }
}

void CallLeases::Write(Op op, const std::vector<std::string>& call_sids) {
  for (size_t i = 0; i < call_sids.size(); i += kBatch) {
    std::vector<std::string> args;
    if (op == Op::kHold) {
      args = {absl::StrCat(absl::ToInt64Milliseconds(options_.ttl)),
              absl::StrCat(options_.router_id, "|", options_.address)};
    } else {
      args = {options_.router_id};
    }
    const size_t end = std::min(call_sids.size(), i + kBatch);
    args.insert(args.end(), call_sids.begin() + i, call_sids.begin() + end);
    auto r = redis_.Eval(op == Op::kHold ? "lease_hold" : "lease_release", keys_, args);
    if (!r.ok()) {
      log::Warn("cannot write call leases", {{"calls", static_cast<long long>(end - i)},
                                             {"op", op == Op::kHold ? "hold" : "release"},
                                             {"error", r.status()}});
    }
  }
}

absl::StatusOr<CallOwner> CallLeases::Owner(const std::string& call_sid) {
  auto r = redis_.Eval("lease_owner", keys_, {call_sid});
  if (!r.ok()) return r.status();
  if (r->type != redis::RedisReply::Type::kString) {
    return absl::NotFoundError("no router holds the call");
  }
  const auto bar = r->str.find('|');
  if (bar == std::string::npos || bar + 1 == r->str.size()) {
    return absl::NotFoundError("the call is being recovered");
  }
  return CallOwner{.router_id = r->str.substr(0, bar), .address = r->str.substr(bar + 1)};
}

absl::StatusOr<std::vector<LapsedCall>> CallLeases::ClaimLapsed(int max, absl::Duration claim_for) {
  auto r = redis_.Eval("lease_claim", keys_,
                       {absl::StrCat(max), absl::StrCat(absl::ToInt64Milliseconds(claim_for)),
                        absl::StrCat(absl::ToInt64Milliseconds(options_.ttl))});
  if (!r.ok()) return r.status();
  std::vector<LapsedCall> out;
  for (size_t i = 0; i + 2 < r->elements.size(); i += 3) {
    int64_t ms = 0;
    if (!absl::SimpleAtoi(r->elements[i + 1].str, &ms)) ms = absl::ToUnixMillis(absl::Now());
    LapsedCall call{.call_sid = r->elements[i].str, .last_alive = absl::FromUnixMillis(ms)};
    const std::string& owner = r->elements[i + 2].str;
    if (const auto bar = owner.find('|'); bar != std::string::npos) {
      call.owner = {.router_id = owner.substr(0, bar), .address = owner.substr(bar + 1)};
    }
    out.push_back(std::move(call));
  }
  return out;
}

absl::Status CallLeases::Forget(const std::string& call_sid) {
  return redis_.Eval("lease_forget", keys_, {call_sid}).status();
}

}  // namespace dialtone::call_router
