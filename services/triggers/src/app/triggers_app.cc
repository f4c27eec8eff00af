// TriggersApp wiring.
#include "app/triggers_app.h"

#include "dialtone/service/stores.h"

namespace dialtone::triggers {

TriggersApp::TriggersApp(Config config)
    : config_(std::move(config)),
      pg_({.url = config_.pg_url}),
      runtime_("triggers", "dialtone.triggers.v1.Triggers", config_.common) {
  runtime_.AddGrpcService(&grpc_);
  runtime_.AddStore(service::PostgresStore(pg_, "triggers", config_.migrations_dir));
}

absl::Status TriggersApp::Run() {
  if (auto s = runtime_.Start(); !s.ok()) return s;
  runtime_.WaitForSignal();
  return absl::OkStatus();
}

}  // namespace dialtone::triggers
