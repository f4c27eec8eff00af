// RFC 3986 section 5.4's reference resolution examples, plus TwiML cases.
#include "dialtone/twiml/url.h"

#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

namespace dialtone::twiml {
namespace {

constexpr char kRfcBase[] = "http://a/b/c/d;p?q";

TEST_CASE("ResolveUrl matches RFC 3986's normal examples", "[url]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"g:h", "g:h"},
      {"g", "http://a/b/c/g"},
      {"./g", "http://a/b/c/g"},
      {"g/", "http://a/b/c/g/"},
      {"/g", "http://a/g"},
      {"//g", "http://g"},
      {"?y", "http://a/b/c/d;p?y"},
      {"g?y", "http://a/b/c/g?y"},
      {"#s", "http://a/b/c/d;p?q#s"},
      {"g#s", "http://a/b/c/g#s"},
      {"g?y#s", "http://a/b/c/g?y#s"},
      {";x", "http://a/b/c/;x"},
      {"g;x", "http://a/b/c/g;x"},
      {"g;x?y#s", "http://a/b/c/g;x?y#s"},
      {"", "http://a/b/c/d;p?q"},
      {".", "http://a/b/c/"},
      {"./", "http://a/b/c/"},
      {"..", "http://a/b/"},
      {"../", "http://a/b/"},
      {"../g", "http://a/b/g"},
      {"../..", "http://a/"},
      {"../../", "http://a/"},
      {"../../g", "http://a/g"},
  };
  for (const auto& [reference, expected] : cases) {
    INFO("reference: " << reference);
    CHECK(ResolveUrl(kRfcBase, reference) == expected);
  }
}

TEST_CASE("ResolveUrl matches RFC 3986's abnormal examples", "[url]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"../../../g", "http://a/g"},
      {"../../../../g", "http://a/g"},
      {"/./g", "http://a/g"},
      {"/../g", "http://a/g"},
      {"g.", "http://a/b/c/g."},
      {".g", "http://a/b/c/.g"},
      {"g..", "http://a/b/c/g.."},
      {"..g", "http://a/b/c/..g"},
      {"./../g", "http://a/b/g"},
      {"./g/.", "http://a/b/c/g/"},
      {"g/./h", "http://a/b/c/g/h"},
      {"g/../h", "http://a/b/c/h"},
      {"g;x=1/./y", "http://a/b/c/g;x=1/y"},
      {"g;x=1/../y", "http://a/b/c/y"},
      {"g?y/./x", "http://a/b/c/g?y/./x"},
      {"g?y/../x", "http://a/b/c/g?y/../x"},
      {"g#s/./x", "http://a/b/c/g#s/./x"},
      {"g#s/../x", "http://a/b/c/g#s/../x"},
      {"http:g", "http:g"},  // strict parser
  };
  for (const auto& [reference, expected] : cases) {
    INFO("reference: " << reference);
    CHECK(ResolveUrl(kRfcBase, reference) == expected);
  }
}

TEST_CASE("A relative action resolves against the TwiML document's URL", "[url]") {
  const std::string base = "https://app.example.com/ivr/menu.xml?step=1";
  CHECK(ResolveUrl(base, "/voice/next") == "https://app.example.com/voice/next");
  CHECK(ResolveUrl(base, "next.xml") == "https://app.example.com/ivr/next.xml");
  CHECK(ResolveUrl(base, "../hold.mp3") == "https://app.example.com/hold.mp3");
  CHECK(ResolveUrl(base, "https://cdn.example.net/a.wav") == "https://cdn.example.net/a.wav");
  CHECK(ResolveUrl("https://app.example.com", "menu") == "https://app.example.com/menu");
}

TEST_CASE("Without an absolute base a reference is left as it is", "[url]") {
  CHECK(ResolveUrl("", "/next") == "/next");
  CHECK(ResolveUrl("relative/base", "../x") == "../x");
}

TEST_CASE("IsHttpUrl accepts only http and https schemes", "[url]") {
  CHECK(IsHttpUrl("https://a.example/x"));
  CHECK(IsHttpUrl("HTTP://a.example/x"));
  CHECK_FALSE(IsHttpUrl("ftp://a.example/x"));
  CHECK_FALSE(IsHttpUrl("file:///etc/passwd"));
  CHECK_FALSE(IsHttpUrl("/relative"));
  CHECK(IsAbsoluteUrl("sip:alice@example.com"));
  CHECK_FALSE(IsAbsoluteUrl("1abc:def"));  // a scheme starts with a letter
}

TEST_CASE("IsWebSocketUrl accepts only absolute ws and wss URLs with a host", "[url]") {
  CHECK(IsWebSocketUrl("wss://app.example/stream"));
  CHECK(IsWebSocketUrl("ws://127.0.0.1:8080/s?a=1&b=2"));
  CHECK(IsWebSocketUrl("WSS://App.Example"));
  CHECK(IsWebSocketUrl("wss://user@app.example/s"));
  CHECK_FALSE(IsWebSocketUrl("https://app.example/stream"));
  CHECK_FALSE(IsWebSocketUrl("http://app.example/stream"));
  CHECK_FALSE(IsWebSocketUrl("/stream"));
  CHECK_FALSE(IsWebSocketUrl("//app.example/stream"));
  CHECK_FALSE(IsWebSocketUrl("wss:app.example/stream"));    // no authority
  CHECK_FALSE(IsWebSocketUrl("wss:///stream"));             // no host
  CHECK_FALSE(IsWebSocketUrl("ws://:8080/stream"));         // a port names no host
  CHECK_FALSE(IsWebSocketUrl("wss://app.example/s#frag"));  // RFC 6455 forbids fragments
  CHECK_FALSE(IsWebSocketUrl("wss://app.example/a b"));
  CHECK_FALSE(IsWebSocketUrl(""));
}

TEST_CASE("Dot-segment removal stays linear on hostile paths", "[url]") {
  std::string path = "/";
  for (int i = 0; i < 20000; ++i) path += "./a/../";
  path += "x";
  CHECK(ResolveUrl("http://a/b/", path) == "http://a/x");
}

}  // namespace
}  // namespace dialtone::twiml
