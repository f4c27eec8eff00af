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
                                 .executor = &executor_},
                 dialog, invite);
             session->Start();
             return session;
           }),
      tokens_(config_.rest_gateway_addr) {
  runtime_.AddGrpcService(&grpc_);
  runtime_.OnShutdown([this] { sip_.Stop(); });
  runtime_.AddStore(service::PostgresStore(pg_, "call-router", config_.migrations_dir));
}

CallRouterApp::~CallRouterApp() { sip_.Stop(); }

absl::Status CallRouterApp::Run() {
  if (auto s = runtime_.Start(); !s.ok()) return s;
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
