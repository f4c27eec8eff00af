// media-layer options.
#include "app/config.h"

namespace dialtone::media_layer {

void AddOptions(config::ConfigLoader& loader, Config* c) {
  service::AddCommonOptions(loader, &c->common);
  loader.AddString("redis_url", &c->redis_url, "Redis URL (media cache index)",
                   config::CheckUrl({"redis"}));
  loader.AddString("http_addr", &c->http_addr, "HTTP address of the persistent media URLs",
                   config::CheckHostPort());
  loader.AddString("media_dir", &c->media_dir, "folder for media blobs", config::CheckNotEmpty());
  loader.AddString("usage_metering_addr", &c->usage_metering_addr,
                   "usage-metering gRPC address", config::CheckHostPort());
}

}  // namespace dialtone::media_layer
