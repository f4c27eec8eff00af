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
  AccountSettings& d = c->account_defaults;
  loader.AddBool("recording_media_auth", &d.media_http_auth,
                 "recording media needs the account's credentials unless the account says no");
  loader.AddInt("limit_calls_per_second", &d.calls_per_second, 0, 100000,
                "new calls per second per account, inbound and API together (0: none)");
  loader.AddInt("limit_concurrent_calls", &d.max_concurrent_calls, 0, 1000000,
                "calls one account may have up at once (0: none)");
  loader.AddInt("limit_call_seconds", &d.max_call_seconds, 0, 86400,
                "the longest a call may last, seconds (0: none)");
  loader.AddInt("limit_quiet_steps", &d.max_quiet_steps, 0, 100000,
                "TwiML documents in a row without audio or input before the call ends (0: none)");
  loader.AddInt("limit_api_requests_per_second", &d.api_requests_per_second, 0, 100000,
                "REST API requests per second per account (0: none)");
  loader.AddString("redis_url", &c->redis_url, "Redis URL (API request rates)",
                   config::CheckUrl({"redis"}));
}

}  // namespace dialtone::rest_gateway
