// media-layer options.
#include "app/config.h"

namespace dialtone::media_layer {

void AddOptions(config::ConfigLoader& loader, Config* c) {
  service::AddCommonOptions(loader, &c->common);
  loader.AddString("redis_url", &c->redis_url, "Redis URL (media cache index)",
                   config::CheckUrl({"redis"}));
  loader.AddString("http_addr", &c->http_addr, "HTTP address of the persistent media URLs",
                   config::CheckHostPort());
  loader.AddString("public_url", &c->public_url,
                   "base URL of the persistent media addresses (default http://<http_addr>)");
  loader.AddString("media_dir", &c->media_dir, "folder for media blobs", config::CheckNotEmpty());
  loader.AddString("usage_metering_addr", &c->usage_metering_addr, "usage-metering gRPC address",
                   config::CheckHostPort());
  loader.AddInt("cache_max_mb", &c->cache_max_mb, 1, 1 << 20,
                "size cap of cached media blobs, MB (least recently used evicted)");
  loader.AddInt("max_media_mb", &c->max_media_mb, 1, 1024, "largest media body fetched, MB");
  loader.AddDuration("fetch_timeout", &c->fetch_timeout, absl::Milliseconds(100),
                     "total time allowed to fetch one media URL");
  loader.AddDuration("default_ttl", &c->default_ttl, absl::ZeroDuration(),
                     "freshness of media whose origin sends no caching headers");
  loader.AddInt("http_threads", &c->http_threads, 1, 64, "HTTP I/O threads");
  loader.AddDuration("local_cache_ttl", &c->local_cache_ttl, absl::ZeroDuration(),
                     "how long a process trusts a fresh entry without reading Redis (0: never)");
}

}  // namespace dialtone::media_layer
