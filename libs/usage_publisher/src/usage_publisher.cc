// UsagePublisher: memory buffer -> PublishUsage, or -> spool file -> PublishUsage later.
#include "dialtone/usage_publisher/usage_publisher.h"

#include <algorithm>

#include "dialtone/rpc/status.h"

namespace dialtone::usage_publisher {

namespace pb = dialtone::usage::v1;

namespace {

// What a send did with the front of a batch.
struct SendResult {
  size_t handled = 0;  // events settled from the front: acknowledged or dropped
  int64_t acked = 0;
  int64_t dropped = 0;
};

// Sends `batch`; on InvalidArgument retries event by event so that one bad event does not
// hold back the good ones. Stops at the first transient failure.
SendResult Send(UsageTransport& transport, const std::vector<pb::UsageEvent>& batch) {
  SendResult r;
  absl::Status s = transport.Publish(batch);
  if (s.ok()) return {batch.size(), static_cast<int64_t>(batch.size()), 0};
  if (s.code() != absl::StatusCode::kInvalidArgument) return r;
  for (const pb::UsageEvent& e : batch) {
    absl::Status one = transport.Publish({e});
    if (one.ok()) {
      ++r.acked;
    } else if (one.code() == absl::StatusCode::kInvalidArgument) {
      ++r.dropped;
    } else {
      return r;
    }
    ++r.handled;
  }
  return r;
}

}  // namespace

absl::StatusOr<std::unique_ptr<UsagePublisher>> UsagePublisher::Create(
    Options options, std::unique_ptr<UsageTransport> transport) {
  if (options.spool_path.empty()) return absl::InvalidArgumentError("spool_path is required");
  if (options.batch_size == 0) return absl::InvalidArgumentError("batch_size must be positive");
  auto spool = UsageSpool::Open(options.spool_path);
  if (!spool.ok()) return spool.status();
  return std::unique_ptr<UsagePublisher>(
      new UsagePublisher(std::move(options), std::move(transport), std::move(*spool)));
}

UsagePublisher::UsagePublisher(Options options, std::unique_ptr<UsageTransport> transport,
                               std::unique_ptr<UsageSpool> spool)
    : options_(std::move(options)), transport_(std::move(transport)), spool_(std::move(spool)) {
  spool_events_ = spool_->records();  // left by an earlier process: sent first
  thread_ = std::thread([this] { Loop(); });
}

UsagePublisher::~UsagePublisher() { Shutdown(); }

void UsagePublisher::Publish(pb::UsageEvent event) {
  if (!event.has_time()) rpc::ToProto(absl::Now(), event.mutable_time());
  std::lock_guard lock(mu_);
  buffer_.push_back(std::move(event));
  if (buffer_.size() == options_.batch_size) cv_.notify_one();
}

bool UsagePublisher::Flush(absl::Duration timeout) {
  std::unique_lock lock(mu_);
  cv_.notify_one();
  return idle_cv_.wait_for(lock, absl::ToChronoMilliseconds(timeout), [&] {
    return buffer_.empty() && in_flight_ == 0 && spool_events_ == 0;
  });
}

void UsagePublisher::Shutdown() {
  {
    std::lock_guard lock(mu_);
    if (stop_) return;
    stop_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void UsagePublisher::Loop() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait_for(lock, absl::ToChronoMilliseconds(options_.flush_interval),
                 [&] { return stop_ || buffer_.size() >= options_.batch_size; });
    bool stopping = stop_;
    std::vector<pb::UsageEvent> taken;
    taken.swap(buffer_);
    in_flight_ += static_cast<int64_t>(taken.size());
    lock.unlock();

    bool reachable = true;
    if (!spool_->empty()) {
      // The spool is the queue while it holds anything: new events join its tail.
      if (!taken.empty()) {
        if (absl::Status s = spool_->Append(taken); s.ok()) {
          std::lock_guard g(mu_);
          in_flight_ -= static_cast<int64_t>(taken.size());
          spool_events_ += static_cast<int64_t>(taken.size());
          spooled_ += static_cast<int64_t>(taken.size());
          taken.clear();
        }
      }
      if (taken.empty() && (stopping || absl::Now() >= retry_at_)) reachable = DrainSpool();
    }
    if (spool_->empty() && !taken.empty()) {
      for (size_t i = 0; i < taken.size(); i += options_.batch_size) {
        std::vector<pb::UsageEvent> batch(
            taken.begin() + i, taken.begin() + std::min(taken.size(), i + options_.batch_size));
        SendResult r = Send(*transport_, batch);
        {
          std::lock_guard g(mu_);
          acknowledged_ += r.acked;
          dropped_ += r.dropped;
          in_flight_ -= static_cast<int64_t>(r.handled);
        }
        if (r.handled < batch.size()) {
          std::vector<pb::UsageEvent> rest(taken.begin() + i + r.handled, taken.end());
          reachable = false;
          if (spool_->Append(rest).ok()) {
            std::lock_guard g(mu_);
            in_flight_ -= static_cast<int64_t>(rest.size());
            spool_events_ += static_cast<int64_t>(rest.size());
            spooled_ += static_cast<int64_t>(rest.size());
            taken.clear();
          } else {
            taken = std::move(rest);
          }
          break;
        }
        if (i + batch.size() >= taken.size()) taken.clear();
      }
    }
    if (!reachable) Backoff();
    lock.lock();
    if (!taken.empty()) {
      // The spool could not take them (disk full?): keep them in memory, in order, for later.
      in_flight_ -= static_cast<int64_t>(taken.size());
      buffer_.insert(buffer_.begin(), std::make_move_iterator(taken.begin()),
                     std::make_move_iterator(taken.end()));
      if (stopping) break;  // nowhere left to put them
    }
    idle_cv_.notify_all();
    if (stopping && buffer_.empty()) break;
  }
  stopped_ = true;
  idle_cv_.notify_all();
}

bool UsagePublisher::DrainSpool() {
  while (drained_offset_ < spool_->size()) {
    int64_t next = 0;
    auto events = spool_->Read(drained_offset_, options_.batch_size, &next);
    if (!events.ok()) break;  // cannot happen after Open's check; give up on the rest
    SendResult r = Send(*transport_, *events);
    if (r.handled < events->size()) return false;  // resent later; metering deduplicates
    std::lock_guard g(mu_);
    acknowledged_ += r.acked;
    dropped_ += r.dropped;
    spool_events_ -= static_cast<int64_t>(events->size());
    drained_offset_ = next;
  }
  if (spool_->Clear().ok()) {
    drained_offset_ = 0;
    std::lock_guard g(mu_);
    spool_events_ = 0;
  }
  backoff_attempt_ = 0;
  retry_at_ = absl::InfinitePast();
  return true;
}

void UsagePublisher::Backoff() {
  absl::Duration d = options_.initial_backoff;
  for (int i = 0; i < backoff_attempt_ && d < options_.max_backoff; ++i) d *= 2;
  d = std::min(d, options_.max_backoff);
  ++backoff_attempt_;
  retry_at_ = absl::Now() + d;
}

int64_t UsagePublisher::acknowledged() const {
  std::lock_guard lock(mu_);
  return acknowledged_;
}
int64_t UsagePublisher::spooled() const {
  std::lock_guard lock(mu_);
  return spooled_;
}
int64_t UsagePublisher::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}
int64_t UsagePublisher::pending() const {
  std::lock_guard lock(mu_);
  return static_cast<int64_t>(buffer_.size()) + in_flight_ + spool_events_;
}

}  // namespace dialtone::usage_publisher
