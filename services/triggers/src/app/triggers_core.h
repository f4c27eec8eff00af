// Everything triggers does, minus the process: repository, evaluator, gRPC handler, sweep and
// delivery, built from the config with an injectable clock and token source. TriggersApp wraps
// it in a ServiceRuntime; integration tests run it in-process with a clock of their choosing.
#pragma once

#include <memory>

#include "adapters/auth_tokens.h"
#include "adapters/callback_dispatcher.h"
#include "adapters/counter_reader.h"
#include "adapters/sweep_loop.h"
#include "adapters/trigger_evaluator.h"
#include "adapters/trigger_metrics.h"
#include "adapters/trigger_repository.h"
#include "adapters/triggers_grpc.h"
#include "app/config.h"
#include "dialtone/pg/pg_pool.h"

namespace dialtone::triggers {

// Construction starts no thread; StartBackground() starts the sweep and the delivery workers,
// StopBackground() (or the destructor) stops them.
class TriggersCore {
 public:
  // `tokens` null: from config (test_auth_token, else rest-gateway). `clock` null: absl::Now.
  TriggersCore(const Config& config, Clock clock = {}, std::unique_ptr<AuthTokens> tokens = {});
  ~TriggersCore();

  void StartBackground();
  void StopBackground();

  pg::PgPool& pg() { return pg_; }
  TriggersGrpc& grpc() { return grpc_; }
  TriggerEvaluator& evaluator() { return evaluator_; }
  TriggerRepository& repo() { return repo_; }
  TriggerMetrics& metrics() { return metrics_; }

 private:
  Config config_;
  Clock clock_;
  pg::PgPool pg_;
  TriggerMetrics metrics_;
  TriggerRepository repo_;
  std::unique_ptr<CounterReader> reader_;
  std::unique_ptr<AuthTokens> tokens_;
  std::unique_ptr<CallbackDispatcher> dispatcher_;
  TriggerEvaluator evaluator_;
  TriggersGrpc grpc_;
  SweepLoop sweep_;
  bool started_ = false;
};

}  // namespace dialtone::triggers
