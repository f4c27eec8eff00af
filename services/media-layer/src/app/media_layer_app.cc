// MediaLayerApp wiring.
#include "app/media_layer_app.h"

#include "adapters/dir_blob_store.h"
#include "adapters/s3_blob_store.h"
#include "dialtone/log/log.h"
#include "dialtone/service/stores.h"

namespace dialtone::media_layer {

namespace {

absl::StatusOr<std::unique_ptr<BlobStore>> MakeBlobStore(const Config& c) {
  if (c.blob_store == "s3") {
    log::Info("media blobs in S3-compatible storage",
              {{"endpoint", c.s3.endpoint}, {"bucket", c.s3.bucket}, {"prefix", c.s3.prefix}});
    return std::make_unique<S3BlobStore>(c.s3);
  }
  auto dir = std::make_unique<DirBlobStore>(c.media_dir);
  if (auto s = dir->Init(); !s.ok()) return s;
  log::Info("media blobs in a directory", {{"media_dir", c.media_dir}});
  return dir;
}

}  // namespace

absl::StatusOr<std::unique_ptr<MediaLayerApp>> MediaLayerApp::Create(Config config) {
  if (auto s = Validate(config); !s.ok()) return s;
  auto blobs = MakeBlobStore(config);
  if (!blobs.ok()) return blobs.status();
  // Resolves block gRPC threads on fetches, but each holds a Redis connection only briefly.
  auto redis = redis::RedisPool::Create({.url = config.redis_url, .max_connections = 16});
  if (!redis.ok()) return redis.status();
  auto tts = EspeakEngine::Create();
  if (!tts.ok()) return tts.status();
  if (config.public_url.empty()) config.public_url = "http://" + config.http_addr;
  while (!config.public_url.empty() && config.public_url.back() == '/')
    config.public_url.pop_back();
  std::unique_ptr<MediaLayerApp> app(
      new MediaLayerApp(std::move(config), std::move(*redis), std::move(*tts), std::move(*blobs)));
  return app;
}

MediaLayerApp::MediaLayerApp(Config config, std::unique_ptr<redis::RedisPool> redis,
                             std::unique_ptr<TtsEngine> tts, std::unique_ptr<BlobStore> blobs)
    : config_(std::move(config)),
      redis_(std::move(redis)),
      tts_(std::move(tts)),
      index_(*redis_, {.cache_max_bytes = int64_t{config_.cache_max_mb} << 20}),
      blobs_(std::move(blobs)),
      fetcher_({.timeout = config_.fetch_timeout,
                .max_bytes = int64_t{config_.max_media_mb} << 20,
                // Config checked fetch_allow: the policy always builds.
                .policy = http::TenantFetchPolicy(
                              config_.fetch_allow,
                              {config_.common.grpc_addr, config_.common.metrics_addr,
                               config_.http_addr, config_.public_url, config_.usage_metering_addr})
                              .value()}),
      service_(index_, *blobs_, fetcher_, *tts_, &metrics_,
               {.public_url = config_.public_url,
                .default_ttl = config_.default_ttl,
                .local_ttl = config_.local_cache_ttl}),
      grpc_(service_),
      http_handler_(service_),
      runtime_("media-layer", "dialtone.media.v1.MediaLayer", config_.common) {
  runtime_.AddGrpcService(&grpc_);
  runtime_.AddStore(service::RedisStore(*redis_));
  // Not ready while the blob store is out of reach; requests then fail with 503 / UNAVAILABLE.
  runtime_.AddStore({.name = "blob store",
                     .probe = [this] { return blobs_->Probe(); },
                     .check_interval = absl::Seconds(5)});
  runtime_.OnShutdown([this] {
    if (http_) http_->Stop();
  });
}

MediaLayerApp::~MediaLayerApp() {
  stopping_ = true;
  if (touch_flusher_.joinable()) touch_flusher_.join();
}

absl::Status MediaLayerApp::Run() {
  if (auto s = runtime_.Start(); !s.ok()) return s;
  metrics_.Attach(runtime_.metrics());
  // Threads of ours start only now, after the runtime has blocked SIGTERM/SIGINT.
  auto http = web::HttpServer::Start(
      {.address = config_.http_addr, .threads = config_.http_threads},
      [this](const web::HttpServer::Request& r) { return http_handler_.Handle(r); });
  if (!http.ok()) {
    runtime_.Shutdown();
    return http.status();
  }
  http_ = std::move(*http);
  log::Info("persistent media addresses served",
            {{"http_addr", config_.http_addr}, {"public_url", config_.public_url}});
  touch_flusher_ = std::thread([this] {
    while (!stopping_) {
      std::this_thread::sleep_for(std::chrono::seconds(1));
      if (auto s = index_.FlushTouches(); !s.ok())
        log::Warn("media LRU touch failed", {{"error", s}});
    }
  });
  runtime_.WaitForSignal();
  stopping_ = true;
  (void)index_.FlushTouches();
  return absl::OkStatus();
}

}  // namespace dialtone::media_layer
