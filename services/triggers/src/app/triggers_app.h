// Composition root of triggers: config -> TriggersCore -> runtime.
#pragma once

#include "absl/status/status.h"
#include "app/config.h"
#include "app/triggers_core.h"
#include "dialtone/service/service_runtime.h"

namespace dialtone::triggers {

// Built once by main(); Run() blocks until SIGTERM/SIGINT. The sweep and the delivery workers
// start after the runtime, so that they inherit its blocked signals.
class TriggersApp {
 public:
  explicit TriggersApp(Config config);
  absl::Status Run();

 private:
  Config config_;
  TriggersCore core_;
  service::ServiceRuntime runtime_;
};

}  // namespace dialtone::triggers
