// ParseWsUrl: what a ws:// or wss:// URL resolves, sends as Host and requests.
#include <catch2/catch.hpp>

#include "ws_url.h"

using dialtone::ws::ParseWsUrl;

TEST_CASE("A wss URL without a port gets 443, its Host as given and its path and query") {
  auto url = ParseWsUrl("wss://app.example/media/stream?call=CA1#frag");
  REQUIRE(url.ok());
  CHECK(url->tls);
  CHECK(url->host == "app.example");
  CHECK(url->port == "443");
  CHECK(url->host_header == "app.example");
  CHECK(url->target == "/media/stream?call=CA1");
}

TEST_CASE("A ws URL with a port keeps it in Host; no path requests /") {
  auto url = ParseWsUrl("ws://127.0.0.1:8089");
  REQUIRE(url.ok());
  CHECK_FALSE(url->tls);
  CHECK(url->port == "8089");
  CHECK(url->host_header == "127.0.0.1:8089");
  CHECK(url->target == "/");
  auto query_only = ParseWsUrl("ws://app.example?x=1");
  REQUIRE(query_only.ok());
  CHECK(query_only->port == "80");
  CHECK(query_only->target == "/?x=1");
}

TEST_CASE("An IPv6 literal resolves without brackets and keeps them in Host") {
  auto url = ParseWsUrl("wss://[::1]:9443/s");
  REQUIRE(url.ok());
  CHECK(url->host == "::1");
  CHECK(url->host_header == "[::1]:9443");
}

TEST_CASE("Other schemes, a missing host and bad ports are InvalidArgument") {
  for (const char* bad : {"http://app.example/", "https://app.example/", "ws:///path",
                          "ws://app.example:0/", "ws://app.example:70000/", "not a url", ""}) {
    INFO(bad);
    CHECK(ParseWsUrl(bad).status().code() == absl::StatusCode::kInvalidArgument);
  }
}
