// TriggerValue parsing: absolute values, "+N" resolved against the counter, and the errors.
#include <catch2/catch.hpp>

#include "dialtone/core/twilio_error.h"
#include "domain/trigger_value.h"

using namespace dialtone::triggers;

TEST_CASE("An absolute trigger value is stored as is") {
  auto v = ParseTriggerValue("12.5", TriggerBy::kUsage);
  REQUIRE(v.ok());
  CHECK_FALSE(v->relative);
  CHECK(*ResolveTriggerValue(*v, 99'000'000) == 12'500'000);
}

TEST_CASE("A +N trigger value is N above the current counter") {
  auto v = ParseTriggerValue("+10", TriggerBy::kCount);
  REQUIRE(v.ok());
  CHECK(v->relative);
  CHECK(*ResolveTriggerValue(*v, 7'000'000) == 17'000'000);
  CHECK(*ResolveTriggerValue(*ParseTriggerValue("+0.25", TriggerBy::kPrice), 1'500'000) ==
        1'750'000);
}

TEST_CASE("A missing trigger value is Twilio's missing parameter 21201") {
  auto v = ParseTriggerValue("", TriggerBy::kUsage);
  CHECK(absl::IsInvalidArgument(v.status()));
  CHECK(dialtone::core::TwilioCodeOf(v.status()) == kErrorMissingParameter);
  CHECK_THAT(std::string(v.status().message()), Catch::Contains("TriggerValue"));
}

TEST_CASE("Malformed, negative and fractional-count trigger values are rejected with 20001") {
  for (const char* bad : {"abc", "-5", "+", "1e3", "1.1234567", "++1", " 5"}) {
    INFO(bad);
    CHECK(dialtone::core::TwilioCodeOf(ParseTriggerValue(bad, TriggerBy::kUsage).status()) ==
          kErrorInvalidParameter);
  }
  CHECK(dialtone::core::TwilioCodeOf(ParseTriggerValue("2.5", TriggerBy::kCount).status()) ==
        kErrorInvalidParameter);
  CHECK(ParseTriggerValue("2", TriggerBy::kCount).ok());
}
