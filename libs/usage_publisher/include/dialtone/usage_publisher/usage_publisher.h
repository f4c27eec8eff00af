// UsagePublisher: what every Dialtone service uses to publish usage events to usage-metering.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dialtone/usage/v1/usage_metering.pb.h"
#include "dialtone/usage_publisher/usage_spool.h"
#include "dialtone/usage_publisher/usage_transport.h"

namespace dialtone::usage_publisher {

// Publish() is non-blocking: it appends to an in-memory buffer. A sender thread ships the
// buffer every `flush_interval` (or as soon as `batch_size` events wait) with PublishUsage.
// When metering or its Redis is unreachable, the batch is appended to the spool file and
// fsync'ed, and from then on new events go to the spool too (keeping their order) until a
// retry, with exponential backoff, drains it. Every event carries its own id, and metering
// counts an id once, so replays after a crash or a lost acknowledgement never double count.
//
// Durability: an event is safe once it is acknowledged or spooled. A process killed with
// SIGKILL (or a host crash) loses at most the events of the last flush interval: those still in
// the memory buffer, and the batch whose PublishUsage call was in flight if metering had not
// counted it yet. A graceful Shutdown() loses nothing: what cannot be sent is spooled, and the
// next publisher started on the same spool file sends it.
//
// A batch that metering rejects as invalid is retried event by event; events rejected on
// their own are dropped (dropped()) and logged by the caller's metrics, since no retry helps.
//
// Thread-safe: Publish, Flush and the counters may be called from any thread.
//
//   auto pub = UsagePublisher::Create({.spool_path = "/var/lib/dialtone/usage.spool"},
//                                     MakeGrpcUsageTransport("127.0.0.1:50054", tls));
//   (*pub)->Publish(event);      // event_id, account_sid, category, count, usage, price, time
//   (*pub)->Shutdown();          // on SIGTERM
class UsagePublisher {
 public:
  struct Options {
    std::string spool_path;  // required; one publisher per file
    size_t batch_size = 500;
    absl::Duration flush_interval = absl::Milliseconds(200);
    absl::Duration initial_backoff = absl::Milliseconds(100);
    absl::Duration max_backoff = absl::Seconds(10);
  };

  // Fails when the spool cannot be opened (or another process holds it).
  static absl::StatusOr<std::unique_ptr<UsagePublisher>> Create(
      Options options, std::unique_ptr<UsageTransport> transport);
  ~UsagePublisher();  // Shutdown()

  // Queues an event; a missing time is set to now (so a replay lands in the same period).
  void Publish(usage::v1::UsageEvent event);

  // Blocks until everything published so far is acknowledged (true) or `timeout` passes.
  bool Flush(absl::Duration timeout);

  // Sends what it can, spools the rest, and stops the sender thread. Idempotent.
  void Shutdown();

  // Counters since start.
  int64_t acknowledged() const;  // events metering acknowledged
  int64_t spooled() const;       // events written to the spool
  int64_t dropped() const;       // events metering rejected as invalid
  int64_t pending() const;       // in memory or in the spool

 private:
  UsagePublisher(Options options, std::unique_ptr<UsageTransport> transport,
                 std::unique_ptr<UsageSpool> spool);
  void Loop();  // sender thread
  // Sender thread, without the lock. Each returns false when metering is unreachable.
  bool SendBatch(const std::vector<usage::v1::UsageEvent>& batch);
  bool DrainSpool();
  void Backoff();

  Options options_;
  std::unique_ptr<UsageTransport> transport_;
  std::unique_ptr<UsageSpool> spool_;           // sender thread only
  int64_t drained_offset_ = 0;                  // sender thread only
  absl::Time retry_at_ = absl::InfinitePast();  // sender thread only
  int backoff_attempt_ = 0;                     // sender thread only

  mutable std::mutex mu_;
  std::condition_variable cv_;       // wakes the sender
  std::condition_variable idle_cv_;  // wakes Flush()
  std::vector<usage::v1::UsageEvent> buffer_;
  int64_t in_flight_ = 0;     // taken from the buffer, not yet acknowledged or spooled
  int64_t spool_events_ = 0;  // events in the spool not yet acknowledged
  bool stop_ = false;
  bool stopped_ = false;
  int64_t acknowledged_ = 0;
  int64_t spooled_ = 0;
  int64_t dropped_ = 0;
  std::thread thread_;
};

}  // namespace dialtone::usage_publisher
