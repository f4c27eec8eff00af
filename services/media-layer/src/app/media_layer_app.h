// Composition root of media-layer: config -> Redis -> handlers -> runtime.
#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "adapters/media_layer_grpc.h"
#include "app/config.h"
#include "dialtone/redis/redis_pool.h"
#include "dialtone/service/service_runtime.h"

namespace dialtone::media_layer {

// Built once by main(); Run() blocks until SIGTERM/SIGINT.
class MediaLayerApp {
 public:
  static absl::StatusOr<std::unique_ptr<MediaLayerApp>> Create(Config config);
  absl::Status Run();

 private:
  MediaLayerApp(Config config, std::unique_ptr<redis::RedisPool> redis);

  Config config_;
  std::unique_ptr<redis::RedisPool> redis_;
  MediaLayerGrpc grpc_;
  service::ServiceRuntime runtime_;
};

}  // namespace dialtone::media_layer
