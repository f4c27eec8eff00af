// redis://[[user]:password@]host[:port][/db] URLs, parsed without I/O.
#pragma once

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"

namespace dialtone::redis {

struct RedisEndpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  int db = 0;
  std::string username;
  std::string password;
};

absl::StatusOr<RedisEndpoint> ParseRedisUrl(absl::string_view url);

}  // namespace dialtone::redis
