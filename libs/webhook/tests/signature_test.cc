// X-Twilio-Signature matches Twilio's published example and rejects any tampering.
#include <catch2/catch.hpp>

#include "dialtone/webhook/signature.h"

using dialtone::webhook::ComputeTwilioSignature;
using dialtone::webhook::Params;
using dialtone::webhook::SignatureBaseString;
using dialtone::webhook::SignatureUrlVariants;
using dialtone::webhook::ValidateTwilioSignature;

namespace {

// The worked example of Twilio's webhook security documentation (auth token "12345").
constexpr char kDocToken[] = "12345";
constexpr char kDocUrl[] = "https://mycompany.com/myapp.php?foo=1&bar=2";

Params DocParams(const std::string& caller) {
  // Deliberately not in name order: signing must sort them.
  return {{"To", "+18005551212"},
          {"From", caller},
          {"Digits", "1234"},
          {"CallSid", "CA1234567890ABCDE"},
          {"Caller", caller}};
}

}  // namespace

TEST_CASE("Signature of Twilio's documented example matches the published value") {
  // docs/usage/webhooks/webhooks-security: Caller and From +14158675310.
  CHECK(ComputeTwilioSignature(kDocToken, kDocUrl, DocParams("+14158675310")) ==
        "GvWf1cFY/Q7PnoempGyD5oXAezc=");
  // The same example with +14158675309, as the twilio-node and twilio-python test suites pin it.
  CHECK(ComputeTwilioSignature(kDocToken, kDocUrl, DocParams("+14158675309")) ==
        "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
}

TEST_CASE("Signed string is the URL then each parameter's name and value in name order") {
  CHECK(SignatureBaseString(kDocUrl, DocParams("+14158675310")) ==
        "https://mycompany.com/myapp.php?foo=1&bar=2"
        "CallSidCA1234567890ABCDE"
        "Caller+14158675310"
        "Digits1234"
        "From+14158675310"
        "To+18005551212");
}

TEST_CASE("Signature is base64 of HMAC-SHA1 keyed with the token (RFC 2202 vectors)") {
  // RFC 2202 test case 2: effcdf6ae5eb2fa2d27416d5f184df9c259a7c79.
  CHECK(ComputeTwilioSignature("Jefe", "what do ya want for nothing?", {}) ==
        "7/zfauXrL6LSdBbV8YTfnCWafHk=");
  // Empty key and message: fbdb1d1b18aa6c08324b7d64b71fb76370690e1d.
  CHECK(ComputeTwilioSignature("", "", {}) == "+9sdGxiqbAgyS31ktx+3Y3BpDh0=");
}

TEST_CASE("GET request is signed over the URL with its query string alone") {
  const std::string url = "https://app.example/voice?CallSid=CA1&From=%2B15551234567";
  CHECK(SignatureBaseString(url, {}) == url);
  CHECK(ComputeTwilioSignature("tok", url, {}) !=
        ComputeTwilioSignature("tok", "https://app.example/voice", {}));
}

TEST_CASE("Repeated parameters are sorted by value and an identical pair counts once") {
  const Params params = {{"StatusCallbackEvent", "ringing"},
                         {"CallSid", "CA1"},
                         {"StatusCallbackEvent", "answered"},
                         {"StatusCallbackEvent", "initiated"},
                         {"StatusCallbackEvent", "ringing"}};
  CHECK(SignatureBaseString("u", params) ==
        "uCallSidCA1StatusCallbackEventansweredStatusCallbackEventinitiated"
        "StatusCallbackEventringing");
}

TEST_CASE("Names sort by UTF-16 code units as JavaScript does, uppercase before lowercase") {
  CHECK(SignatureBaseString("u", {{"body", "1"}, {"To", "2"}, {"Body", "3"}}) == "uBody3To2body1");
  // U+1F600 (a surrogate pair in UTF-16) sorts before U+FF71, unlike in UTF-8 byte order.
  CHECK(SignatureBaseString("u", {{"K", "\uFF71"}, {"K", "\U0001F600"}, {"K", "\u00E9"}}) ==
        "uK\u00E9K\U0001F600K\uFF71");
}

TEST_CASE("Validation accepts the signature and rejects a tampered request") {
  const Params params = DocParams("+14158675310");
  const std::string sig = ComputeTwilioSignature(kDocToken, kDocUrl, params);
  CHECK(ValidateTwilioSignature(kDocToken, kDocUrl, params, sig));

  Params changed_value = params;
  changed_value[2].second = "1235";
  CHECK_FALSE(ValidateTwilioSignature(kDocToken, kDocUrl, changed_value, sig));
  Params extra = params;
  extra.emplace_back("Tampered", "1");
  CHECK_FALSE(ValidateTwilioSignature(kDocToken, kDocUrl, extra, sig));
  CHECK_FALSE(
      ValidateTwilioSignature(kDocToken, kDocUrl, Params(params.begin() + 1, params.end()), sig));
  CHECK_FALSE(ValidateTwilioSignature(kDocToken, "https://mycompany.com/myapp.php?foo=1&bar=3",
                                      params, sig));
  CHECK_FALSE(ValidateTwilioSignature(kDocToken, "http://mycompany.com/myapp.php?foo=1&bar=2",
                                      params, sig));
  CHECK_FALSE(ValidateTwilioSignature("12346", kDocUrl, params, sig));
  CHECK_FALSE(ValidateTwilioSignature(kDocToken, kDocUrl, params, ""));
  CHECK_FALSE(ValidateTwilioSignature(kDocToken, kDocUrl, params, sig.substr(0, 27)));
  std::string flipped = sig;
  flipped[5] = flipped[5] == 'A' ? 'B' : 'A';
  CHECK_FALSE(ValidateTwilioSignature(kDocToken, kDocUrl, params, flipped));
}

TEST_CASE("Validation accepts the URL with or without its port") {
  const Params params = {{"CallSid", "CA1"}};
  const std::string plain = ComputeTwilioSignature("tok", "https://app.example/voice", params);
  const std::string with_default =
      ComputeTwilioSignature("tok", "https://app.example:443/voice", params);
  const std::string with_other =
      ComputeTwilioSignature("tok", "https://app.example:8443/voice", params);

  CHECK(ValidateTwilioSignature("tok", "https://app.example:443/voice", params, plain));
  CHECK(ValidateTwilioSignature("tok", "https://app.example/voice", params, with_default));
  CHECK(ValidateTwilioSignature("tok", "https://app.example:8443/voice", params, plain));
  CHECK(ValidateTwilioSignature("tok", "https://app.example:8443/voice", params, with_other));
  // Without a port in the URL only the scheme's default is tried, never a guessed one.
  CHECK_FALSE(ValidateTwilioSignature("tok", "https://app.example/voice", params, with_other));
}

TEST_CASE("URL variants drop the port and add the explicit or default one") {
  using V = std::vector<std::string>;
  CHECK(SignatureUrlVariants("https://a.example:8443/v?x=1") ==
        V{"https://a.example:8443/v?x=1", "https://a.example/v?x=1"});
  CHECK(SignatureUrlVariants("https://a.example/v") ==
        V{"https://a.example/v", "https://a.example:443/v"});
  CHECK(SignatureUrlVariants("HTTPS://a.example:443") ==
        V{"HTTPS://a.example:443", "HTTPS://a.example"});
  CHECK(SignatureUrlVariants("http://a.example?x=1") ==
        V{"http://a.example?x=1", "http://a.example:80?x=1"});
  // A colon in the user info or the path is not a port.
  CHECK(SignatureUrlVariants("https://u:p@a.example/v:1") ==
        V{"https://u:p@a.example/v:1", "https://u:p@a.example:443/v:1"});
  CHECK(SignatureUrlVariants("http://[::1]:8080/v") == V{"http://[::1]:8080/v", "http://[::1]/v"});
  CHECK(SignatureUrlVariants("not a url") == V{"not a url"});
}
