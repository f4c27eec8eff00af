// usage-metering options.
#include "app/config.h"

namespace dialtone::usage_metering {

void AddOptions(config::ConfigLoader& loader, Config* c) {
  service::AddCommonOptions(loader, &c->common);
  loader.AddString("redis_url", &c->redis_url, "Redis URL (usage counters)",
                   config::CheckUrl({"redis"}));
  loader.AddString("pg_url", &c->pg_url, "PostgreSQL URL (daily roll-ups)",
                   config::CheckUrl({"postgresql", "postgres"}));
  loader.AddString("migrations_dir", &c->migrations_dir, "folder of per-service SQL migrations",
                   config::CheckNotEmpty());
  loader.AddString("triggers_addr", &c->triggers_addr, "triggers gRPC address",
                   config::CheckHostPort());
}

}  // namespace dialtone::usage_metering
