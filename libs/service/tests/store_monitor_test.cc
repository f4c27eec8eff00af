// The monitor reports a store ready only after it answers and its on_connect step succeeded,
// and not ready as soon as it stops answering. Probes here are plain functions (no I/O).
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>

#include "dialtone/service/store_monitor.h"

using dialtone::service::StoreMonitor;

namespace {
bool Eventually(const std::function<bool()>& cond) {
  for (int i = 0; i < 200; ++i) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}
}  // namespace

TEST_CASE("A store becomes ready when it answers, and on_connect runs once") {
  std::atomic<bool> up{false};
  std::atomic<int> connects{0}, changes{0};
  StoreMonitor m({.name = "fake",
                  .probe = [&] { return up ? absl::OkStatus() : absl::UnavailableError("down"); },
                  .on_connect =
                      [&] {
                        ++connects;
                        return absl::OkStatus();
                      },
                  .on_change = [&](bool) { ++changes; },
                  .check_interval = absl::Milliseconds(10),
                  .initial_backoff = absl::Milliseconds(5),
                  .max_backoff = absl::Milliseconds(20)});
  m.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  CHECK_FALSE(m.ready());
  up = true;
  REQUIRE(Eventually([&] { return m.ready(); }));
  up = false;
  REQUIRE(Eventually([&] { return !m.ready(); }));
  up = true;
  REQUIRE(Eventually([&] { return m.ready(); }));
  m.Stop();
  CHECK(connects == 1);
  CHECK(changes == 3);
}

TEST_CASE("A failing on_connect keeps the store not ready and is retried") {
  std::atomic<int> attempts{0};
  StoreMonitor m({.name = "fake",
                  .probe = [] { return absl::OkStatus(); },
                  .on_connect =
                      [&] {
                        return ++attempts < 3 ? absl::InternalError("migration failed")
                                              : absl::OkStatus();
                      },
                  .initial_backoff = absl::Milliseconds(5),
                  .max_backoff = absl::Milliseconds(10)});
  m.Start();
  REQUIRE(Eventually([&] { return m.ready(); }));
  CHECK(attempts == 3);
}
