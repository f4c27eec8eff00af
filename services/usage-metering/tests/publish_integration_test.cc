// PublishUsage and GetCounters against the real Redis: exactly-once counting per period.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <random>
#include <thread>

#include "adapters/trigger_pusher.h"
#include "usage_test_support.h"

using namespace dialtone::usage_metering;
using namespace dialtone::usage_metering::test;
using dialtone::core::NewSid;

TEST_CASE("The same batch published three times counts once") {
  Harness h;
  std::string a = NewSid("AC"), b = NewSid("AC");
  absl::Time t = At("2026-11-25T10:00:00Z");
  std::vector<pb::UsageEvent> batch = {
      Event("e1", a, "calls-inbound", t, 1, "2.5", "0.0085"),
      Event("e2", a, "calls-outbound", t, 1, "1", "0.013"), Event("e3", a, "tts", t, 1, "120"),
      Event("e1", b, "calls-inbound", t, 1, "3"),  // same id, other account: distinct event
  };
  auto first = h.Publish(batch);
  CHECK(first.counted() == 4);
  CHECK(first.duplicates() == 0);
  for (int i = 0; i < 2; ++i) {
    auto again = h.Publish(batch);
    CHECK(again.counted() == 0);
    CHECK(again.duplicates() == 4);
  }
  auto calls = h.Counters(a, "calls", t);
  CHECK(calls["daily:2026-11-25"] == "2/3.5/0.0215");
  CHECK(calls["monthly:2026-11"] == "2/3.5/0.0215");
  CHECK(calls["yearly:2026"] == "2/3.5/0.0215");
  CHECK(calls["alltime"] == "2/3.5/0.0215");
  CHECK(h.Counters(a, "calls-inbound", t)["alltime"] == "1/2.5/0.0085");
  CHECK(h.Counters(a, "tts", t)["alltime"] == "1/120/0");
  CHECK(h.Counters(a, "totalprice", t)["alltime"] == "0/0.0215/0.0215");
  CHECK(h.Counters(b, "calls", t)["alltime"] == "1/3/0");
}

TEST_CASE("A bad event fails the whole batch with INVALID_ARGUMENT naming it") {
  Harness h;
  std::string a = NewSid("AC");
  absl::Time t = At("2026-11-25T10:00:00Z");
  grpc::Status s;
  h.Publish({Event("ok", a, "tts", t, 1, "10"), Event("bad", a, "tts", t, 1, "1.2345678")}, &s);
  CHECK(s.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK_THAT(s.error_message(), Catch::Contains("\"bad\""));
  CHECK(h.Counters(a, "tts", t)["alltime"] == "0/0/0");  // the good one was not counted either
}

TEST_CASE("Eight concurrent publishers with overlapping event ids give exact totals") {
  Harness h;
  std::string a = NewSid("AC");
  absl::Time t = At("2026-11-25T10:00:00Z");
  constexpr int kEvents = 4000;
  std::atomic<int> counted{0}, duplicates{0};
  std::vector<std::thread> threads;
  for (int p = 0; p < 8; ++p) {
    threads.emplace_back([&, p] {
      // Each publisher sends a random half of the ids, in its own order, in batches of 50.
      std::vector<int> ids(kEvents);
      for (int i = 0; i < kEvents; ++i) ids[i] = i;
      std::mt19937 rng(p);
      std::shuffle(ids.begin(), ids.end(), rng);
      ids.resize(kEvents / 2);
      if (p == 0) {  // so that every id is published by someone
        ids.resize(kEvents);
        for (int i = 0; i < kEvents; ++i) ids[i] = i;
      }
      for (size_t i = 0; i < ids.size(); i += 50) {
        std::vector<pb::UsageEvent> batch;
        for (size_t j = i; j < std::min(ids.size(), i + 50); ++j) {
          batch.push_back(
              Event("ev-" + std::to_string(ids[j]), a, "calls-outbound", t, 1, "1.5", "0.001"));
        }
        auto r = h.Publish(batch);
        counted += r.counted();
        duplicates += r.duplicates();
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(counted == kEvents);
  CHECK(counted + duplicates == kEvents + 7 * kEvents / 2);
  CHECK(h.Counters(a, "calls-outbound", t)["daily:2026-11-25"] == "4000/6000/4");
  CHECK(h.Counters(a, "calls", t)["alltime"] == "4000/6000/4");
  CHECK(h.Counters(a, "totalprice", t)["monthly:2026-11"] == "0/4/4");
}

TEST_CASE("Events straddling midnight and month end land in the right periods") {
  Harness h;
  std::string a = NewSid("AC");
  h.Publish({Event("before", a, "api-requests", At("2026-01-31T23:59:59.999Z"), 1, "1"),
             Event("after", a, "api-requests", At("2026-02-01T00:00:00Z"), 2, "2"),
             Event("newyear", a, "api-requests", At("2026-12-31T23:59:59Z"), 4, "4"),
             Event("newyear2", a, "api-requests", At("2027-01-01T00:00:00Z"), 8, "8")});
  auto jan = h.Counters(a, "api-requests", At("2026-01-31T12:00:00Z"));
  CHECK(jan["daily:2026-01-31"] == "1/1/0");
  CHECK(jan["monthly:2026-01"] == "1/1/0");
  CHECK(jan["yearly:2026"] == "7/7/0");
  CHECK(jan["alltime"] == "15/15/0");
  auto feb = h.Counters(a, "api-requests", At("2026-02-01T00:00:00Z"));
  CHECK(feb["daily:2026-02-01"] == "2/2/0");
  CHECK(feb["monthly:2026-02"] == "2/2/0");
  auto y27 = h.Counters(a, "api-requests", At("2027-01-01T05:00:00Z"));
  CHECK(y27["daily:2027-01-01"] == "8/8/0");
  CHECK(y27["monthly:2027-01"] == "8/8/0");
  CHECK(y27["yearly:2027"] == "8/8/0");
  CHECK(h.Counters(a, "api-requests", At("2026-12-31T06:00:00Z"))["monthly:2026-12"] == "4/4/0");
}

TEST_CASE("Daily counters expire after the retention, longer periods do not") {
  Harness h;
  std::string a = NewSid("AC");
  h.Publish({Event("x", a, "tts", At("2026-11-25T10:00:00Z"), 1, "5")});
  auto daily = h.redis->Command({"TTL", CounterKey(a, "tts", "daily:2026-11-25")});
  auto monthly = h.redis->Command({"TTL", CounterKey(a, "tts", "monthly:2026-11")});
  auto dedup = h.redis->Command({"TTL", DedupKey(a, "x")});
  CHECK(daily->integer > 89 * 86400);
  CHECK(daily->integer <= 90 * 86400);
  CHECK(monthly->integer == -1);
  CHECK(dedup->integer > 34 * 86400);
  CHECK(dedup->integer <= 35 * 86400);
}

namespace {
class RecordingSink : public CounterSink {
 public:
  absl::Status Report(const std::vector<CounterValue>& updates, absl::Time) override {
    std::lock_guard lock(mu);
    for (const auto& u : updates) last[u.category + " " + u.period] = u.totals;
    return absl::OkStatus();
  }
  std::mutex mu;
  std::map<std::string, Totals> last;
};
}  // namespace

TEST_CASE("Counted batches push the post-increment values to triggers") {
  Harness h;
  RecordingSink sink;
  std::string a = NewSid("AC");
  absl::Time t = At("2026-11-25T10:00:00Z");
  {
    TriggerPusher pusher(sink, {.interval = absl::Milliseconds(5)}, nullptr);
    h.grpc.SetPusher(&pusher);
    h.Publish({Event("p1", a, "calls-inbound", t, 1, "2")});
    h.Publish(
        {Event("p2", a, "calls-inbound", t, 1, "3"), Event("p1", a, "calls-inbound", t, 1, "2")});
    h.grpc.SetPusher(nullptr);
  }
  std::lock_guard lock(sink.mu);
  CHECK(sink.last["calls-inbound alltime"] == Totals{2, 5'000'000, 0});
  CHECK(sink.last["calls daily:2026-11-25"] == Totals{2, 5'000'000, 0});
  CHECK(sink.last["calls monthly:2026-11"] == Totals{2, 5'000'000, 0});
}
