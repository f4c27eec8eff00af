// usage-metering's configuration: flags and DIALTONE_* variables, validated at start.
#pragma once

#include <string>

#include "absl/time/time.h"

#include "dialtone/config/config_loader.h"
#include "dialtone/service/service_runtime.h"

namespace dialtone::usage_metering {

struct Config {
  service::CommonConfig common{.grpc_addr = "127.0.0.1:50054", .metrics_addr = "127.0.0.1:9104"};
  std::string redis_url = "redis://127.0.0.1:16379/0";
  std::string pg_url = "postgresql://dialtone@127.0.0.1:15432/dialtone";
  std::string migrations_dir = DIALTONE_DEFAULT_SQL_DIR;
  std::string triggers_addr = "127.0.0.1:50055";
  // Push counter values to triggers after each batch (the triggers service also sweeps).
  bool push_to_triggers = true;
  absl::Duration trigger_push_interval = absl::Milliseconds(50);
  // How long an event id is remembered: a redelivery later than this would count again.
  absl::Duration dedup_retention = absl::Hours(24 * 35);
  // TTL of the daily counters; older days are read from usage_daily.
  absl::Duration daily_retention = absl::Hours(24 * 90);
  absl::Duration rollup_interval = absl::Seconds(60);
};

void AddOptions(config::ConfigLoader& loader, Config* config);

}  // namespace dialtone::usage_metering
