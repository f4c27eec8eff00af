// Form bodies keep order, repeated names and UTF-8 text, and a bad escape is an error.
#include <catch2/catch.hpp>

#include "dialtone/webhook/form_encoding.h"

using dialtone::webhook::FormDecode;
using dialtone::webhook::FormEncode;
using dialtone::webhook::FormEncodeComponent;
using dialtone::webhook::Params;

TEST_CASE("Encoding percent-encodes UTF-8 bytes and writes a space as plus") {
  CHECK(FormEncodeComponent("Gr\u00FC\u00DFe \u260E") == "Gr%C3%BC%C3%9Fe+%E2%98%8E");
  CHECK(FormEncodeComponent("+1 (555) a&b=c/d?e#f%g") ==
        "%2B1+%28555%29+a%26b%3Dc%2Fd%3Fe%23f%25g");
  CHECK(FormEncodeComponent("AZaz09-._~") == "AZaz09-._~");
  CHECK(FormEncodeComponent(std::string("\0\x7F", 2)) == "%00%7F");
}

TEST_CASE("Encoding keeps the given order and repeated names") {
  const Params params = {{"To", "+15551234567"},
                         {"StatusCallbackEvent", "initiated"},
                         {"Body", ""},
                         {"StatusCallbackEvent", "ringing"}};
  CHECK(FormEncode(params) ==
        "To=%2B15551234567&StatusCallbackEvent=initiated&Body=&StatusCallbackEvent=ringing");
  CHECK(FormEncode({}).empty());
}

TEST_CASE("Decoding reads what Twilio sends: plus as space, escapes, repeats in order") {
  auto p = FormDecode(
      "AccountSid=AC123&From=%2B14155551212&Body=Gr%c3%bc%C3%9Fe+%E2%98%8E"
      "&StatusCallbackEvent=initiated&StatusCallbackEvent=ringing");
  REQUIRE(p.ok());
  CHECK(*p == Params{{"AccountSid", "AC123"},
                     {"From", "+14155551212"},
                     {"Body", "Gr\u00FC\u00DFe \u260E"},
                     {"StatusCallbackEvent", "initiated"},
                     {"StatusCallbackEvent", "ringing"}});
}

TEST_CASE("Decoding follows WHATWG for missing values, extra '=' and empty pieces") {
  CHECK(*FormDecode("") == Params{});
  CHECK(*FormDecode("a&b=&=c&&d=e=f&") == Params{{"a", ""}, {"b", ""}, {"", "c"}, {"d", "e=f"}});
}

TEST_CASE("Decoding rejects a bad percent escape") {
  for (const char* body : {"a=%", "a=%2", "a=%zz", "a=1%", "%G1=x", "a=b&c=%+1"}) {
    INFO(body);
    auto p = FormDecode(body);
    REQUIRE_FALSE(p.ok());
    CHECK(p.status().code() == absl::StatusCode::kInvalidArgument);
  }
  CHECK(FormDecode("Body=%zz").status().message() ==
        "form value of parameter \"Body\": '%' at offset 0 is not followed by two hex digits");
}

TEST_CASE("Decoding rejects bytes that are not UTF-8") {
  // A lone byte, an overlong '/', a UTF-16 surrogate, past U+10FFFF, a truncated sequence.
  for (const char* body :
       {"a=%FF", "a=%C0%AF", "a=%ED%A0%80", "a=%F4%90%80%80", "a=%E2%98", "%80=x"}) {
    INFO(body);
    auto p = FormDecode(body);
    REQUIRE_FALSE(p.ok());
    CHECK(p.status().code() == absl::StatusCode::kInvalidArgument);
  }
  CHECK(FormDecode("a=%F0%9F%98%80").ok());  // U+1F600, the largest form, is fine
}

TEST_CASE("Encoding then decoding gives the parameters back") {
  std::string every_ascii;
  for (int c = 1; c < 128; ++c) every_ascii.push_back(static_cast<char>(c));
  const Params params = {{"Body", every_ascii},
                         {"Body", "Gr\u00FC\u00DFe \u260E \U0001F600"},
                         {"na me&=", "va+lue%20"},
                         {"Empty", ""},
                         {"", "no name"}};
  auto decoded = FormDecode(FormEncode(params));
  REQUIRE(decoded.ok());
  CHECK(*decoded == params);
}
