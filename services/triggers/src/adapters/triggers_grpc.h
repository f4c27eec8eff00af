// gRPC Triggers handler: Twilio's UsageTrigger CRUD (validation, "+N" resolution against the
// current counter, proto <-> domain) and ReportCounters, which evaluates pushed counters.
#pragma once

#include "adapters/counter_reader.h"
#include "adapters/trigger_evaluator.h"
#include "adapters/trigger_repository.h"
#include "dialtone/triggers/v1/triggers.grpc.pb.h"
#include "domain/trigger_period.h"

namespace dialtone::triggers {

// Converts a trigger to its resource.
void ToProto(const Trigger& trigger, dialtone::triggers::v1::UsageTrigger* out);

// Runs on gRPC's server threads; holds no state of its own.
class TriggersGrpc final : public dialtone::triggers::v1::Triggers::Service {
 public:
  struct Deps {
    TriggerRepository& repo;
    CounterReader& reader;
    TriggerEvaluator& evaluator;
    Clock clock;
  };
  explicit TriggersGrpc(Deps deps) : deps_(std::move(deps)) {}

  grpc::Status CreateTrigger(grpc::ServerContext*, const v1::CreateTriggerRequest*,
                             v1::UsageTrigger*) override;
  grpc::Status GetTrigger(grpc::ServerContext*, const v1::GetTriggerRequest*,
                          v1::UsageTrigger*) override;
  grpc::Status ListTriggers(grpc::ServerContext*, const v1::ListTriggersRequest*,
                            v1::ListTriggersResponse*) override;
  grpc::Status UpdateTrigger(grpc::ServerContext*, const v1::UpdateTriggerRequest*,
                             v1::UsageTrigger*) override;
  grpc::Status DeleteTrigger(grpc::ServerContext*, const v1::DeleteTriggerRequest*,
                             v1::DeleteTriggerResponse*) override;
  // OK once the pushed counters are evaluated and their firings claimed.
  grpc::Status ReportCounters(grpc::ServerContext*, const v1::ReportCountersRequest*,
                              v1::ReportCountersResponse*) override;

 private:
  Deps deps_;
};

}  // namespace dialtone::triggers
