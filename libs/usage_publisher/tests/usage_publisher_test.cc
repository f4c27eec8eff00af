// UsagePublisher against a fake transport: batching, spooling while away, draining, shutdown.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>

#include "dialtone/testing/test_env.h"
#include "dialtone/usage_publisher/usage_publisher.h"

using namespace dialtone::usage_publisher;
namespace pb = dialtone::usage::v1;
namespace fs = std::filesystem;

namespace {

// Counts like metering does: each id once. Can be switched down, or lose acknowledgements.
class FakeMetering : public UsageTransport {
 public:
  absl::Status Publish(const std::vector<pb::UsageEvent>& events) override {
    std::lock_guard lock(mu);
    ++calls;
    max_batch = std::max(max_batch, events.size());
    if (down) return absl::UnavailableError("metering down");
    for (const auto& e : events) {
      if (e.event_id().rfind("bad", 0) == 0) return absl::InvalidArgumentError("bad event");
    }
    for (const auto& e : events) {
      if (ids.insert(e.event_id()).second) total += e.count();
      ++deliveries;
    }
    if (lose_ack) return absl::DeadlineExceededError("ack lost");
    return absl::OkStatus();
  }
  std::mutex mu;
  bool down = false;
  bool lose_ack = false;
  int calls = 0;
  size_t max_batch = 0;
  int64_t deliveries = 0;
  std::set<std::string> ids;
  int64_t total = 0;
};

struct Forwarder : UsageTransport {  // lets the test keep the fake after handing it over
  explicit Forwarder(FakeMetering& m) : m(m) {}
  absl::Status Publish(const std::vector<pb::UsageEvent>& e) override { return m.Publish(e); }
  FakeMetering& m;
};

pb::UsageEvent E(int i) {
  pb::UsageEvent e;
  e.set_event_id("ev-" + std::to_string(i));
  e.set_category("api-requests");
  e.set_count(1);
  return e;
}

std::string TempPath() {
  return (fs::temp_directory_path() / ("dt-pub-" + dialtone::testing::RandomSuffix())).string();
}

std::unique_ptr<UsagePublisher> Make(FakeMetering& m, const std::string& spool,
                                     size_t batch = 100) {
  auto p = UsagePublisher::Create({.spool_path = spool,
                                   .batch_size = batch,
                                   .flush_interval = absl::Milliseconds(10),
                                   .initial_backoff = absl::Milliseconds(5),
                                   .max_backoff = absl::Milliseconds(40)},
                                  std::make_unique<Forwarder>(m));
  if (!p.ok()) throw std::runtime_error(p.status().ToString());
  return std::move(*p);
}

}  // namespace

TEST_CASE("Events go out in batches no larger than batch_size, each counted once") {
  FakeMetering m;
  std::string spool = TempPath();
  auto pub = Make(m, spool, 100);
  for (int i = 0; i < 1000; ++i) pub->Publish(E(i));
  REQUIRE(pub->Flush(absl::Seconds(5)));
  CHECK(m.total == 1000);
  CHECK(m.max_batch <= 100);
  CHECK(pub->acknowledged() == 1000);
  CHECK(pub->spooled() == 0);
  fs::remove(spool);
}

TEST_CASE("While metering is down events are spooled, then drained exactly once") {
  FakeMetering m;
  std::string spool = TempPath();
  auto pub = Make(m, spool);
  for (int i = 0; i < 300; ++i) pub->Publish(E(i));
  REQUIRE(pub->Flush(absl::Seconds(5)));
  {
    std::lock_guard l(m.mu);
    m.down = true;
  }
  for (int i = 300; i < 800; ++i) pub->Publish(E(i));
  CHECK_FALSE(pub->Flush(absl::Milliseconds(200)));
  CHECK(pub->spooled() == 500);
  CHECK(fs::file_size(spool) > 0);
  {
    std::lock_guard l(m.mu);
    m.down = false;
  }
  for (int i = 800; i < 1000; ++i) pub->Publish(E(i));
  REQUIRE(pub->Flush(absl::Seconds(5)));
  CHECK(m.total == 1000);
  CHECK(m.ids.size() == 1000);
  CHECK(fs::file_size(spool) == 0);
  fs::remove(spool);
}

TEST_CASE("Shutdown while metering is down keeps the events for the next publisher") {
  FakeMetering m;
  std::string spool = TempPath();
  m.down = true;
  {
    auto pub = Make(m, spool);
    for (int i = 0; i < 250; ++i) pub->Publish(E(i));
    pub->Shutdown();
  }
  CHECK(m.total == 0);
  m.down = false;
  auto next = Make(m, spool);
  CHECK(next->pending() == 250);
  REQUIRE(next->Flush(absl::Seconds(5)));
  CHECK(m.total == 250);
  fs::remove(spool);
}

TEST_CASE("Shutdown flushes what is buffered") {
  FakeMetering m;
  std::string spool = TempPath();
  auto pub = UsagePublisher::Create({.spool_path = spool, .flush_interval = absl::Seconds(60)},
                                    std::make_unique<Forwarder>(m));
  REQUIRE(pub.ok());
  for (int i = 0; i < 10; ++i) (*pub)->Publish(E(i));
  (*pub)->Shutdown();
  CHECK(m.total == 10);
  fs::remove(spool);
}

TEST_CASE("Lost acknowledgements are replayed and metering's dedup keeps totals exact") {
  FakeMetering m;
  std::string spool = TempPath();
  auto pub = Make(m, spool);
  {
    std::lock_guard l(m.mu);
    m.lose_ack = true;
  }
  for (int i = 0; i < 200; ++i) pub->Publish(E(i));
  CHECK_FALSE(pub->Flush(absl::Milliseconds(100)));
  {
    std::lock_guard l(m.mu);
    m.lose_ack = false;
  }
  REQUIRE(pub->Flush(absl::Seconds(5)));
  CHECK(m.deliveries > 200);  // some were delivered twice...
  CHECK(m.total == 200);      // ...and counted once
  fs::remove(spool);
}

TEST_CASE("An invalid event is dropped without holding back the rest of its batch") {
  FakeMetering m;
  std::string spool = TempPath();
  auto pub = Make(m, spool);
  for (int i = 0; i < 5; ++i) pub->Publish(E(i));
  pb::UsageEvent bad = E(99);
  bad.set_event_id("bad-1");
  pub->Publish(bad);
  REQUIRE(pub->Flush(absl::Seconds(5)));
  CHECK(m.total == 5);
  CHECK(pub->dropped() == 1);
  fs::remove(spool);
}

TEST_CASE("Publish sets a missing time, so a replay keeps the event's period") {
  struct Capture : UsageTransport {
    absl::Status Publish(const std::vector<pb::UsageEvent>& e) override {
      std::lock_guard l(mu);
      got.insert(got.end(), e.begin(), e.end());
      return absl::OkStatus();
    }
    std::mutex mu;
    std::vector<pb::UsageEvent> got;
  };
  auto capture = std::make_unique<Capture>();
  Capture* c = capture.get();
  std::string spool = TempPath();
  auto pub = UsagePublisher::Create({.spool_path = spool}, std::move(capture));
  (*pub)->Publish(E(1));
  REQUIRE((*pub)->Flush(absl::Seconds(5)));
  std::lock_guard l(c->mu);
  REQUIRE(c->got.size() == 1);
  CHECK(c->got[0].has_time());
  CHECK(c->got[0].time().seconds() > 1'700'000'000);
  fs::remove(spool);
}
