// A finished call bills one call and its started minutes, only when it was answered.
#include <catch2/catch.hpp>

#include "calls/call_usage.h"

using dialtone::call_router::CallUsageFor;

TEST_CASE("An answered inbound call bills its started minutes") {
  auto u = CallUsageFor("CA1", "inbound", 61, true);
  REQUIRE(u.has_value());
  CHECK(u->category == "calls-inbound");
  CHECK(u->count == 1);
  CHECK(u->minutes == 2);
  CHECK(u->event_id == "CA1:call");
  CHECK(CallUsageFor("CA1", "inbound", 60, true)->minutes == 1);
  CHECK(CallUsageFor("CA1", "inbound", 0, true)->minutes == 1);
}

TEST_CASE("Outbound calls bill as calls-outbound and unanswered calls bill nothing") {
  CHECK(CallUsageFor("CA2", "outbound-api", 5, true)->category == "calls-outbound");
  CHECK(CallUsageFor("CA3", "outbound-dial", 5, true)->category == "calls-outbound");
  CHECK_FALSE(CallUsageFor("CA4", "inbound", 0, false).has_value());
}
