// usage-metering's configuration: flags and DIALTONE_* variables, validated at start.
#pragma once

#include <string>

#include "dialtone/config/config_loader.h"
#include "dialtone/service/service_runtime.h"

namespace dialtone::usage_metering {

struct Config {
  service::CommonConfig common{.grpc_addr = "127.0.0.1:50054", .metrics_addr = "127.0.0.1:9104"};
  std::string redis_url = "redis://127.0.0.1:16379/0";
  std::string pg_url = "postgresql://dialtone@127.0.0.1:15432/dialtone";
  std::string migrations_dir = DIALTONE_DEFAULT_SQL_DIR;
  std::string triggers_addr = "127.0.0.1:50055";
};

void AddOptions(config::ConfigLoader& loader, Config* config);

}  // namespace dialtone::usage_metering
