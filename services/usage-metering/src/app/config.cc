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
  loader.AddBool("push_to_triggers", &c->push_to_triggers,
                 "push counter values to triggers after each batch");
  loader.AddDuration("trigger_push_interval", &c->trigger_push_interval, absl::Milliseconds(1),
                     "how often pending counter values are pushed to triggers");
  loader.AddDuration("dedup_retention", &c->dedup_retention, absl::Hours(1),
                     "how long event ids are remembered for deduplication");
  loader.AddDuration("daily_retention", &c->daily_retention, absl::Hours(48),
                     "TTL of daily counters in Redis (older days come from PostgreSQL)");
  loader.AddDuration("rollup_interval", &c->rollup_interval, absl::Milliseconds(100),
                     "how often daily counters are copied to PostgreSQL");
}

}  // namespace dialtone::usage_metering
