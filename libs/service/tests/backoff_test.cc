// Reconnect delays grow, are capped, and spread out.
#include <catch2/catch.hpp>

#include "dialtone/service/backoff.h"

using dialtone::service::Backoff;

TEST_CASE("Backoff doubles from the initial delay and stays under the cap") {
  Backoff b(absl::Milliseconds(100), absl::Seconds(1));
  absl::Duration d1 = b.Next(), d2 = b.Next(), d3 = b.Next();
  CHECK(d1 >= absl::Milliseconds(100));
  CHECK(d1 <= absl::Milliseconds(120));
  CHECK(d2 >= absl::Milliseconds(200));
  CHECK(d2 <= absl::Milliseconds(240));
  CHECK(d3 >= absl::Milliseconds(400));
  for (int i = 0; i < 50; ++i) CHECK(b.Next() <= absl::Seconds(1));
  b.Reset();
  CHECK(b.Next() <= absl::Milliseconds(120));
}

TEST_CASE("Two backoffs with different seeds do not retry in lockstep") {
  Backoff a(absl::Milliseconds(100), absl::Seconds(10), 1);
  Backoff b(absl::Milliseconds(100), absl::Seconds(10), 2);
  int differ = 0;
  for (int i = 0; i < 5; ++i) differ += a.Next() != b.Next();
  CHECK(differ > 0);
}
