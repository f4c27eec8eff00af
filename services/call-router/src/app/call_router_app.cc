// CallRouterApp wiring.
#include "app/call_router_app.h"

#include "dialtone/service/stores.h"

namespace dialtone::call_router {

CallRouterApp::CallRouterApp(Config config)
    : config_(std::move(config)),
      pg_({.url = config_.pg_url}),
      grpc_(pg_),
      runtime_("call-router", "dialtone.callrouter.v1.CallRouter", config_.common) {
  runtime_.AddGrpcService(&grpc_);
  runtime_.AddStore(service::PostgresStore(pg_, "call-router", config_.migrations_dir));
}

absl::Status CallRouterApp::Run() {
  if (auto s = runtime_.Start(); !s.ok()) return s;
  runtime_.WaitForSignal();
  return absl::OkStatus();
}

}  // namespace dialtone::call_router
