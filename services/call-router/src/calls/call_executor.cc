// CallExecutor::Step: one Stepper per event (see executor_stepper.h).
#include "calls/call_executor.h"

#include <utility>
#include <variant>

#include "calls/executor_stepper.h"

namespace dialtone::call_router {

StepResult CallExecutor::Step(ExecutionState state, ExecutorEvent event) const {
  Stepper stepper(config_, std::move(state));
  std::visit(stepper, event);
  return std::move(stepper).Release();
}

}  // namespace dialtone::call_router
