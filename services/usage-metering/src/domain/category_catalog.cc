// The catalogue itself: a subset of Twilio's usage categories that Dialtone produces.
#include "domain/category_catalog.h"

#include <algorithm>

namespace dialtone::usage_metering {

const std::vector<CategoryInfo>& AllCategories() {
  // Units follow Twilio's usage records: calls count in "calls" and use "minutes".
  static const std::vector<CategoryInfo> kCatalog = {
      {"calls", "Voice Minutes", "calls", "minutes", {}},
      {"calls-inbound", "Inbound Voice Minutes", "calls", "minutes", {"calls"}},
      {"calls-outbound", "Outbound Voice Minutes", "calls", "minutes", {"calls"}},
      {"calls-client", "Client Calls", "calls", "minutes", {"calls"}},
      {"calls-sip", "SIP Calls", "calls", "minutes", {"calls"}},
      {"recordings", "Voice Recordings", "recordings", "minutes", {}},
      {"recordingstorage", "Recording Storage", "minutes", "minutes", {}},
      {"transcriptions", "Voice Transcriptions", "transcriptions", "minutes", {}},
      {"tts", "Text To Speech", "requests", "characters", {}},
      {"media-requests", "Media Requests", "requests", "requests", {}},
      // Dialtone's own: Twilio's usage records name no category for Media Streams.
      {"media-streams", "Media Streams", "streams", "minutes", {}},
      {"api-requests", "API Requests", "requests", "requests", {}},
      {"phonenumbers", "Phone Numbers", "phonenumbers", "phonenumbers", {}},
      {"totalprice", "Total Price", "", "usd", {}},
  };
  return kCatalog;
}

const CategoryInfo* FindCategory(absl::string_view name) {
  const auto& all = AllCategories();
  auto it =
      std::find_if(all.begin(), all.end(), [&](const CategoryInfo& c) { return c.name == name; });
  return it == all.end() ? nullptr : &*it;
}

std::vector<std::string> CountedInto(absl::string_view category) {
  std::vector<std::string> out{std::string(category)};
  if (const CategoryInfo* info = FindCategory(category)) {
    out.insert(out.end(), info->rolls_up_into.begin(), info->rolls_up_into.end());
  }
  return out;
}

}  // namespace dialtone::usage_metering
