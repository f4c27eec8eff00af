// TriggerPusher and the gRPC sink.
#include "adapters/trigger_pusher.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "dialtone/rpc/status.h"
#include "dialtone/rpc/tls_config.h"
#include "dialtone/triggers/v1/triggers.grpc.pb.h"
#include "dialtone/usage/micros.h"

namespace dialtone::usage_metering {
namespace {

namespace tpb = dialtone::triggers::v1;

class GrpcCounterSink final : public CounterSink {
 public:
  GrpcCounterSink(const std::string& addr, const rpc::TlsConfig& tls, absl::Duration deadline)
      : stub_(tpb::Triggers::NewStub(rpc::OpenChannel(addr, tls))), deadline_(deadline) {}

  absl::Status Report(const std::vector<CounterValue>& updates, absl::Time newest_event) override {
    tpb::ReportCountersRequest req;
    for (const CounterValue& v : updates) {
      tpb::CounterUpdate* u = req.add_updates();
      u->set_account_sid(v.account_sid);
      u->set_category(v.category);
      u->set_period(v.period);
      u->set_count(std::to_string(v.totals.count));
      u->set_usage(usage::FormatMicros(v.totals.usage));
      u->set_price(usage::FormatMicros(v.totals.price));
      if (newest_event != absl::InfinitePast()) rpc::ToProto(newest_event, u->mutable_event_time());
    }
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + deadline_));
    tpb::ReportCountersResponse resp;
    return rpc::FromGrpcStatus(stub_->ReportCounters(&ctx, req, &resp));
  }

 private:
  std::unique_ptr<tpb::Triggers::Stub> stub_;
  absl::Duration deadline_;
};

}  // namespace

std::unique_ptr<CounterSink> MakeGrpcCounterSink(const std::string& triggers_addr,
                                                 const rpc::TlsConfig& tls,
                                                 absl::Duration deadline) {
  return std::make_unique<GrpcCounterSink>(triggers_addr, tls, deadline);
}

TriggerPusher::TriggerPusher(CounterSink& sink, Options options, UsageMetrics* metrics)
    : sink_(sink), options_(options), metrics_(metrics), thread_([this] { Loop(); }) {}

TriggerPusher::~TriggerPusher() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void TriggerPusher::Push(const std::vector<CounterValue>& values, absl::Time newest_event) {
  int dropped = 0;
  {
    std::lock_guard lock(mu_);
    newest_event_ = std::max(newest_event_, newest_event);
    for (const CounterValue& v : values) {
      std::string key = absl::StrCat(v.account_sid, "|", v.category, "|", v.period);
      auto it = pending_.find(key);
      if (it == pending_.end()) {
        if (pending_.size() >= options_.max_pending) {
          ++dropped;
          continue;
        }
        pending_.emplace(std::move(key), v);
      } else {
        Totals& t = it->second.totals;
        t.count = std::max(t.count, v.totals.count);
        t.usage = std::max(t.usage, v.totals.usage);
        t.price = std::max(t.price, v.totals.price);
      }
    }
    dropped_ += dropped;
  }
  if (dropped > 0 && metrics_) metrics_->TriggerPush(0, dropped);
}

void TriggerPusher::Loop() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait_for(lock, absl::ToChronoMilliseconds(options_.interval), [&] { return stop_; });
    SendPending(lock);
    if (stop_) return;
  }
}

// Called with the lock held; sends without it.
void TriggerPusher::SendPending(std::unique_lock<std::mutex>& lock) {
  while (!pending_.empty()) {
    std::vector<CounterValue> batch;
    while (!pending_.empty() && batch.size() < options_.max_batch) {
      batch.push_back(std::move(pending_.begin()->second));
      pending_.erase(pending_.begin());
    }
    absl::Time newest = newest_event_;
    lock.unlock();
    absl::Status s = sink_.Report(batch, newest);
    lock.lock();
    int n = static_cast<int>(batch.size());
    if (s.ok()) {
      sent_ += n;
    } else {
      // No retry: the triggers service sweeps counters, and a retry queue would only grow
      // while it is down.
      dropped_ += n;
    }
    if (metrics_) metrics_->TriggerPush(s.ok() ? n : 0, s.ok() ? 0 : n);
  }
}

int64_t TriggerPusher::sent() const {
  std::lock_guard lock(mu_);
  return sent_;
}

int64_t TriggerPusher::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

}  // namespace dialtone::usage_metering
