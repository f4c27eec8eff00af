// triggers' configuration: flags and DIALTONE_* variables, validated at start.
#pragma once

#include <string>

#include "dialtone/config/config_loader.h"
#include "dialtone/service/service_runtime.h"

namespace dialtone::triggers {

struct Config {
  service::CommonConfig common{.grpc_addr = "127.0.0.1:50055", .metrics_addr = "127.0.0.1:9105"};
  std::string pg_url = "postgresql://dialtone@127.0.0.1:15432/dialtone";
  std::string migrations_dir = DIALTONE_DEFAULT_SQL_DIR;
  std::string usage_metering_addr = "127.0.0.1:50054";
};

void AddOptions(config::ConfigLoader& loader, Config* config);

}  // namespace dialtone::triggers
