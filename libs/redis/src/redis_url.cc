// ParseRedisUrl.
#include "dialtone/redis/redis_url.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace dialtone::redis {

absl::StatusOr<RedisEndpoint> ParseRedisUrl(absl::string_view url) {
  RedisEndpoint ep;
  absl::string_view rest = url;
  if (!absl::ConsumePrefix(&rest, "redis://")) {
    return absl::InvalidArgumentError(absl::StrCat("Redis URL must start with redis://: ", url));
  }
  absl::string_view authority = rest.substr(0, rest.find('/'));
  absl::string_view path = rest.substr(authority.size());
  if (auto at = authority.rfind('@'); at != absl::string_view::npos) {
    absl::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    if (auto colon = userinfo.find(':'); colon != absl::string_view::npos) {
      ep.username = std::string(userinfo.substr(0, colon));
      ep.password = std::string(userinfo.substr(colon + 1));
    } else {
      ep.password = std::string(userinfo);
    }
  }
  absl::string_view host = authority;
  if (auto colon = authority.rfind(':');
      colon != absl::string_view::npos && authority.find(']', colon) == absl::string_view::npos) {
    host = authority.substr(0, colon);
    if (!absl::SimpleAtoi(authority.substr(colon + 1), &ep.port) || ep.port <= 0 ||
        ep.port > 65535) {
      return absl::InvalidArgumentError(absl::StrCat("Redis URL has a bad port: ", url));
    }
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) return absl::InvalidArgumentError(absl::StrCat("Redis URL has no host: ", url));
  ep.host = std::string(host);
  if (absl::ConsumePrefix(&path, "/") && !path.empty()) {
    if (!absl::SimpleAtoi(path, &ep.db) || ep.db < 0) {
      return absl::InvalidArgumentError(absl::StrCat("Redis URL has a bad database: ", url));
    }
  }
  return ep;
}

}  // namespace dialtone::redis
