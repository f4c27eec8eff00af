// RestGatewayApp wiring.
#include "app/rest_gateway_app.h"

#include <grpcpp/grpcpp.h>

#include "dialtone/service/stores.h"

namespace dialtone::rest_gateway {

RestGatewayApp::RestGatewayApp(Config config)
    : config_(std::move(config)),
      pg_({.url = config_.pg_url}),
      accounts_(pg_),
      accounts_grpc_(accounts_),
      call_router_(grpc::CreateChannel(config_.call_router_addr,
                                       grpc::InsecureChannelCredentials())),
      api_(accounts_, &call_router_),
      runtime_("rest-gateway", "dialtone.accounts.v1.Accounts", config_.common) {
  runtime_.AddGrpcService(&accounts_grpc_);
  runtime_.AddStore(service::PostgresStore(pg_, "rest-gateway", config_.migrations_dir));
}

absl::Status RestGatewayApp::Run() {
  if (auto s = runtime_.Start(); !s.ok()) return s;
  auto http = HttpServer::Start({.address = config_.http_addr},
                                [this](const HttpServer::Request& r) { return api_.Handle(r); });
  if (!http.ok()) return http.status();
  http_ = std::move(*http);
  // Stop taking REST requests first, so none is cut off by the stores going away.
  runtime_.OnShutdown([this] { http_->Stop(); });
  runtime_.WaitForSignal();
  return absl::OkStatus();
}

}  // namespace dialtone::rest_gateway
