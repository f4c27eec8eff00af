// TriggerMetrics on prometheus-cpp.
#include "adapters/trigger_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace dialtone::triggers {

struct TriggerMetrics::Impl {
  prometheus::Gauge* armed;
  prometheus::Counter* eval_push;
  prometheus::Counter* eval_sweep;
  prometheus::Counter* firings;
  prometheus::Counter* delivered;
  prometheus::Counter* failed;
  prometheus::Counter* gave_up;
  prometheus::Histogram* latency;
};

TriggerMetrics::~TriggerMetrics() { delete impl_.load(); }

void TriggerMetrics::Attach(prometheus::Registry& r) {
  auto* m = new Impl;
  m->armed = &prometheus::BuildGauge()
                  .Name("dialtone_triggers_armed")
                  .Help("Triggers that can still fire in their current period (last sweep)")
                  .Register(r)
                  .Add({});
  auto& evals = prometheus::BuildCounter()
                    .Name("dialtone_trigger_evaluations_total")
                    .Help("Trigger-against-counter comparisons, by source")
                    .Register(r);
  m->eval_push = &evals.Add({{"source", "push"}});
  m->eval_sweep = &evals.Add({{"source", "sweep"}});
  m->firings = &prometheus::BuildCounter()
                    .Name("dialtone_trigger_firings_total")
                    .Help("Firings claimed by this process")
                    .Register(r)
                    .Add({});
  auto& attempts = prometheus::BuildCounter()
                       .Name("dialtone_trigger_delivery_attempts_total")
                       .Help("Callback attempts, by outcome")
                       .Register(r);
  m->delivered = &attempts.Add({{"outcome", "delivered"}});
  m->failed = &attempts.Add({{"outcome", "failed"}});
  m->gave_up = &prometheus::BuildCounter()
                    .Name("dialtone_trigger_deliveries_abandoned_total")
                    .Help("Firings given up after the delivery max age")
                    .Register(r)
                    .Add({});
  m->latency = &prometheus::BuildHistogram()
                    .Name("dialtone_trigger_event_to_callback_seconds")
                    .Help("From the usage event behind a firing to its delivered callback")
                    .Register(r)
                    .Add({}, prometheus::Histogram::BucketBoundaries{0.01, 0.025, 0.05, 0.1, 0.25,
                                                                     0.5, 1, 2.5, 5, 30, 300});
  Impl* expected = nullptr;
  if (!impl_.compare_exchange_strong(expected, m)) delete m;
}

void TriggerMetrics::Armed(int64_t n) {
  if (Impl* m = impl_.load()) m->armed->Set(static_cast<double>(n));
}

void TriggerMetrics::Evaluated(bool sweep, int64_t n) {
  if (Impl* m = impl_.load())
    (sweep ? m->eval_sweep : m->eval_push)->Increment(static_cast<double>(n));
}

void TriggerMetrics::Fired(int64_t n) {
  if (Impl* m = impl_.load()) m->firings->Increment(static_cast<double>(n));
}

void TriggerMetrics::Attempt(bool delivered) {
  if (Impl* m = impl_.load()) (delivered ? m->delivered : m->failed)->Increment();
}

void TriggerMetrics::GaveUp() {
  if (Impl* m = impl_.load()) m->gave_up->Increment();
}

void TriggerMetrics::EventToCallback(absl::Duration latency) {
  if (Impl* m = impl_.load()) m->latency->Observe(absl::ToDoubleSeconds(latency));
}

}  // namespace dialtone::triggers
