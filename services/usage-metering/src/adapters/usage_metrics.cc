// UsageMetrics on prometheus-cpp.
#include "adapters/usage_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace dialtone::usage_metering {

struct UsageMetrics::Impl {
  prometheus::Counter* events;
  prometheus::Counter* duplicates;
  prometheus::Counter* batches;
  prometheus::Histogram* script_seconds;
  prometheus::Counter* rollups_ok;
  prometheus::Counter* rollups_failed;
  prometheus::Counter* pushes_sent;
  prometheus::Counter* pushes_dropped;
};

UsageMetrics::~UsageMetrics() { delete impl_.load(); }

void UsageMetrics::Attach(prometheus::Registry& r) {
  auto* impl = new Impl;
  auto& events = prometheus::BuildCounter()
                     .Name("dialtone_usage_events_total")
                     .Help("Usage events by outcome")
                     .Register(r);
  impl->events = &events.Add({{"outcome", "counted"}});
  impl->duplicates = &events.Add({{"outcome", "duplicate"}});
  impl->batches = &prometheus::BuildCounter()
                       .Name("dialtone_usage_script_runs_total")
                       .Help("Publish script runs (one per account per batch)")
                       .Register(r)
                       .Add({});
  impl->script_seconds = &prometheus::BuildHistogram()
                              .Name("dialtone_usage_script_seconds")
                              .Help("Publish script latency")
                              .Register(r)
                              .Add({}, prometheus::Histogram::BucketBoundaries{
                                           0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.05, 0.25});
  auto& rollups = prometheus::BuildCounter()
                      .Name("dialtone_usage_rollup_runs_total")
                      .Help("Roll-up runs by result")
                      .Register(r);
  impl->rollups_ok = &rollups.Add({{"result", "ok"}});
  impl->rollups_failed = &rollups.Add({{"result", "error"}});
  auto& pushes = prometheus::BuildCounter()
                     .Name("dialtone_usage_trigger_updates_total")
                     .Help("Counter updates pushed to triggers, by outcome")
                     .Register(r);
  impl->pushes_sent = &pushes.Add({{"outcome", "sent"}});
  impl->pushes_dropped = &pushes.Add({{"outcome", "dropped"}});
  Impl* expected = nullptr;
  if (!impl_.compare_exchange_strong(expected, impl)) delete impl;
}

void UsageMetrics::Counted(int events, int duplicates) {
  if (Impl* m = impl_.load()) {
    m->events->Increment(events);
    m->duplicates->Increment(duplicates);
  }
}

void UsageMetrics::Batch(absl::Duration latency) {
  if (Impl* m = impl_.load()) {
    m->batches->Increment();
    m->script_seconds->Observe(absl::ToDoubleSeconds(latency));
  }
}

void UsageMetrics::RollUp(bool ok) {
  if (Impl* m = impl_.load()) (ok ? m->rollups_ok : m->rollups_failed)->Increment();
}

void UsageMetrics::TriggerPush(int sent, int dropped) {
  if (Impl* m = impl_.load()) {
    m->pushes_sent->Increment(sent);
    m->pushes_dropped->Increment(dropped);
  }
}

}  // namespace dialtone::usage_metering
