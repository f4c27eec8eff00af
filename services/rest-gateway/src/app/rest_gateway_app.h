// Composition root of rest-gateway: config -> PostgreSQL -> accounts -> gRPC + REST.
#pragma once

#include "absl/status/status.h"
#include "adapters/account_repository.h"
#include "adapters/account_settings_repository.h"
#include "adapters/accounts_grpc.h"
#include "adapters/api_handler.h"
#include "adapters/call_resources.h"
#include "adapters/number_resources.h"
#include "adapters/recording_resources.h"
#include "adapters/trigger_resources.h"
#include "adapters/usage_resources.h"
#include "app/config.h"
#include "dialtone/pg/change_listener.h"
#include "dialtone/pg/pg_pool.h"
#include "dialtone/redis/rate_limiter.h"
#include "dialtone/redis/redis_pool.h"
#include "dialtone/service/service_runtime.h"
#include "dialtone/usage_publisher/usage_publisher.h"
#include "dialtone/web/http_server.h"

namespace dialtone::rest_gateway {

// Built once by main(); Run() blocks until SIGTERM/SIGINT.
class RestGatewayApp {
 public:
  explicit RestGatewayApp(Config config);
  absl::Status Run();

 private:
  // Counts one api-requests usage event for the account (I/O threads; never blocks).
  void PublishApiRequest(const std::string& account_sid);

  Config config_;
  pg::PgPool pg_;
  AccountRepository accounts_;
  AccountSettingsRepository settings_;
  AccountsGrpc accounts_grpc_;
  // API request rates, shared by the replicas. Not a health dependency: while Redis is out of
  // reach requests go through unmetered (logged), the API stays up.
  std::unique_ptr<redis::RedisPool> redis_;
  std::unique_ptr<redis::RateLimiter> limiter_;
  std::shared_ptr<grpc::Channel> call_router_channel_;
  NumberResources numbers_;
  CallResources calls_;
  RecordingResources recordings_;
  UsageResources usage_;
  TriggerResources triggers_;
  std::unique_ptr<usage_publisher::UsagePublisher> publisher_;
  ApiHandler api_;
  service::ServiceRuntime runtime_;
  std::unique_ptr<web::HttpServer> http_;
  // Changes made through any replica: the caches above drop what they kept of them.
  std::unique_ptr<pg::ChangeListener> changes_;
};

}  // namespace dialtone::rest_gateway
