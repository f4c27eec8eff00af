// Cache-Control, Expires and Age arithmetic.
#include "domain/cache_policy.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace dialtone::media_layer {
namespace {

std::optional<int64_t> Seconds(absl::string_view v) {
  v = absl::StripAsciiWhitespace(v);
  if (absl::ConsumePrefix(&v, "\"")) absl::ConsumeSuffix(&v, "\"");
  int64_t s = 0;
  if (!absl::SimpleAtoi(v, &s) || s < 0) return std::nullopt;
  return s;
}

}  // namespace

std::optional<absl::Time> ParseHttpDate(const std::string& value) {
  std::string v(absl::StripAsciiWhitespace(value));
  absl::Time t;
  std::string err;
  for (const char* fmt :
       {"%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"}) {
    if (absl::ParseTime(fmt, v, absl::UTCTimeZone(), &t, &err)) return t;
  }
  return std::nullopt;
}

std::string FormatHttpDate(absl::Time t) {
  return absl::FormatTime("%a, %d %b %Y %H:%M:%S GMT", t, absl::UTCTimeZone());
}

Freshness ComputeFreshness(const CacheHeaders& h, absl::Time now, absl::Duration default_ttl) {
  bool no_cache = false;
  std::optional<int64_t> max_age, s_maxage;
  for (absl::string_view d : absl::StrSplit(h.cache_control, ',', absl::SkipWhitespace())) {
    d = absl::StripAsciiWhitespace(d);
    std::vector<absl::string_view> kv = absl::StrSplit(d, absl::MaxSplits('=', 1));
    std::string name = absl::AsciiStrToLower(absl::StripAsciiWhitespace(kv[0]));
    if (name == "no-store" || name == "private") return {.store = false, .fresh_until = now};
    if (name == "no-cache") no_cache = true;
    if (kv.size() == 2 && name == "max-age") max_age = Seconds(kv[1]);
    if (kv.size() == 2 && name == "s-maxage") s_maxage = Seconds(kv[1]);
  }
  if (no_cache) return {.store = true, .fresh_until = now};
  // The age the response already had when we received it.
  absl::Duration age = absl::ZeroDuration();
  if (auto a = Seconds(h.age)) age = absl::Seconds(*a);
  if (s_maxage) return {.store = true, .fresh_until = now + absl::Seconds(*s_maxage) - age};
  if (max_age) return {.store = true, .fresh_until = now + absl::Seconds(*max_age) - age};
  if (!h.expires.empty()) {
    auto expires = ParseHttpDate(h.expires);
    if (!expires) return {.store = true, .fresh_until = now};  // invalid Expires: already stale
    auto date = ParseHttpDate(h.date);
    absl::Duration lifetime = *expires - (date ? *date : now);
    return {.store = true, .fresh_until = now + lifetime - age};
  }
  return {.store = true, .fresh_until = now + default_ttl};
}

}  // namespace dialtone::media_layer
