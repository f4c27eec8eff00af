// Requests to customers' URLs: parameters where the method puts them, signed as Twilio signs.
#include <catch2/catch.hpp>

#include "dialtone/webhook/signature.h"
#include "dialtone/webhook/signed_request.h"

using namespace dialtone::webhook;

TEST_CASE("GET requests carry the parameters in the query string") {
  Params p = {{"A", "1 2"}, {"B", "x"}};
  CHECK(SignRequest("http://h/cb", false, p, "t").url == "http://h/cb?A=1+2&B=x");
  CHECK(SignRequest("http://h/cb?k=v", false, p, "t").url == "http://h/cb?k=v&A=1+2&B=x");
  CHECK(SignRequest("http://h/cb#frag", false, p, "t").url == "http://h/cb?A=1+2&B=x");
  CHECK(SignRequest("http://h/cb?k=v", false, {}, "t").url == "http://h/cb?k=v");
  CHECK(SignRequest("http://h/cb", false, p, "t").body.empty());
}

TEST_CASE("POST requests carry the parameters in a form body, the URL as given") {
  Params p = {{"A", "1 2"}, {"B", "x"}};
  SignedRequest r = SignRequest("http://h/cb?k=v", true, p, "t");
  CHECK(r.post);
  CHECK(r.url == "http://h/cb?k=v");
  CHECK(r.body == "A=1+2&B=x");
}

TEST_CASE("The signature covers the URL requested and, for a POST, the parameters") {
  Params p = {{"CallSid", "CA1"}, {"From", "+15551230000"}};
  SignedRequest post = SignRequest("https://app.example/voice", true, p, "token");
  CHECK(post.signature == ComputeTwilioSignature("token", "https://app.example/voice", p));
  CHECK(ValidateTwilioSignature("token", "https://app.example/voice", p, post.signature));
  SignedRequest get = SignRequest("https://app.example/voice", false, p, "token");
  CHECK(get.signature == ComputeTwilioSignature("token", get.url, {}));
  CHECK(get.signature != post.signature);
}
