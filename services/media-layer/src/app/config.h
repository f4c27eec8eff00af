// media-layer's configuration: flags and DIALTONE_* variables, validated at start.
#pragma once

#include <string>

#include "absl/time/time.h"
#include "adapters/s3_blob_store.h"
#include "dialtone/config/config_loader.h"
#include "dialtone/service/service_runtime.h"

namespace dialtone::media_layer {

struct Config {
  service::CommonConfig common{.grpc_addr = "127.0.0.1:50052", .metrics_addr = "127.0.0.1:9102"};
  std::string redis_url = "redis://127.0.0.1:16379/0";
  std::string http_addr = "127.0.0.1:8081";
  // Base of the persistent addresses handed out; empty: http://<http_addr>.
  std::string public_url;
  std::string media_dir = "/var/lib/dialtone/media";
  // Where blobs live: "dir" (media_dir; shared when every replica mounts the same volume) or
  // "s3" (a bucket of S3-compatible object storage, path-style URLs, AWS SigV4).
  std::string blob_store = "dir";
  S3Options s3;  // blob_store=s3: the s3_* options
  std::string usage_metering_addr = "127.0.0.1:50054";
  // Exceptions to the fetch policy of media URLs (CIDRs, address:port); empty: no inside address.
  std::string fetch_allow;
  int cache_max_mb = 1024;  // LRU cap on cached (not recorded) blobs
  int max_media_mb = 32;    // largest Play body fetched
  absl::Duration fetch_timeout = absl::Seconds(10);
  absl::Duration default_ttl = absl::Hours(24);  // origin sends no caching headers
  int http_threads = 2;
  // Fresh entries remembered in process (bounded by their HTTP freshness); 0 disables.
  absl::Duration local_cache_ttl = absl::Seconds(1);
};

void AddOptions(config::ConfigLoader& loader, Config* config);
// What one option alone cannot check: blob_store=s3 needs its endpoint, bucket and keys.
absl::Status Validate(const Config& config);

}  // namespace dialtone::media_layer
