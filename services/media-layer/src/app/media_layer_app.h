// Composition root of media-layer: config -> Redis, blob store, HTTP, espeak-ng -> service ->
// gRPC and HTTP -> runtime.
#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include "absl/status/statusor.h"
#include "adapters/blob_store.h"
#include "adapters/media_fetcher.h"
#include "adapters/media_http.h"
#include "adapters/media_index.h"
#include "adapters/media_layer_grpc.h"
#include "adapters/media_metrics.h"
#include "adapters/media_service.h"
#include "adapters/tts_engine.h"
#include "app/config.h"
#include "dialtone/redis/redis_pool.h"
#include "dialtone/service/service_runtime.h"

namespace dialtone::media_layer {

// Built once by main(); Run() blocks until SIGTERM/SIGINT.
class MediaLayerApp {
 public:
  static absl::StatusOr<std::unique_ptr<MediaLayerApp>> Create(Config config);
  ~MediaLayerApp();
  absl::Status Run();

 private:
  MediaLayerApp(Config config, std::unique_ptr<redis::RedisPool> redis,
                std::unique_ptr<TtsEngine> tts, std::unique_ptr<BlobStore> blobs);

  Config config_;
  std::unique_ptr<redis::RedisPool> redis_;
  std::unique_ptr<TtsEngine> tts_;
  MediaMetrics metrics_;
  MediaIndex index_;
  std::unique_ptr<BlobStore> blobs_;
  HttpMediaFetcher fetcher_;
  MediaService service_;
  MediaLayerGrpc grpc_;
  MediaHttp http_handler_;
  service::ServiceRuntime runtime_;
  std::unique_ptr<web::HttpServer> http_;
  std::atomic<bool> stopping_{false};
  std::thread touch_flusher_;
};

}  // namespace dialtone::media_layer
