// CallRouterApp wiring.
#include "app/call_router_app.h"

#include "adapters/call_session.h"
#include "dialtone/service/stores.h"

namespace dialtone::call_router {

CallRouterApp::CallRouterApp(Config config)
    : config_(std::move(config)),
      pg_({.url = config_.pg_url, .max_connections = 8}),
      grpc_(pg_),
      runtime_("call-router", "dialtone.callrouter.v1.CallRouter", config_.common),
      sip_({.bind_host = config_.sip_host, .port = config_.sip_port,
            .media_host = config_.media_host},
           [this](SipDialog& dialog, const SipInvite& invite) {
             auto session = std::make_shared<CallSession>(
                 CallSessionDeps{.loop = &sip_, .store = store_.get(), .http = http_.get(),
                                 .executor = &executor_,
                                 .publish_usage = [this](const CallUsage& u,
                                                         const std::string& account) {
                                   PublishUsage(u, account);
                                 }},
                 dialog, invite);
             session->Start();
             return session;
           }),
      tokens_(config_.rest_gateway_addr) {
  runtime_.AddGrpcService(&grpc_);
  runtime_.OnShutdown([this] {
    sip_.Stop();
    if (publisher_) publisher_->Shutdown();  // sends or spools the usage of every ended call
  });
  runtime_.AddStore(service::PostgresStore(pg_, "call-router", config_.migrations_dir));
}

CallRouterApp::~CallRouterApp() { sip_.Stop(); }

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
  if (auto s = sip_.Start(); !s.ok()) {
    runtime_.Shutdown();
    return s;
  }
  runtime_.WaitForSignal();
  return absl::OkStatus();
}

}  // namespace dialtone::call_router
