// media-layer's configuration: flags and DIALTONE_* variables, validated at start.
#pragma once

#include <string>

#include "dialtone/config/config_loader.h"
#include "dialtone/service/service_runtime.h"

namespace dialtone::media_layer {

struct Config {
  service::CommonConfig common{.grpc_addr = "127.0.0.1:50052", .metrics_addr = "127.0.0.1:9102"};
  std::string redis_url = "redis://127.0.0.1:16379/0";
  std::string http_addr = "127.0.0.1:8081";
  std::string media_dir = "/var/lib/dialtone/media";
  std::string usage_metering_addr = "127.0.0.1:50054";
};

void AddOptions(config::ConfigLoader& loader, Config* config);

}  // namespace dialtone::media_layer
