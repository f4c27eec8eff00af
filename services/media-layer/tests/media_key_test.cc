// Request keys: equivalent requests share a key, different ones do not.
#include <catch2/catch.hpp>

#include "domain/media_error.h"
#include "domain/media_key.h"

using namespace dialtone::media_layer;

TEST_CASE("URLs are normalised before hashing") {
  CHECK(*NormaliseUrl("HTTP://Example.COM:80/a/./b/../c.mp3#frag") == "http://example.com/a/c.mp3");
  CHECK(*NormaliseUrl("https://example.com:443") == "https://example.com/");
  CHECK(*NormaliseUrl("https://example.com:8443/x?y=1") == "https://example.com:8443/x?y=1");
  CHECK(UrlRequestKey(*NormaliseUrl("http://EXAMPLE.com/a.wav"), G711::kUlaw) ==
        UrlRequestKey(*NormaliseUrl("http://example.com/a.wav"), G711::kUlaw));
  CHECK(UrlRequestKey("http://example.com/a.wav", G711::kUlaw) !=
        UrlRequestKey("http://example.com/a.wav", G711::kAlaw));
}

TEST_CASE("Non-HTTP URLs are refused with Twilio 11100") {
  for (const char* bad :
       {"ftp://example.com/a.wav", "not a url", "file:///etc/passwd", "http://"}) {
    auto u = NormaliseUrl(bad);
    CHECK_FALSE(u.ok());
    CHECK(TwilioCode(u.status()) == kErrorInvalidUrl);
  }
}

TEST_CASE("Speech keys separate every field") {
  auto k = SpeechRequestKey("espeak-ng", "en-us+f3", "en-US", "hello", G711::kUlaw);
  CHECK(k.size() == 64);
  CHECK(k != SpeechRequestKey("espeak-ng", "en-us+m3", "en-US", "hello", G711::kUlaw));
  CHECK(k != SpeechRequestKey("espeak-ng", "en-us+f3", "en-GB", "hello", G711::kUlaw));
  CHECK(k != SpeechRequestKey("espeak-ng", "en-us+f3", "en-US", "hello", G711::kAlaw));
  CHECK(SpeechRequestKey("e", "a", "b", "cd", G711::kUlaw) !=
        SpeechRequestKey("e", "a", "bc", "d", G711::kUlaw));
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
