// Event validation: what a publisher may send.
#include <catch2/catch.hpp>

#include "domain/usage_event.h"

using namespace dialtone::usage_metering;

namespace {
RawUsageEvent Good() {
  return {.event_id = "CAx:minutes",
          .account_sid = "AC" + std::string(32, 'a'),
          .category = "calls-inbound",
          .count = 1,
          .usage = "2.5",
          .price = "0.0085",
          .price_unit = "USD",
          .time = absl::FromUnixSeconds(1'780'000'000)};
}
}  // namespace

TEST_CASE("A valid event converts amounts to micro-units") {
  auto e = ValidateEvent(Good());
  REQUIRE(e.ok());
  CHECK(e->usage_micros == 2'500'000);
  CHECK(e->price_micros == 8'500);
  CHECK(e->count == 1);
}

TEST_CASE("Invalid events are rejected with the reason") {
  auto check = [](auto mutate, const char* needle) {
    RawUsageEvent raw = Good();
    mutate(raw);
    auto e = ValidateEvent(raw);
    REQUIRE(e.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK_THAT(std::string(e.status().message()), Catch::Contains(needle));
  };
  check([](RawUsageEvent& r) { r.event_id.clear(); }, "event_id");
  check([](RawUsageEvent& r) { r.event_id = std::string(129, 'x'); }, "longer than 128");
  check([](RawUsageEvent& r) { r.account_sid = "ACnope"; }, "account_sid");
  check([](RawUsageEvent& r) { r.category = "sms-outbound"; }, "unknown category");
  check([](RawUsageEvent& r) { r.count = -1; }, "count");
  check([](RawUsageEvent& r) { r.usage = "-3"; }, "usage");
  check([](RawUsageEvent& r) { r.price = "0.00000001"; }, "price");
  check([](RawUsageEvent& r) { r.price_unit = "EUR"; }, "price_unit");
  check([](RawUsageEvent& r) { r.time = absl::InfinitePast(); }, "time");
  RawUsageEvent longest = Good();
  longest.event_id = std::string(128, 'x');
  CHECK(ValidateEvent(longest).ok());
}
