// The usage category catalogue: Twilio's category names with units, descriptions and roll-ups.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace dialtone::usage_metering {

// One category. `rolls_up_into` lists the categories an event of this one also counts into
// (calls-inbound -> calls). Every event with a price also counts its price into totalprice.
struct CategoryInfo {
  std::string name;
  std::string description;
  std::string count_unit;
  std::string usage_unit;
  std::vector<std::string> rolls_up_into;
};

inline constexpr absl::string_view kTotalPrice = "totalprice";

// Every known category, in a stable order (the order of ListCategories and of query results).
const std::vector<CategoryInfo>& AllCategories();

// nullptr for an unknown name.
const CategoryInfo* FindCategory(absl::string_view name);

// The categories an event of `category` increments: itself first, then its roll-ups. Assumes a
// known category. totalprice is not included: it depends on the event's price (see counter_plan).
std::vector<std::string> CountedInto(absl::string_view category);

}  // namespace dialtone::usage_metering
