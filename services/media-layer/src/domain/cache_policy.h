// HTTP caching rules for fetched media (RFC 9111, the parts a shared cache of Play URLs needs).
// Pure, any thread.
#pragma once

#include <optional>
#include <string>

#include "absl/time/time.h"

namespace dialtone::media_layer {

// The caching headers of an origin response, as received (empty when absent).
struct CacheHeaders {
  std::string cache_control;
  std::string expires;
  std::string date;
  std::string age;
  std::string etag;
  std::string last_modified;
};

struct Freshness {
  bool store = true;       // false for no-store (and private: we are a shared cache)
  absl::Time fresh_until;  // stale from then on; revalidate before use
};

// Freshness of a response received at `now`. Order of precedence: no-store/private, s-maxage,
// max-age, Expires (relative to Date), no-cache (stale at once), and `default_ttl` when the
// origin says nothing (Twilio caches Play media by default).
Freshness ComputeFreshness(const CacheHeaders& headers, absl::Time now, absl::Duration default_ttl);

// RFC 7231 IMF-fixdate (and the obsolete RFC 850 / asctime forms); nullopt when unparsable.
std::optional<absl::Time> ParseHttpDate(const std::string& value);
std::string FormatHttpDate(absl::Time t);

}  // namespace dialtone::media_layer
