// RestGatewayApp wiring.
#include "app/rest_gateway_app.h"

#include "dialtone/service/stores.h"

namespace dialtone::rest_gateway {

RestGatewayApp::RestGatewayApp(Config config)
    : config_(std::move(config)),
      pg_({.url = config_.pg_url}),
      accounts_(pg_),
      accounts_grpc_(accounts_),
      runtime_("rest-gateway", "dialtone.accounts.v1.Accounts", config_.common) {
  runtime_.AddGrpcService(&accounts_grpc_);
  runtime_.AddStore(service::PostgresStore(pg_, "rest-gateway", config_.migrations_dir));
}

absl::Status RestGatewayApp::Run() {
  if (auto s = runtime_.Start(); !s.ok()) return s;
  runtime_.WaitForSignal();
  return absl::OkStatus();
}

}  // namespace dialtone::rest_gateway
