// CallRouterApp wiring.
#include "app/call_router_app.h"

#include <algorithm>

#include "calls/call_session.h"
#include "dialtone/service/stores.h"

#include <unistd.h>

#include <cstring>
#include <future>

#include "absl/strings/str_cat.h"
#include "dialtone/core/sid.h"
#include "dialtone/core/twilio_error.h"
#include "dialtone/log/log.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"

namespace dialtone::call_router {
namespace {

// "<host>-<random>": readable in logs, unique per process (a restarted router is a new owner).
std::string NewRouterId() {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0 || host[0] == '\0') std::strcpy(host, "router");
  return absl::StrCat(host, "-", core::RandomHex(4));
}

// The gRPC address other replicas reach us on.
std::string AdvertisedAddress(const Config& c) {
  if (!c.advertise_addr.empty()) return c.advertise_addr;
  const std::string& listen = c.common.grpc_addr;
  if (listen.rfind("0.0.0.0:", 0) == 0) return "127.0.0.1:" + listen.substr(8);
  return listen;
}

}  // namespace

CallRouterApp::CallRouterApp(Config config)
    : config_(std::move(config)),
      router_id_(NewRouterId()),
      pg_({.url = config_.pg_url, .max_connections = 8}),
      grpc_(pg_),
      peers_service_(router_id_, live_),
      runtime_("call-router", "dialtone.callrouter.v1.CallRouter", config_.common),
      sip_({.bind_host = config_.sip_host,
            .port = config_.sip_port,
            .allowed_sources = SourceAllowList::Parse(config_.sip_allowed_sources).value(),
            .caller_address = CallerAddress::Parse(config_.sip_trusted_proxies).value(),
            .digest = config_.sip_auth_username.empty()
                          ? nullptr
                          : std::make_shared<const DigestGuard>(config_.sip_auth_realm,
                                                                config_.sip_auth_username,
                                                                config_.sip_auth_password)},
           [this](SipDialog& dialog, const SipInvite& invite) {
             auto session = std::make_shared<CallSession>(SessionDeps(), dialog, invite);
             session->Start();
             return session;
           }),
      tokens_(config_.rest_gateway_addr, config_.common.grpc_tls),
      peers_(router_id_, config_.common.grpc_tls) {
  grpc_.SetLiveCallControl(this);
  runtime_.AddGrpcService(&grpc_);
  runtime_.AddGrpcService(&peers_service_);
  runtime_.OnShutdown([this] {
    Drain();
    sip_.Stop();
    // The calls' streams got `stop` and are closing: a moment for their servers to answer,
    // then the rest are cut (their usage is published either way).
    const absl::Time streams_deadline = absl::Now() + absl::Seconds(2);
    while (open_streams_ > 0 && absl::Now() < streams_deadline) {
      absl::SleepFor(absl::Milliseconds(20));
    }
    streams_.reset();
    recovery_.reset();
    if (leases_) leases_->Flush(absl::Seconds(2));  // the ended calls' leases go
    changes_.reset();
    if (publisher_) publisher_->Shutdown();  // sends or spools the usage of every ended call
  });
  runtime_.AddStore(service::PostgresStore(pg_, "call-router", config_.migrations_dir));
}

CallRouterApp::~CallRouterApp() { sip_.Stop(); }

CallSessionDeps CallRouterApp::SessionDeps() {
  return {.loop = &sip_,
          .store = store_.get(),
          .http = http_.get(),
          .executor = &executor_,
          .live = &live_,
          .rtp = rtp_.get(),
          .media = media_.get(),
          .media_host = MediaHost(),
          .api_base_url = config_.public_api_url,
          .sip = &sip_,
          .streams = streams_.get(),
          .trunk = config_.sip_trunk,
          .trunk_username = config_.sip_trunk_username,
          .trunk_password = config_.sip_trunk_password,
          .local_sip_host = LocalSipHost(),
          .publish_usage = [this](const CallUsage& u,
                                  const std::string& account) { PublishUsage(u, account); },
          .on_refused = [this](const std::string& limit) { CountRefused(limit); },
          .count_stream = [this](std::string_view event) { CountStream(event); }};
}

void CallRouterApp::CountStream(std::string_view event) {
  const int delta = event == "opened" ? 1 : -1;
  open_streams_ += delta;
  if (streams_gauge_ != nullptr) streams_gauge_->Increment(delta);
  if (delta < 0 && streams_ended_ != nullptr) {
    streams_ended_->Add({{"outcome", std::string(event)}}).Increment();
  }
}

void CallRouterApp::CountRefused(const std::string& limit) {
  if (refused_ != nullptr) refused_->Add({{"limit", limit}}).Increment();
}

absl::StatusOr<std::string> CallRouterApp::AuthToken(const std::string& account_sid) {
  if (store_ == nullptr) return tokens_.AuthToken(account_sid);
  return store_->AuthToken(account_sid);
}

void CallRouterApp::RoutesChanged() {
  if (store_ != nullptr) store_->ForgetRoutes();
}

std::string CallRouterApp::MediaHost() const {
  if (!config_.media_host.empty()) return config_.media_host;
  return config_.sip_host == "0.0.0.0" ? "127.0.0.1" : config_.sip_host;
}

std::string CallRouterApp::LocalSipHost() const {
  return absl::StrCat(MediaHost(), ":", config_.sip_port);
}

absl::Status CallRouterApp::Place(OutboundCall call, const std::function<void()>& inserted) {
  if (store_ == nullptr || leases_ == nullptr) {
    return absl::UnavailableError("call-router is starting");
  }
  if (draining_) return absl::UnavailableError("call-router is draining: place the call elsewhere");
  // The account's limits: new calls a second and calls up (ResourceExhausted: the API answers
  // 429), the longest life (TimeLimit capped by it), the Redirect-loop cap.
  call.route.limits = store_->Limits(call.route.account_sid);
  if (absl::Status admitted = store_->Admit(call.route.account_sid, call.route.limits);
      !admitted.ok()) {
    CountRefused(core::TwilioCodeOf(admitted) == 10004 ? "concurrent_calls" : "calls_per_second");
    return admitted;
  }
  if (call.route.limits.max_call_seconds > 0) {
    call.time_limit_seconds = std::min(call.time_limit_seconds, call.route.limits.max_call_seconds);
  }
  if (call.invite.auth_username.empty()) {
    call.invite.auth_username = config_.sip_trunk_username;
    call.invite.auth_password = config_.sip_trunk_password;
  }
  NewCall row{.sid = call.call_sid,
              .account_sid = call.route.account_sid,
              .from = call.from,
              .to = call.to,
              .status_callback = call.route.status_callback,
              .status_callback_method = call.route.status_callback_method,
              .status_callback_events = CallEventsText(call.events)};
  // Owned from the start: an UpdateCall through any replica finds the call here.
  leases_->Hold(call.call_sid);
  leases_->Flush(absl::Seconds(1));
  if (absl::Status s = store_->InsertQueued(row); !s.ok()) {
    leases_->Release(call.call_sid);
    return s;
  }
  if (inserted) inserted();
  sip_.Post([this, call = std::move(call)]() mutable {
    auto session = std::make_shared<CallSession>(SessionDeps(), std::move(call));
    session->StartOutbound(sip_);
  });
  return absl::OkStatus();
}

absl::Status CallRouterApp::Control(const std::string& call_sid, const CallControl& control) {
  if (live_.Find(call_sid) == nullptr) return absl::NotFoundError("call is not live here");
  if (control.status_callback) {  // kept with the row, for whoever ends the call
    CallStore* store = store_.get();
    store->Submit(call_sid, [store, call_sid, url = *control.status_callback,
                             method = control.status_callback_method.value_or(HttpMethod::kPost)] {
      if (absl::Status s = store->SetStatusCallback(call_sid, url, method); !s.ok()) {
        log::Error("cannot keep a call's status callback", {{"call_sid", call_sid}, {"error", s}});
      }
    });
  }
  // The session applies it on the SIP thread and submits its row changes; the flush after
  // that returns once they are written, so the caller reads the call as it now is.
  auto applied = std::make_shared<std::promise<void>>();
  std::future<void> done = applied->get_future();
  sip_.Post([this, call_sid, control, applied] {
    if (auto session = live_.Find(call_sid)) session->Control(control);
    applied->set_value();
  });
  if (done.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
    return absl::UnavailableError("the SIP thread did not answer in time");
  }
  if (!store_->Flush(absl::Seconds(5))) return absl::UnavailableError("the call store is slow");
  return absl::OkStatus();
}

namespace {

// Runs `fn(call)` on the SIP thread for a call live here and waits for its answer.
template <typename Fn>
absl::StatusOr<StreamInfo> OnLiveCall(SipLoop& sip, LiveCalls& live, const std::string& call_sid,
                                      Fn fn) {
  if (live.Find(call_sid) == nullptr) return absl::NotFoundError("call is not live here");
  auto answer = std::make_shared<std::promise<absl::StatusOr<StreamInfo>>>();
  std::future<absl::StatusOr<StreamInfo>> done = answer->get_future();
  sip.Post([&live, call_sid, fn, answer] {
    auto call = live.Find(call_sid);
    answer->set_value(call != nullptr ? fn(*call)
                                      : absl::StatusOr<StreamInfo>(
                                            absl::NotFoundError("call is not live here")));
  });
  if (done.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
    return absl::UnavailableError("the SIP thread did not answer in time");
  }
  return done.get();
}

}  // namespace

absl::StatusOr<StreamInfo> CallRouterApp::StartStream(const std::string& call_sid,
                                                      const twiml::StreamNoun& stream) {
  return OnLiveCall(sip_, live_, call_sid,
                    [stream](LiveCall& call) { return call.StartStream(stream); });
}

absl::StatusOr<StreamInfo> CallRouterApp::StopStream(const std::string& call_sid,
                                                     const std::string& sid_or_name) {
  return OnLiveCall(sip_, live_, call_sid,
                    [sid_or_name](LiveCall& call) { return call.StopStream(sid_or_name); });
}

absl::StatusOr<CallOwner> CallRouterApp::Owner(const std::string& call_sid) {
  if (leases_ == nullptr) return absl::UnavailableError("call-router is starting");
  return leases_->Owner(call_sid);
}

void CallRouterApp::Drain() {
  draining_ = true;
  if (draining_gauge_ != nullptr) draining_gauge_->Set(1);
  sip_.SetDraining(true);
  const absl::Time deadline = absl::Now() + absl::Seconds(config_.drain_seconds);
  log::Info(
      "draining: new calls get 503, calls up may finish",
      {{"calls", static_cast<long long>(live_.size())}, {"drain_seconds", config_.drain_seconds}});
  absl::Time next_report = absl::Now() + absl::Seconds(5);
  while (live_.size() > 0 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(100));
    if (absl::Now() >= next_report) {
      log::Info("draining", {{"calls", static_cast<long long>(live_.size())},
                             {"seconds_left", absl::ToInt64Seconds(deadline - absl::Now())}});
      next_report += absl::Seconds(5);
    }
  }
  if (live_.size() == 0) {
    log::Info("drained: no call left");
    return;
  }
  // Time is up: hang up properly (BYE or CANCEL, rows, callbacks, usage), as the API would.
  log::Info("drain time is up: hanging up the calls left",
            {{"calls", static_cast<long long>(live_.size())}});
  sip_.Post([this] {
    for (auto& call : live_.All()) call->Control(CallControl{.end = CallState::kCompleted});
  });
  const absl::Time hung_up = absl::Now() + absl::Seconds(5);
  while (live_.size() > 0 && absl::Now() < hung_up) absl::SleepFor(absl::Milliseconds(50));
  if (store_) store_->Flush(absl::Seconds(5));
}

void CallRouterApp::PublishUsage(const CallUsage& usage, const std::string& account_sid) {
  if (publisher_ == nullptr) return;
  usage::v1::UsageEvent event;
  event.set_event_id(usage.event_id);
  event.set_account_sid(account_sid);
  event.set_category(usage.category);
  event.set_count(usage.count);
  event.set_usage(std::to_string(usage.minutes));
  event.set_source("call-router");
  publisher_->Publish(std::move(event));
}

absl::Status CallRouterApp::Run() {
  if (auto s = runtime_.Start(); !s.ok()) return s;
  // Threads start only after Start() has blocked SIGTERM for the whole process.
  auto publisher = usage_publisher::UsagePublisher::Create(
      {.spool_path = config_.usage_spool},
      usage_publisher::MakeGrpcUsageTransport(config_.usage_metering_addr,
                                              config_.common.grpc_tls));
  if (!publisher.ok()) return publisher.status();
  publisher_ = std::move(*publisher);
  store_ = std::make_unique<CallStore>(pg_, tokens_);
  // Tenants' URLs reach no inside address (unless allowed) and never the platform's own ports.
  auto policy = http::TenantFetchPolicy(
      config_.fetch_allow,
      {config_.common.grpc_addr, config_.common.metrics_addr, config_.rest_gateway_addr,
       config_.media_layer_addr, config_.usage_metering_addr, config_.public_api_url,
       AdvertisedAddress(config_)});
  if (!policy.ok()) {
    runtime_.Shutdown();
    return policy.status();
  }
  http_ = std::make_unique<AppHttpClient>(AppHttpClient::Options{.policy = *policy});
  streams_ = std::make_unique<ws::Client>(
      ws::ClientOptions{.policy = *policy,
                        .extra_ca_file = config_.stream_ca_file,
                        .max_queued_bytes = static_cast<size_t>(config_.stream_buffer_kib) * 1024});
  media_ = std::make_unique<MediaClient>(
      MediaClient::Options{.media_layer_addr = config_.media_layer_addr,
                           .tls = config_.common.grpc_tls,
                           .api_base_url = config_.public_api_url,
                           .recording_media = [store = store_.get()](const std::string& account,
                                                                     const std::string& recording) {
                             return store->RecordingMedia(account, recording);
                           }});
  auto redis = redis::RedisPool::Create({.url = config_.redis_url, .max_connections = 8});
  if (!redis.ok()) {
    runtime_.Shutdown();
    return redis.status();
  }
  redis_ = std::move(*redis);
  leases_ = std::make_unique<CallLeases>(
      *redis_, CallLeases::Options{.router_id = router_id_,
                                   .address = AdvertisedAddress(config_),
                                   .ttl = absl::Seconds(config_.call_lease_seconds)});
  live_.LeaseWith(leases_.get());
  limiter_ = std::make_unique<redis::RateLimiter>(*redis_, "dialtone:rate:");
  store_->SetRateLimiter(limiter_.get());
  auto& registry = runtime_.metrics();
  refused_ = &prometheus::BuildCounter()
                  .Name("dialtone_call_router_calls_refused_total")
                  .Help("New calls refused over their account's limit, by limit")
                  .Register(registry);
  live_.CountWith(&prometheus::BuildGauge()
                       .Name("dialtone_call_router_live_calls")
                       .Help("Calls live on this router (inbound, placed, Dial legs)")
                       .Register(registry)
                       .Add({}));
  draining_gauge_ = &prometheus::BuildGauge()
                         .Name("dialtone_call_router_draining")
                         .Help("1 while this router drains after SIGTERM")
                         .Register(registry)
                         .Add({});
  streams_gauge_ = &prometheus::BuildGauge()
                        .Name("dialtone_call_router_media_streams")
                        .Help("Media streams open on this router (connecting or connected)")
                        .Register(registry)
                        .Add({});
  streams_ended_ = &prometheus::BuildCounter()
                        .Name("dialtone_call_router_media_streams_ended_total")
                        .Help("Media streams over, by outcome (stopped, error)")
                        .Register(registry);
  prometheus::Counter* recovered = &prometheus::BuildCounter()
                                        .Name("dialtone_call_router_recovered_calls_total")
                                        .Help("Calls of dead routers this replica ended")
                                        .Register(registry)
                                        .Add({});
  recovery_ = std::make_unique<CallRecovery>(
      *leases_, *store_, *http_,
      [this](const CallUsage& u, const std::string& account) { PublishUsage(u, account); },
      CallRecovery::Options{
          .interval = absl::Seconds(config_.call_lease_seconds) / 3,
          .on_ended = [recovered] { recovered->Increment(); },
          .live_at_owner =
              [this](const CallOwner& owner, const std::vector<std::string>& sids) {
                return peers_.LiveCalls(owner, sids);
              }});
  changes_ = std::make_unique<pg::ChangeListener>(
      config_.pg_url, std::vector<std::string>{"dialtone_routes", "dialtone_accounts"},
      [this](const std::string& channel, const std::string& payload) {
        if (channel == "dialtone_accounts") store_->ForgetToken(payload);
        store_->ForgetRoutes();  // a route carries its account's token
      },
      [this] {
        store_->ForgetToken("");
        store_->ForgetRoutes();
      });
  log::Info("call-router replica", {{"router_id", router_id_},
                                    {"address", AdvertisedAddress(config_)},
                                    {"lease_seconds", config_.call_lease_seconds}});
  prometheus::Counter* foreign_rtp =
      &prometheus::BuildCounter()
           .Name("dialtone_call_router_rtp_foreign_packets_dropped_total")
           .Help("RTP packets dropped because they came from a source other than the call's")
           .Register(registry)
           .Add({});
  rtp_ = std::make_unique<RtpEngine>(
      RtpEngine::Options{.bind_host = config_.sip_host,
                         .port_min = config_.rtp_port_min,
                         .port_max = config_.rtp_port_max,
                         .nat = config_.rtp_nat,
                         .on_foreign_packet = [foreign_rtp] { foreign_rtp->Increment(); }});
  if (auto s = rtp_->Start(); !s.ok()) {
    runtime_.Shutdown();
    return s;
  }
  if (auto s = sip_.Start(); !s.ok()) {
    runtime_.Shutdown();
    return s;
  }
  runtime_.WaitForSignal();
  return absl::OkStatus();
}

}  // namespace dialtone::call_router
