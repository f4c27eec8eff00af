// triggers' configuration: flags and DIALTONE_* variables, validated at start.
#pragma once

#include <string>

#include "absl/time/time.h"
#include "dialtone/config/config_loader.h"
#include "dialtone/service/service_runtime.h"

namespace dialtone::triggers {

struct Config {
  service::CommonConfig common{.grpc_addr = "127.0.0.1:50055", .metrics_addr = "127.0.0.1:9105"};
  std::string pg_url = "postgresql://dialtone@127.0.0.1:15432/dialtone";
  std::string migrations_dir = DIALTONE_DEFAULT_SQL_DIR;
  std::string usage_metering_addr = "127.0.0.1:50054";
  // Accounts.GetAccount: the auth token that signs each account's callbacks.
  std::string rest_gateway_addr = "127.0.0.1:50053";
  // Tests only: sign every callback with this token instead of asking rest-gateway.
  std::string test_auth_token;
  // Exceptions to the fetch policy of callback URLs (CIDRs, address:port); empty: none inside.
  std::string fetch_allow;
  // How often every armable trigger is compared with counters read from metering.
  absl::Duration sweep_interval = absl::Seconds(30);
  // Callback delivery. 0 workers: this process evaluates and claims, another one delivers.
  int delivery_workers = 4;
  absl::Duration delivery_poll_interval = absl::Milliseconds(500);
  absl::Duration delivery_initial_backoff = absl::Seconds(1);
  absl::Duration delivery_max_backoff = absl::Minutes(10);
  absl::Duration delivery_max_age = absl::Hours(24);
  absl::Duration callback_timeout = absl::Seconds(15);
};

void AddOptions(config::ConfigLoader& loader, Config* config);

}  // namespace dialtone::triggers
