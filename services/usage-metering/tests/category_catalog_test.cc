// The category catalogue and its roll-ups.
#include <catch2/catch.hpp>

#include "domain/category_catalog.h"

using namespace dialtone::usage_metering;

TEST_CASE("Inbound and outbound calls also count into calls") {
  CHECK(CountedInto("calls-inbound") == std::vector<std::string>{"calls-inbound", "calls"});
  CHECK(CountedInto("calls-outbound") == std::vector<std::string>{"calls-outbound", "calls"});
  CHECK(CountedInto("calls") == std::vector<std::string>{"calls"});
  CHECK(CountedInto("tts") == std::vector<std::string>{"tts"});
}

TEST_CASE("Every category has Twilio's units and a description, and roll-ups exist") {
  for (const CategoryInfo& c : AllCategories()) {
    INFO(c.name);
    CHECK_FALSE(c.description.empty());
    CHECK_FALSE(c.usage_unit.empty());
    for (const auto& r : c.rolls_up_into) CHECK(FindCategory(r) != nullptr);
  }
  REQUIRE(FindCategory("tts") != nullptr);
  CHECK(FindCategory("tts")->usage_unit == "characters");
  CHECK(FindCategory("api-requests")->count_unit == "requests");
  CHECK(FindCategory("totalprice") != nullptr);
  CHECK(FindCategory("sms") == nullptr);
}
