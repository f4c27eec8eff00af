// triggers options.
#include "app/config.h"

namespace dialtone::triggers {

void AddOptions(config::ConfigLoader& loader, Config* c) {
  service::AddCommonOptions(loader, &c->common);
  loader.AddString("pg_url", &c->pg_url, "PostgreSQL URL (triggers, firings, outbox)",
                   config::CheckUrl({"postgresql", "postgres"}));
  loader.AddString("migrations_dir", &c->migrations_dir, "folder of per-service SQL migrations",
                   config::CheckNotEmpty());
  loader.AddString("usage_metering_addr", &c->usage_metering_addr,
                   "usage-metering gRPC address (counter reads)", config::CheckHostPort());
}

}  // namespace dialtone::triggers
