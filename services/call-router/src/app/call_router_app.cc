// CallRouterApp wiring.
#include "app/call_router_app.h"

#include "calls/call_session.h"
#include "dialtone/service/stores.h"

#include <future>

#include "absl/strings/str_cat.h"

namespace dialtone::call_router {

CallRouterApp::CallRouterApp(Config config)
    : config_(std::move(config)),
      pg_({.url = config_.pg_url, .max_connections = 8}),
      grpc_(pg_),
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
      tokens_(config_.rest_gateway_addr) {
  grpc_.SetLiveCallControl(this);
  runtime_.AddGrpcService(&grpc_);
  runtime_.OnShutdown([this] {
    sip_.Stop();
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
          .trunk = config_.sip_trunk,
          .trunk_username = config_.sip_trunk_username,
          .trunk_password = config_.sip_trunk_password,
          .local_sip_host = LocalSipHost(),
          .publish_usage = [this](const CallUsage& u, const std::string& account) {
            PublishUsage(u, account);
          }};
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
  if (store_ == nullptr) return absl::UnavailableError("call-router is starting");
  if (call.invite.auth_username.empty()) {
    call.invite.auth_username = config_.sip_trunk_username;
    call.invite.auth_password = config_.sip_trunk_password;
  }
  NewCall row{.sid = call.call_sid,
              .account_sid = call.route.account_sid,
              .from = call.from,
              .to = call.to};
  if (absl::Status s = store_->InsertQueued(row); !s.ok()) return s;
  if (inserted) inserted();
  sip_.Post([this, call = std::move(call)]() mutable {
    auto session = std::make_shared<CallSession>(SessionDeps(), std::move(call));
    session->StartOutbound(sip_);
  });
  return absl::OkStatus();
}

absl::Status CallRouterApp::Control(const std::string& call_sid, const CallControl& control) {
  if (live_.Find(call_sid) == nullptr) return absl::NotFoundError("call is not live here");
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
      usage_publisher::MakeGrpcUsageTransport(config_.usage_metering_addr));
  if (!publisher.ok()) return publisher.status();
  publisher_ = std::move(*publisher);
  store_ = std::make_unique<CallStore>(pg_, tokens_);
  http_ = std::make_unique<AppHttpClient>(AppHttpClient::Options{});
  media_ = std::make_unique<MediaClient>(
      MediaClient::Options{.media_layer_addr = config_.media_layer_addr});
  rtp_ = std::make_unique<RtpEngine>(RtpEngine::Options{.bind_host = config_.sip_host,
                                                        .port_min = config_.rtp_port_min,
                                                        .port_max = config_.rtp_port_max});
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
