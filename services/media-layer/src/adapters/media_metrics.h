// media-layer's Prometheus metrics. The runtime's registry exists only after Start(), while
// handlers exist before: Attach() creates the metrics later; until then updates are no-ops.
#pragma once

#include <atomic>
#include <string>

#include "absl/time/time.h"

namespace prometheus {
class Registry;
}  // namespace prometheus

namespace dialtone::media_layer {

// Thread-safe; any thread.
class MediaMetrics {
 public:
  enum class Outcome { kHit, kMiss, kRevalidated };
  MediaMetrics() = default;
  ~MediaMetrics();
  MediaMetrics(const MediaMetrics&) = delete;
  MediaMetrics& operator=(const MediaMetrics&) = delete;

  void Attach(prometheus::Registry& registry);  // once

  void Resolved(Outcome outcome);
  void Failed(int twilio_code);
  void Evicted(int blobs);
  void BytesServed(int64_t bytes);
  void Fetch(absl::Duration latency);
  void Synthesis(absl::Duration latency);

 private:
  struct Impl;
  std::atomic<Impl*> impl_{nullptr};
};

}  // namespace dialtone::media_layer
