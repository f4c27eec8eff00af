// ParseWsUrl on Boost.URL.
#include "ws_url.h"

#include <boost/url/parse.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace dialtone::ws {

namespace urls = boost::urls;

absl::StatusOr<WsUrl> ParseWsUrl(absl::string_view url) {
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("not a WebSocket URL (", why, "): ", url));
  };
  auto parsed = urls::parse_uri(std::string_view(url.data(), url.size()));
  if (!parsed) return bad("does not parse");
  const urls::url_view& u = *parsed;
  WsUrl out;
  if (u.scheme_id() == urls::scheme::wss) {
    out.tls = true;
  } else if (u.scheme_id() != urls::scheme::ws) {
    return bad("the scheme must be ws or wss");
  }
  if (u.host_type() == urls::host_type::none || u.host_type() == urls::host_type::ipvfuture ||
      u.encoded_host_address().empty()) {
    return bad("no host");
  }
  out.host = u.host_address();
  out.port = out.tls ? "443" : "80";
  if (u.has_port() && !u.port().empty()) {
    int port = 0;
    if (!absl::SimpleAtoi(std::string(u.port()), &port) || port < 1 || port > 65535) {
      return bad("bad port");
    }
    out.port = std::to_string(port);
  }
  out.host_header = u.encoded_host_and_port();
  out.target = u.encoded_target();
  if (out.target.empty() || out.target[0] != '/') out.target.insert(0, "/");
  return out;
}

}  // namespace dialtone::ws
