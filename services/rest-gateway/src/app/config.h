// rest-gateway's configuration: flags and DIALTONE_* variables, validated at start.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "dialtone/config/config_loader.h"
#include "dialtone/secrets/sealer.h"
#include "dialtone/service/service_runtime.h"
#include "domain/account_settings.h"

namespace dialtone::rest_gateway {

struct Config {
  service::CommonConfig common{.grpc_addr = "127.0.0.1:50053", .metrics_addr = "127.0.0.1:9103"};
  std::string pg_url = "postgresql://dialtone@127.0.0.1:15432/dialtone";
  std::string migrations_dir = DIALTONE_DEFAULT_SQL_DIR;
  std::string http_addr = "127.0.0.1:8080";
  std::string call_router_addr = "127.0.0.1:50051";
  std::string media_layer_addr = "127.0.0.1:50052";
  std::string usage_metering_addr = "127.0.0.1:50054";
  std::string triggers_addr = "127.0.0.1:50055";
  // Where api-requests usage events wait while usage-metering is unreachable (one file per
  // gateway process).
  int http_threads = 8;               // REST handlers block on gRPC and PostgreSQL
  int max_concurrent_requests = 100;  // per account; more answer 429 / 20429
  std::string usage_spool = "/tmp/dialtone-rest-gateway-usage.spool";
  // What an account gets unless it sets its own (DIALTONE_RECORDING_MEDIA_AUTH, DIALTONE_LIMIT_*).
  AccountSettings account_defaults;
  // API request rates are counted here, shared by every gateway replica.
  std::string redis_url = "redis://127.0.0.1:16379/0";
  // Seals auth tokens at rest: 32 random bytes in base64 (README, "Secrets at rest").
  std::string secrets_key;
  // The explicit opt-out from secrets_key: tokens stored in plaintext (development only).
  bool secrets_plaintext = false;
};

void AddOptions(config::ConfigLoader& loader, Config* config);

// The sealer for auth tokens from secrets_key; nullopt when secrets_plaintext opts out.
// InvalidArgument, saying what to set, when neither or both are set or the key is malformed
// (the message never repeats the key).
absl::StatusOr<std::optional<secrets::Sealer>> TokenSealer(const Config& config);

}  // namespace dialtone::rest_gateway
