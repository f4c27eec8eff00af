// MediaMetrics on prometheus-cpp.
#include "adapters/media_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <mutex>

#include "absl/strings/str_cat.h"

namespace dialtone::media_layer {

struct MediaMetrics::Impl {
  prometheus::Counter* hits;
  prometheus::Counter* misses;
  prometheus::Counter* revalidations;
  prometheus::Family<prometheus::Counter>* errors;
  prometheus::Counter* evictions;
  prometheus::Counter* bytes_served;
  prometheus::Histogram* fetch_seconds;
  prometheus::Histogram* synthesis_seconds;
};

MediaMetrics::~MediaMetrics() { delete impl_.load(); }

void MediaMetrics::Attach(prometheus::Registry& r) {
  auto* m = new Impl;
  auto& resolves = prometheus::BuildCounter()
                       .Name("dialtone_media_resolves_total")
                       .Help("Resolve requests by cache outcome")
                       .Register(r);
  m->hits = &resolves.Add({{"outcome", "hit"}});
  m->misses = &resolves.Add({{"outcome", "miss"}});
  m->revalidations = &resolves.Add({{"outcome", "revalidated"}});
  m->errors = &prometheus::BuildCounter()
                   .Name("dialtone_media_resolve_errors_total")
                   .Help("Failed resolves by Twilio error code")
                   .Register(r);
  m->evictions = &prometheus::BuildCounter()
                      .Name("dialtone_media_evictions_total")
                      .Help("Blobs evicted by the LRU size cap")
                      .Register(r)
                      .Add({});
  m->bytes_served = &prometheus::BuildCounter()
                         .Name("dialtone_media_served_bytes_total")
                         .Help("Audio bytes served over HTTP and ReadMedia")
                         .Register(r)
                         .Add({});
  prometheus::Histogram::BucketBoundaries b{0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                            0.5,   1,    2.5,   5,    10};
  m->fetch_seconds = &prometheus::BuildHistogram()
                          .Name("dialtone_media_fetch_seconds")
                          .Help("Origin fetch latency (including conditional requests)")
                          .Register(r)
                          .Add({}, b);
  m->synthesis_seconds = &prometheus::BuildHistogram()
                              .Name("dialtone_media_synthesis_seconds")
                              .Help("Text-to-speech latency")
                              .Register(r)
                              .Add({}, b);
  Impl* expected = nullptr;
  if (!impl_.compare_exchange_strong(expected, m)) delete m;
}

void MediaMetrics::Resolved(Outcome o) {
  if (Impl* m = impl_.load()) {
    (o == Outcome::kHit    ? m->hits
     : o == Outcome::kMiss ? m->misses
                           : m->revalidations)
        ->Increment();
  }
}

void MediaMetrics::Failed(int code) {
  if (Impl* m = impl_.load()) m->errors->Add({{"code", absl::StrCat(code)}}).Increment();
}

void MediaMetrics::Evicted(int blobs) {
  if (Impl* m = impl_.load()) m->evictions->Increment(blobs);
}

void MediaMetrics::BytesServed(int64_t bytes) {
  if (Impl* m = impl_.load()) m->bytes_served->Increment(static_cast<double>(bytes));
}

void MediaMetrics::Fetch(absl::Duration d) {
  if (Impl* m = impl_.load()) m->fetch_seconds->Observe(absl::ToDoubleSeconds(d));
}

void MediaMetrics::Synthesis(absl::Duration d) {
  if (Impl* m = impl_.load()) m->synthesis_seconds->Observe(absl::ToDoubleSeconds(d));
}

}  // namespace dialtone::media_layer
