// Key layout and the publish script's argument plan.
#include <catch2/catch.hpp>

#include <set>

#include "dialtone/core/time_format.h"
#include "domain/counter_layout.h"

using namespace dialtone::usage_metering;

namespace {
const std::string kAcct = "AC" + std::string(32, 'b');
UsageEvent Event(std::string id, std::string category, const char* iso, int64_t price = 0) {
  return {.event_id = std::move(id),
          .account_sid = kAcct,
          .category = std::move(category),
          .count = 1,
          .usage_micros = 60'000'000,
          .price_micros = price,
          .time = *dialtone::core::ParseIso8601(iso)};
}
}  // namespace

TEST_CASE("Every key of an account shares its hash tag") {
  std::string tag = "{" + kAcct + "}";
  CHECK(CounterKey(kAcct, "calls", "alltime") == "usage:" + tag + ":calls:alltime");
  CHECK(DedupKey(kAcct, "e1") == "usage:" + tag + ":ev:e1");
  CHECK(DirtyKey(kAcct) == "usage:" + tag + ":dirty");
  std::string c, d;
  REQUIRE(SplitDirtyMember(DirtyMember("calls-inbound", "2026-11-25"), &c, &d));
  CHECK(c == "calls-inbound");
  CHECK(d == "2026-11-25");
}

TEST_CASE("A priced inbound call plans its category, calls and totalprice in four periods") {
  ScriptCall call = PlanPublish({Event("e1", "calls-inbound", "2026-11-25T10:00:00Z", 8500)}, {});
  std::set<std::string> counters;
  for (const auto& r : call.counters) counters.insert(r.category + " " + r.period);
  CHECK(counters ==
        std::set<std::string>{"calls-inbound daily:2026-11-25", "calls-inbound monthly:2026-11",
                              "calls-inbound yearly:2026", "calls-inbound alltime",
                              "calls daily:2026-11-25", "calls monthly:2026-11",
                              "calls yearly:2026", "calls alltime", "totalprice daily:2026-11-25",
                              "totalprice monthly:2026-11", "totalprice yearly:2026",
                              "totalprice alltime"});
  // KEYS: dirty, 12 counters, 1 dedup key; every key in the account's slot.
  REQUIRE(call.keys.size() == 14);
  CHECK(call.keys.front() == DirtyKey(kAcct));
  CHECK(call.keys.back() == DedupKey(kAcct, "e1"));
  for (const auto& k : call.keys) CHECK(k.find("{" + kAcct + "}") != std::string::npos);
  // ARGV: retention, counter count, event count, then one TTL per counter (daily only).
  CHECK(call.args[1] == "12");
  CHECK(call.args[2] == "1");
  int with_ttl = 0;
  for (int i = 0; i < 12; ++i) with_ttl += call.args[3 + i] != "0";
  CHECK(with_ttl == 3);
}

TEST_CASE("Events of one batch share counter keys and each keeps its own dedup key") {
  ScriptCall call = PlanPublish(
      {Event("a", "tts", "2026-11-30T23:59:59Z"), Event("b", "tts", "2026-11-30T12:00:00Z"),
       Event("c", "tts", "2026-12-01T00:00:00Z")},
      {});
  // Nov 30 and Dec 1: 2 daily, 2 monthly, 1 yearly, 1 alltime.
  CHECK(call.counters.size() == 6);
  REQUIRE(call.keys.size() == 1 + 6 + 3);
  CHECK(call.keys[7] == DedupKey(kAcct, "a"));
  CHECK(call.keys[9] == DedupKey(kAcct, "c"));
}
