// MediaLayerApp wiring.
#include "app/media_layer_app.h"

#include "dialtone/service/stores.h"

namespace dialtone::media_layer {

absl::StatusOr<std::unique_ptr<MediaLayerApp>> MediaLayerApp::Create(Config config) {
  auto redis = redis::RedisPool::Create({.url = config.redis_url});
  if (!redis.ok()) return redis.status();
  return std::unique_ptr<MediaLayerApp>(new MediaLayerApp(std::move(config), std::move(*redis)));
}

MediaLayerApp::MediaLayerApp(Config config, std::unique_ptr<redis::RedisPool> redis)
    : config_(std::move(config)),
      redis_(std::move(redis)),
      runtime_("media-layer", "dialtone.media.v1.MediaLayer", config_.common) {
  runtime_.AddGrpcService(&grpc_);
  runtime_.AddStore(service::RedisStore(*redis_));
}

absl::Status MediaLayerApp::Run() {
  if (auto s = runtime_.Start(); !s.ok()) return s;
  runtime_.WaitForSignal();
  return absl::OkStatus();
}

}  // namespace dialtone::media_layer
