// TriggersApp wiring.
#include "app/triggers_app.h"

#include "dialtone/service/stores.h"

namespace dialtone::triggers {

TriggersApp::TriggersApp(Config config)
    : config_(std::move(config)),
      core_(config_),
      runtime_("triggers", "dialtone.triggers.v1.Triggers", config_.common) {
  runtime_.AddGrpcService(&core_.grpc());
  runtime_.AddStore(service::PostgresStore(core_.pg(), "triggers", config_.migrations_dir));
  // Delivery stops before the gRPC server: a callback in flight finishes or its lease expires.
  runtime_.OnShutdown([this] { core_.StopBackground(); });
}

absl::Status TriggersApp::Run() {
  if (auto s = runtime_.Start(); !s.ok()) return s;
  core_.metrics().Attach(runtime_.metrics());
  core_.StartBackground();
  runtime_.WaitForSignal();
  return absl::OkStatus();
}

}  // namespace dialtone::triggers
