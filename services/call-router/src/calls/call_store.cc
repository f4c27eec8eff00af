// CallStore: SQL for routing and Call rows; the auth token from rest-gateway.
#include "calls/call_store.h"

#include <grpcpp/grpcpp.h>

#include <future>
#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "dialtone/accounts/v1/accounts.grpc.pb.h"
#include "dialtone/core/twilio_error.h"
#include "dialtone/log/log.h"
#include "dialtone/rpc/client.h"
#include "dialtone/rpc/status.h"

namespace dialtone::call_router {
namespace {

HttpMethod MethodOf(const std::string& text) {
  return text == "GET" ? HttpMethod::kGet : HttpMethod::kPost;
}

std::string PgTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%E6S+00", t, absl::UTCTimeZone());
}

}  // namespace

template <typename... Args>
absl::Status CallStore::Write(const char* sql, const Args&... args) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_params(sql, args...);
    tx.commit();
    return absl::OkStatus();
  });
}

// How long a call waits on rest-gateway for an account's token or limits.
constexpr absl::Duration kGatewayDeadline = absl::Seconds(3);

GatewayAuthTokenSource::GatewayAuthTokenSource(const std::string& addr, const rpc::TlsConfig& tls)
    : stub_(accounts::v1::Accounts::NewStub(rpc::OpenChannel(addr, tls))) {}

GatewayAuthTokenSource::~GatewayAuthTokenSource() = default;

absl::StatusOr<std::string> GatewayAuthTokenSource::AuthToken(const std::string& account_sid) {
  accounts::v1::GetAccountRequest req;
  req.set_sid(account_sid);
  accounts::v1::Account account;
  grpc::Status s =
      stub_->GetAccount(rpc::ContextWithDeadline(kGatewayDeadline).get(), req, &account);
  if (!s.ok()) return rpc::FromGrpcStatus(s);
  if (account.auth_token().empty()) return absl::InternalError("account has no auth token");
  return account.auth_token();
}

absl::StatusOr<CallLimits> GatewayAuthTokenSource::Limits(const std::string& account_sid) {
  accounts::v1::GetAccountSettingsRequest req;
  req.set_sid(account_sid);
  accounts::v1::AccountSettingsResponse resp;
  grpc::Status s =
      stub_->GetAccountSettings(rpc::ContextWithDeadline(kGatewayDeadline).get(), req, &resp);
  if (!s.ok()) return rpc::FromGrpcStatus(s);
  const auto& e = resp.effective();
  return CallLimits{.calls_per_second = e.calls_per_second(),
                    .max_concurrent_calls = e.max_concurrent_calls(),
                    .max_call_seconds = e.max_call_seconds(),
                    .max_quiet_steps = e.max_quiet_steps()};
}

CallStore::CallStore(pg::PgPool& pool, AuthTokenSource& tokens, CacheOptions cache, int workers)
    : pool_(pool), tokens_(tokens), cache_(cache) {
  for (int i = 0; i < std::max(1, workers); ++i) {
    auto w = std::make_unique<Worker>();
    Worker* raw = w.get();
    w->thread = std::thread([this, raw] { Loop(*raw); });
    workers_.push_back(std::move(w));
  }
}

CallStore::~CallStore() {
  for (auto& w : workers_) {
    {
      std::lock_guard<std::mutex> lock(w->mu);
      w->stopping = true;
    }
    w->cv.notify_all();
  }
  for (auto& w : workers_) w->thread.join();
}

void CallStore::Submit(const std::string& key, std::function<void()> task) {
  Worker& w = *workers_[std::hash<std::string>{}(key) % workers_.size()];
  {
    std::lock_guard<std::mutex> lock(w.mu);
    w.tasks.push_back(std::move(task));
  }
  w.cv.notify_one();
}

bool CallStore::Flush(absl::Duration timeout) {
  std::vector<std::future<void>> flushed;
  for (auto& w : workers_) {
    auto done = std::make_shared<std::promise<void>>();
    flushed.push_back(done->get_future());
    {
      std::lock_guard<std::mutex> lock(w->mu);
      w->tasks.push_back([done] { done->set_value(); });
    }
    w->cv.notify_one();
  }
  const auto deadline = std::chrono::steady_clock::now() + absl::ToChronoMilliseconds(timeout);
  for (auto& f : flushed) {
    if (f.wait_until(deadline) != std::future_status::ready) return false;
  }
  return true;
}

void CallStore::Loop(Worker& w) {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(w.mu);
      w.cv.wait(lock, [&w] { return w.stopping || !w.tasks.empty(); });
      if (w.tasks.empty()) return;
      task = std::move(w.tasks.front());
      w.tasks.pop_front();
    }
    task();
  }
}

absl::StatusOr<CallRoute> CallStore::Route(const std::string& to) {
  absl::StatusOr<CallRoute> route = NumberRoute(to);
  // Limits are cached apart (dropped when the account's settings change), not with the number.
  if (route.ok()) route->limits = Limits(route->account_sid);
  return route;
}

absl::StatusOr<CallRoute> CallStore::NumberRoute(const std::string& to) {
  uint64_t generation = 0;
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    auto it = routes_.find(to);
    if (it != routes_.end() && it->second.expires > absl::Now()) return it->second.route;
    generation = generation_;
  }
  absl::StatusOr<CallRoute> route = LookUp(to);
  if (route.ok() || absl::IsNotFound(route.status())) {
    std::lock_guard<std::mutex> lock(cache_mu_);
    // A ForgetRoutes() while we read may have made this answer stale: do not keep it.
    if (generation == generation_) {
      if (routes_.size() >= cache_.max_entries) routes_.clear();
      routes_[to] = {route, absl::Now() + (route.ok() ? cache_.route_ttl : cache_.unknown_ttl)};
    }
  }
  return route;
}

void CallStore::ForgetRoutes() {
  std::lock_guard<std::mutex> lock(cache_mu_);
  routes_.clear();
  ++generation_;
}

absl::StatusOr<std::string> CallStore::AuthToken(const std::string& account_sid) {
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    auto it = tokens_cached_.find(account_sid);
    if (it != tokens_cached_.end() && it->second.second > absl::Now()) return it->second.first;
  }
  absl::StatusOr<std::string> token = tokens_.AuthToken(account_sid);
  if (token.ok()) {
    std::lock_guard<std::mutex> lock(cache_mu_);
    if (tokens_cached_.size() >= cache_.max_entries) tokens_cached_.clear();
    tokens_cached_[account_sid] = {*token, absl::Now() + cache_.token_ttl};
  }
  return token;
}

CallLimits CallStore::Limits(const std::string& account_sid) {
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    auto it = limits_cached_.find(account_sid);
    if (it != limits_cached_.end() && it->second.second > absl::Now()) return it->second.first;
  }
  absl::StatusOr<CallLimits> limits = tokens_.Limits(account_sid);
  if (!limits.ok()) {
    log::Warn("account limits unknown; the defaults apply",
              {{"account_sid", account_sid}, {"error", limits.status()}});
    return CallLimits{};
  }
  std::lock_guard<std::mutex> lock(cache_mu_);
  if (limits_cached_.size() >= cache_.max_entries) limits_cached_.clear();
  limits_cached_[account_sid] = {*limits, absl::Now() + cache_.limits_ttl};
  return *limits;
}

absl::Status CallStore::Admit(const std::string& account_sid, const CallLimits& limits) {
  if (limiter_ != nullptr && limits.calls_per_second > 0) {
    auto wait =
        limiter_->Take("calls:" + account_sid, limits.calls_per_second, limits.calls_per_second);
    if (!wait.ok()) {
      log::Warn("calls per second not checked: Redis out of reach; call admitted",
                {{"account_sid", account_sid}, {"error", wait.status()}});
    } else if (*wait > absl::ZeroDuration()) {
      return core::TwilioStatus(absl::StatusCode::kResourceExhausted, 20429,
                                absl::StrCat("Too Many Requests: the account's limit is ",
                                             limits.calls_per_second, " calls per second"));
    }
  }
  if (limits.max_concurrent_calls <= 0) return absl::OkStatus();
  int64_t up = 0;
  absl::Status s = pool_.Run([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    up = tx.exec_params1(
               "select count(*) from calls where account_sid = $1"
               " and status in ('queued', 'ringing', 'in-progress')",
               account_sid)[0]
             .as<int64_t>();
    return absl::OkStatus();
  });
  if (!s.ok()) {
    log::Warn("concurrent calls not counted: PostgreSQL out of reach; call admitted",
              {{"account_sid", account_sid}, {"error", s}});
    return absl::OkStatus();
  }
  if (up >= limits.max_concurrent_calls) {
    return core::TwilioStatus(
        absl::StatusCode::kResourceExhausted, 10004,
        absl::StrCat("Call concurrency limit exceeded: the account has ", up,
                     " calls up, its limit is ", limits.max_concurrent_calls));
  }
  return absl::OkStatus();
}

absl::StatusOr<CallRoute> CallStore::LookUp(const std::string& to) {
  CallRoute route;
  bool found = false;
  absl::Status s = pool_.Run([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    // The application's voice settings win over the number's when it has one.
    pqxx::result r = tx.exec_params(
        "select n.account_sid, n.sid, n.phone_number,"
        " coalesce(a.voice_url, n.voice_url), coalesce(a.voice_method, n.voice_method),"
        " coalesce(a.voice_fallback_url, n.voice_fallback_url),"
        " coalesce(a.voice_fallback_method, n.voice_fallback_method),"
        " coalesce(a.status_callback, n.status_callback),"
        " coalesce(a.status_callback_method, n.status_callback_method)"
        " from incoming_phone_numbers n"
        " left join applications a on a.sid = n.voice_application_sid"
        " where n.phone_number = $1 or n.phone_number = '+' || $1 limit 1",
        to);
    if (r.empty()) return absl::OkStatus();
    found = true;
    const pqxx::row row = r[0];
    route.account_sid = row[0].as<std::string>();
    route.phone_number_sid = row[1].as<std::string>();
    route.phone_number = row[2].as<std::string>();
    route.voice_url = row[3].as<std::string>();
    route.voice_method = MethodOf(row[4].as<std::string>());
    route.voice_fallback_url = row[5].as<std::string>();
    route.voice_fallback_method = MethodOf(row[6].as<std::string>());
    route.status_callback = row[7].as<std::string>();
    route.status_callback_method = MethodOf(row[8].as<std::string>());
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (!found) return absl::NotFoundError("no incoming phone number " + to);
  absl::StatusOr<std::string> token = AuthToken(route.account_sid);
  if (!token.ok()) return token.status();
  route.auth_token = *std::move(token);
  return route;
}

absl::Status CallStore::InsertRinging(const NewCall& call) {
  return Write(
      "insert into calls (sid, account_sid, to_number, from_number, phone_number_sid,"
      " status, direction, caller_name, status_callback, status_callback_method)"
      " values ($1, $2, $3, $4, $5, 'ringing', 'inbound', nullif($6, ''), nullif($7, ''), $8)",
      call.sid, call.account_sid, call.to, call.from, call.phone_number_sid, call.caller_name,
      call.status_callback, std::string(HttpMethodName(call.status_callback_method)));
}

absl::Status CallStore::InsertQueued(const NewCall& call) {
  return Write(
      "insert into calls (sid, account_sid, to_number, from_number, status, direction,"
      " status_callback, status_callback_method, status_callback_events)"
      " values ($1, $2, $3, $4, 'queued', 'outbound-api', nullif($5, ''), $6, $7)",
      call.sid, call.account_sid, call.to, call.from, call.status_callback,
      std::string(HttpMethodName(call.status_callback_method)), call.status_callback_events);
}

absl::Status CallStore::InsertDialed(const NewCall& call, const std::string& parent) {
  return Write(
      "insert into calls (sid, account_sid, parent_call_sid, to_number, from_number, status,"
      " direction) values ($1, $2, $3, $4, $5, 'queued', 'outbound-dial')",
      call.sid, call.account_sid, parent, call.to, call.from);
}

absl::Status CallStore::InsertRecording(const NewRecording& r) {
  return Write(
      "insert into recordings (sid, account_sid, call_sid, status, duration, channels, source,"
      " media_sid, media_url, start_time) values ($1, $2, $3, 'completed', $4, 1, $5, $6, $7,"
      " $8::timestamptz)",
      r.sid, r.account_sid, r.call_sid, r.duration_seconds, r.source, r.media_sid, r.media_url,
      PgTime(r.start_time));
}

absl::StatusOr<std::string> CallStore::RecordingMedia(const std::string& account_sid,
                                                      const std::string& recording_sid) {
  std::optional<std::string> media_sid;
  absl::Status s = pool_.Run([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    pqxx::result r = tx.exec_params(
        "select media_sid from recordings where sid = $1 and account_sid = $2"
        " and coalesce(media_sid, '') <> ''",
        recording_sid, account_sid);
    if (!r.empty()) media_sid = r[0][0].as<std::string>();
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (!media_sid) return absl::NotFoundError("no recording " + recording_sid + " with audio");
  return *std::move(media_sid);
}

absl::Status CallStore::MarkRinging(const std::string& sid) {
  return Write(
      "update calls set status = 'ringing', date_updated = now()"
      " where sid = $1 and status = 'queued'",
      sid);
}

absl::Status CallStore::MarkInProgress(const std::string& sid, absl::Time start) {
  return Write(
      "update calls set status = 'in-progress', start_time = $2::timestamptz,"
      " date_updated = now() where sid = $1",
      sid, PgTime(start));
}

absl::Status CallStore::MarkEnded(const std::string& sid, const std::string& status, absl::Time end,
                                  std::optional<absl::Time> start, int64_t duration_seconds) {
  // An unanswered call starts and ends at once, as Twilio reports it.
  const std::string start_text = PgTime(start.value_or(end));
  return Write(
      "update calls set status = $2, start_time = coalesce(start_time, $3::timestamptz),"
      " end_time = $4::timestamptz, duration = $5, date_updated = now() where sid = $1",
      sid, status, start_text, PgTime(end), duration_seconds);
}

absl::Status CallStore::SetStatusCallback(const std::string& sid, const std::string& url,
                                          HttpMethod method) {
  return Write("update calls set status_callback = $2, status_callback_method = $3 where sid = $1",
               sid, url, std::string(HttpMethodName(method)));
}

absl::StatusOr<std::optional<AbandonedCall>> CallStore::EndAbandoned(const std::string& sid,
                                                                     absl::Time last_alive) {
  std::optional<AbandonedCall> out;
  absl::Status s = pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    // Only a call still up changes, so one replica reports it however many try.
    pqxx::result r = tx.exec_params(
        "update calls set"
        " status = case when status = 'in-progress' then 'completed' else 'failed' end,"
        " start_time = coalesce(start_time, $2::timestamptz),"
        " end_time = greatest(coalesce(start_time, $2::timestamptz), $2::timestamptz),"
        " duration = case when status = 'in-progress' then greatest(0, round(extract(epoch from"
        "   ($2::timestamptz - start_time))))::integer else 0 end,"
        " date_updated = now()"
        " where sid = $1 and status in ('queued', 'ringing', 'in-progress')"
        " returning account_sid, status, direction, from_number, to_number,"
        " coalesce(parent_call_sid, ''), duration, coalesce(status_callback, ''),"
        " coalesce(status_callback_method, 'POST'), coalesce(status_callback_events, '')",
        sid, PgTime(last_alive));
    tx.commit();
    if (r.empty()) return absl::OkStatus();
    const pqxx::row row = r[0];
    AbandonedCall a;
    a.facts.call_sid = sid;
    a.facts.account_sid = row[0].as<std::string>();
    a.facts.call_status = row[1].as<std::string>();
    a.facts.direction = row[2].as<std::string>();
    a.facts.from = row[3].as<std::string>();
    a.facts.to = row[4].as<std::string>();
    a.facts.parent_call_sid = row[5].as<std::string>();
    a.facts.duration_seconds = row[6].as<int64_t>();
    a.answered = a.facts.call_status == "completed";
    a.status_callback = row[7].as<std::string>();
    a.status_callback_method = MethodOf(row[8].as<std::string>());
    a.status_callback_events = row[9].as<std::string>();
    out = std::move(a);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

void CallStore::ForgetToken(const std::string& account_sid) {
  std::lock_guard<std::mutex> lock(cache_mu_);
  if (account_sid.empty()) {
    tokens_cached_.clear();
    limits_cached_.clear();
  } else {
    tokens_cached_.erase(account_sid);
    limits_cached_.erase(account_sid);
  }
}

}  // namespace dialtone::call_router
