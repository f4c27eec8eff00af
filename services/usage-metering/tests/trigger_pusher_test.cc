// TriggerPusher: batching, coalescing, and dropping without blocking the publisher.
#include <catch2/catch.hpp>

#include <mutex>
#include <thread>

#include "adapters/trigger_pusher.h"

using namespace dialtone::usage_metering;

namespace {

class FakeSink : public CounterSink {
 public:
  absl::Status Report(const std::vector<CounterValue>& updates, absl::Time) override {
    std::lock_guard lock(mu);
    calls++;
    if (fail) return absl::UnavailableError("triggers down");
    for (const auto& u : updates) received.push_back(u);
    return absl::OkStatus();
  }
  std::mutex mu;
  bool fail = false;
  int calls = 0;
  std::vector<CounterValue> received;
};

CounterValue V(std::string period, int64_t count) {
  return {"AC" + std::string(32, 'c'), "calls", std::move(period), {count, count * 10, 0}};
}

}  // namespace

TEST_CASE("Values of one counter coalesce to the highest before a push") {
  FakeSink sink;
  {
    TriggerPusher pusher(sink, {.interval = absl::Seconds(10)}, nullptr);
    pusher.Push({V("alltime", 3), V("daily:2026-11-25", 3)}, absl::Now());
    pusher.Push({V("alltime", 5)}, absl::Now());
    pusher.Push({V("alltime", 4)}, absl::Now());  // an older script's reply arriving late
  }                                               // destruction sends what is pending
  REQUIRE(sink.received.size() == 2);
  for (const auto& v : sink.received) {
    if (v.period == "alltime") {
      CHECK(v.totals.count == 5);
      CHECK(v.totals.usage == 50);
    }
  }
}

TEST_CASE("Pushes go out in batches on the interval") {
  FakeSink sink;
  TriggerPusher pusher(sink, {.interval = absl::Milliseconds(10), .max_batch = 2}, nullptr);
  pusher.Push({V("a", 1), V("b", 1), V("c", 1)}, absl::Now());
  for (int i = 0; i < 200 && pusher.sent() < 3; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  CHECK(pusher.sent() == 3);
  std::lock_guard lock(sink.mu);
  CHECK(sink.calls == 2);
}

TEST_CASE("A failing sink or a full queue drops and counts, never blocks") {
  FakeSink sink;
  sink.fail = true;
  TriggerPusher pusher(sink, {.interval = absl::Milliseconds(10), .max_pending = 2}, nullptr);
  pusher.Push({V("a", 1), V("b", 1), V("c", 1)}, absl::Now());  // c: queue full
  for (int i = 0; i < 200 && pusher.dropped() < 3; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  CHECK(pusher.dropped() == 3);
  CHECK(pusher.sent() == 0);
}
