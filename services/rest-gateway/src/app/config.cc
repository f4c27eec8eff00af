// rest-gateway options.
#include "app/config.h"

namespace dialtone::rest_gateway {

void AddOptions(config::ConfigLoader& loader, Config* c) {
  service::AddCommonOptions(loader, &c->common);
  loader.AddString("pg_url", &c->pg_url, "PostgreSQL URL (accounts)",
                   config::CheckUrl({"postgresql", "postgres"}));
  loader.AddString("migrations_dir", &c->migrations_dir, "folder of per-service SQL migrations",
                   config::CheckNotEmpty());
  loader.AddString("http_addr", &c->http_addr, "public REST listen address",
                   config::CheckHostPort());
  loader.AddString("call_router_addr", &c->call_router_addr, "call-router gRPC address",
                   config::CheckHostPort());
  loader.AddString("media_layer_addr", &c->media_layer_addr, "media-layer gRPC address",
                   config::CheckHostPort());
  loader.AddString("usage_metering_addr", &c->usage_metering_addr, "usage-metering gRPC address",
                   config::CheckHostPort());
  loader.AddString("triggers_addr", &c->triggers_addr, "triggers gRPC address",
                   config::CheckHostPort());
  loader.AddInt("http_threads", &c->http_threads, 1, 256, "REST server threads");
  loader.AddInt("max_concurrent_requests", &c->max_concurrent_requests, 1, 100000,
                "REST requests one account may have in progress at once");
  loader.AddString("usage_spool", &c->usage_spool,
                   "spool file for usage events while usage-metering is unreachable",
                   config::CheckNotEmpty());
}

}  // namespace dialtone::rest_gateway
