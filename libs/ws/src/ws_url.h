// A ws:// or wss:// URL taken apart for connecting: what to resolve, what to send as Host and
// as the request target. Pure; any thread.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace dialtone::ws {

struct WsUrl {
  bool tls = false;         // wss
  std::string host;         // for DNS, SNI and certificate checks: no brackets around IPv6
  std::string port;         // explicit, or 80 / 443
  std::string host_header;  // host[:port] as the URL gives it
  std::string target;       // path and query ("/" when the URL has no path); no fragment
};

// InvalidArgument unless `url` is an absolute ws:// or wss:// URL with a host and a valid port.
//   ParseWsUrl("wss://app.example/media?x=1")  // {true, "app.example", "443", "app.example", "/media?x=1"}
absl::StatusOr<WsUrl> ParseWsUrl(absl::string_view url);

}  // namespace dialtone::ws
