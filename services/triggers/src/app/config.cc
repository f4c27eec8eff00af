// triggers options.
#include "app/config.h"
#include "dialtone/http/fetch_policy.h"

namespace dialtone::triggers {

void AddOptions(config::ConfigLoader& loader, Config* c) {
  service::AddCommonOptions(loader, &c->common);
  loader.AddString("pg_url", &c->pg_url, "PostgreSQL URL (triggers, firings, outbox)",
                   config::CheckUrl({"postgresql", "postgres"}));
  loader.AddString("migrations_dir", &c->migrations_dir, "folder of per-service SQL migrations",
                   config::CheckNotEmpty());
  loader.AddString("usage_metering_addr", &c->usage_metering_addr,
                   "usage-metering gRPC address (counter reads)", config::CheckHostPort());
  loader.AddString("rest_gateway_addr", &c->rest_gateway_addr,
                   "rest-gateway gRPC address (account auth tokens that sign callbacks)",
                   config::CheckHostPort());
  loader.AddString(
      "test_auth_token", &c->test_auth_token,
      "tests only: sign every callback with this token instead of asking rest-gateway");
  loader.AddDuration("sweep_interval", &c->sweep_interval, absl::Milliseconds(50),
                     "how often all triggers are evaluated against counters read from metering");
  loader.AddInt("delivery_workers", &c->delivery_workers, 0, 64,
                "callback delivery threads (0: evaluate only, another process delivers)");
  loader.AddDuration("delivery_poll_interval", &c->delivery_poll_interval, absl::Milliseconds(10),
                     "how often idle delivery workers look for due callbacks");
  loader.AddDuration("delivery_initial_backoff", &c->delivery_initial_backoff,
                     absl::Milliseconds(10), "delay before the first retry of a failed callback");
  loader.AddDuration("delivery_max_backoff", &c->delivery_max_backoff, absl::Milliseconds(10),
                     "longest delay between callback retries");
  loader.AddDuration("delivery_max_age", &c->delivery_max_age, absl::Seconds(1),
                     "how long a firing is retried before it is given up");
  loader.AddString("fetch_allow", &c->fetch_allow,
                   "inside addresses trigger callback URLs may reach anyway (CIDRs, address:port)",
                   http::CheckFetchAllow);
  loader.AddDuration("callback_timeout", &c->callback_timeout, absl::Milliseconds(100),
                     "total time allowed for one callback request");
}

}  // namespace dialtone::triggers
