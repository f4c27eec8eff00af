// Blocking I/O for live calls (number routing, Call rows, the account's auth token), run in
// order on a worker thread of its own so that the SIP thread never waits on PostgreSQL or gRPC.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "calls/twiml_names.h"
#include "calls/voice_request.h"
#include "dialtone/accounts/v1/accounts.grpc.pb.h"
#include "dialtone/pg/pg_pool.h"
#include "dialtone/redis/rate_limiter.h"
#include "dialtone/rpc/tls_config.h"

namespace dialtone::call_router {

// What an incoming call to one of our numbers runs: the number's own voice settings, or its
// application's when it has one, and the token that signs requests to them.
// What an account may do (rest-gateway's account settings). 0: no limit. These defaults apply
// when the gateway cannot say: calls are not refused, but none outlives Twilio's 4 hours and a
// Redirect loop still ends.
struct CallLimits {
  int calls_per_second = 0;
  int max_concurrent_calls = 0;
  int max_call_seconds = 14400;
  int max_quiet_steps = 20;
};

struct CallRoute {
  std::string account_sid;
  std::string phone_number_sid;
  std::string phone_number;
  std::string voice_url;
  HttpMethod voice_method = HttpMethod::kPost;
  std::string voice_fallback_url;
  HttpMethod voice_fallback_method = HttpMethod::kPost;
  std::string status_callback;
  HttpMethod status_callback_method = HttpMethod::kPost;
  std::string auth_token;
  CallLimits limits;
};

struct NewRecording {
  std::string sid;
  std::string account_sid;
  std::string call_sid;
  int64_t duration_seconds = 0;
  std::string media_sid;
  std::string media_url;
  std::string source = "RecordVerb";
  absl::Time start_time;
};

struct NewCall {
  std::string sid;
  std::string account_sid;
  std::string phone_number_sid;
  std::string from;
  std::string to;
  std::string caller_name;
  // Kept with the row so that another router can send the completed callback if ours dies.
  std::string status_callback;
  HttpMethod status_callback_method = HttpMethod::kPost;
  std::string status_callback_events;  // "initiated ringing answered completed"
};

// A call whose router died, ended by another replica (status completed if it was answered,
// failed if not): what its completed callback and its usage need.
struct AbandonedCall {
  CallFacts facts;  // call_status, duration_seconds set
  bool answered = false;
  std::string status_callback;
  HttpMethod status_callback_method = HttpMethod::kPost;
  std::string status_callback_events;
};

// Where the account's auth token comes from (rest-gateway's Accounts service in production).
class AuthTokenSource {
 public:
  virtual ~AuthTokenSource() = default;
  // Blocking; called on the CallStore worker only.
  virtual absl::StatusOr<std::string> AuthToken(const std::string& account_sid) = 0;
  // The account's limits; blocking, on the CallStore worker or a gRPC thread.
  virtual absl::StatusOr<CallLimits> Limits(const std::string& account_sid) { return CallLimits{}; }
};

// Accounts.GetAccount on rest-gateway, with a short deadline.
class GatewayAuthTokenSource final : public AuthTokenSource {
 public:
  GatewayAuthTokenSource(const std::string& rest_gateway_addr, const rpc::TlsConfig& tls);
  ~GatewayAuthTokenSource() override;
  absl::StatusOr<std::string> AuthToken(const std::string& account_sid) override;
  // Accounts.GetAccountSettings.
  absl::StatusOr<CallLimits> Limits(const std::string& account_sid) override;

 private:
  std::unique_ptr<accounts::v1::Accounts::Stub> stub_;
};

// Submit() is thread-safe; the other methods block and belong on a worker (inside a submitted
// task). Tasks with the same key (a call's SID) run on the same worker, one at a time in
// submission order, so a call's row is inserted before it is updated; different calls' tasks
// run on several workers at once.
//
//   store.Submit(call_sid, [&store, to] { auto route = store.Route(to); ... });
// How long CallStore keeps what it read.
struct CallStoreCacheOptions {
  absl::Duration route_ttl = absl::Seconds(10);   // a number's voice settings
  absl::Duration unknown_ttl = absl::Seconds(2);  // "no such number" (calls to junk numbers)
  absl::Duration token_ttl = absl::Seconds(60);   // an account's auth token
  absl::Duration limits_ttl = absl::Seconds(10);  // an account's limits
  size_t max_entries = 100000;                    // past this, the cache starts over
};

// The Call and Recording rows a call session writes, and the number it routes by. Submit runs
// tasks in order per key on worker threads; the other methods block (call them from a task).
class CallRecords {
 public:
  virtual ~CallRecords() = default;
  virtual void Submit(const std::string& key, std::function<void()> task) = 0;
  // NotFound when no incoming phone number matches `to`.
  virtual absl::StatusOr<CallRoute> Route(const std::string& to) = 0;
  virtual absl::Status InsertRinging(const NewCall& call) = 0;
  // OK when `account_sid` may start one more call now under `limits`; ResourceExhausted carrying
  // Twilio's 20429 (calls per second) or 10004 (concurrent calls) when not.
  virtual absl::Status Admit(const std::string& account_sid, const CallLimits& limits) {
    return absl::OkStatus();
  }
  virtual absl::Status MarkRinging(const std::string& sid) = 0;
  // A <Dial> leg: status queued, direction outbound-dial, its parent call.
  virtual absl::Status InsertDialed(const NewCall& call, const std::string& parent_call_sid) = 0;
  // A finished recording (status completed, one channel).
  virtual absl::Status InsertRecording(const NewRecording& recording) = 0;
  virtual absl::Status MarkInProgress(const std::string& sid, absl::Time start) = 0;
  // `start` unset for calls never answered; duration is then 0.
  virtual absl::Status MarkEnded(const std::string& sid, const std::string& status, absl::Time end,
                                 std::optional<absl::Time> start, int64_t duration_seconds) = 0;
};

class CallStore final : public CallRecords {
 public:
  using CacheOptions = CallStoreCacheOptions;
  CallStore(pg::PgPool& pool, AuthTokenSource& tokens, CacheOptions cache = {}, int workers = 4);
  ~CallStore() override;  // runs what was submitted, then joins
  CallStore(const CallStore&) = delete;
  CallStore& operator=(const CallStore&) = delete;

  void Submit(const std::string& key, std::function<void()> task) override;
  // Waits (at most `timeout`) until every task submitted before it has run; false on timeout.
  bool Flush(absl::Duration timeout);

  // NotFound when no incoming phone number matches `to` (with or without a leading '+').
  // Answers from a cache (numbers for CacheOptions::route_ttl, unknown numbers for unknown_ttl)
  // that ForgetRoutes() empties.
  absl::StatusOr<CallRoute> Route(const std::string& to) override;
  // The account's auth token, cached for token_ttl. Thread-safe (blocks on a miss).
  absl::StatusOr<std::string> AuthToken(const std::string& account_sid);
  // The account's limits, cached like its token; the defaults (logged) when the gateway cannot
  // say. Thread-safe (blocks on a miss).
  CallLimits Limits(const std::string& account_sid);
  // Counts calls per second in `limiter` (shared by the replicas); none: no rate limit. Call
  // before the first Admit.
  void SetRateLimiter(redis::RateLimiter* limiter) { limiter_ = limiter; }
  // The account's bucket of calls per second, then its calls up in the table (every replica's).
  // Redis or PostgreSQL out of reach admits the call (logged): a limit does not stop calls.
  absl::Status Admit(const std::string& account_sid, const CallLimits& limits) override;
  // Numbers or applications changed: the next calls read them afresh. Thread-safe.
  void ForgetRoutes();
  absl::Status InsertRinging(const NewCall& call) override;
  // A call the API placed: status queued, direction outbound-api. Safe on any thread (the row
  // exists before its session submits anything).
  absl::Status InsertQueued(const NewCall& call);
  absl::Status MarkRinging(const std::string& sid) override;
  // A <Dial> leg: status queued, direction outbound-dial, its parent call.
  absl::Status InsertDialed(const NewCall& call, const std::string& parent_call_sid) override;
  // A finished recording (status completed, one channel).
  absl::Status InsertRecording(const NewRecording& recording) override;
  // The media layer's SID of `account_sid`'s recording `recording_sid` (a <Play> of its own
  // RecordingUrl reads it directly). NotFound for a missing one or another account's.
  absl::StatusOr<std::string> RecordingMedia(const std::string& account_sid,
                                             const std::string& recording_sid);
  absl::Status MarkInProgress(const std::string& sid, absl::Time start) override;
  // `start` unset for calls never answered; duration is then 0.
  absl::Status MarkEnded(const std::string& sid, const std::string& status, absl::Time end,
                         std::optional<absl::Time> start, int64_t duration_seconds) override;
  // A new status callback set through the API (UpdateCall), kept with the row.
  absl::Status SetStatusCallback(const std::string& sid, const std::string& url, HttpMethod method);
  // Ends a call whose router died, last known up at `last_alive`: nullopt when the call had
  // already ended (or never existed), so only one replica reports it.
  absl::StatusOr<std::optional<AbandonedCall>> EndAbandoned(const std::string& sid,
                                                            absl::Time last_alive);
  // Forgets the cached auth token of an account that changed ("": every account). Thread-safe.
  void ForgetToken(const std::string& account_sid);

 private:
  struct Worker {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<std::function<void()>> tasks ABSL_GUARDED_BY(mu);
    bool stopping ABSL_GUARDED_BY(mu) = false;
    std::thread thread;
  };
  void Loop(Worker& worker);
  absl::StatusOr<CallRoute> NumberRoute(const std::string& to);
  absl::StatusOr<CallRoute> LookUp(const std::string& to);
  // One statement in its own transaction.
  template <typename... Args>
  absl::Status Write(const char* sql, const Args&... args);

  pg::PgPool& pool_;
  AuthTokenSource& tokens_;
  const CacheOptions cache_;
  struct CachedRoute {
    absl::StatusOr<CallRoute> route;  // OK or NotFound; other errors are not cached
    absl::Time expires;
  };
  std::mutex cache_mu_;
  std::map<std::string, CachedRoute> routes_ ABSL_GUARDED_BY(cache_mu_);
  redis::RateLimiter* limiter_ = nullptr;
  std::map<std::string, std::pair<CallLimits, absl::Time>> limits_cached_
      ABSL_GUARDED_BY(cache_mu_);
  std::map<std::string, std::pair<std::string, absl::Time>> tokens_cached_
      ABSL_GUARDED_BY(cache_mu_);
  uint64_t generation_ ABSL_GUARDED_BY(cache_mu_) = 0;  // ForgetRoutes bumps it
  std::vector<std::unique_ptr<Worker>> workers_;
};

}  // namespace dialtone::call_router
