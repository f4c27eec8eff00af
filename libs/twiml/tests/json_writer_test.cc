// The JSON writer's layout and escaping, and the error JSON of dialtonectl.
#include "json_writer.h"

#include <catch2/catch.hpp>
#include <string>

#include "dialtone/twiml/error.h"
#include "dialtone/twiml/program_json.h"

namespace dialtone::twiml {
namespace {

TEST_CASE("JsonWriter indents by two spaces and writes empty containers inline", "[json]") {
  JsonWriter json;
  json.BeginObject();
  json.Field("a", 1);
  json.Key("b");
  json.BeginArray();
  json.Bool(true);
  json.Null();
  json.EndArray();
  json.Key("c");
  json.BeginArray();
  json.EndArray();
  json.EndObject();
  CHECK(json.Release() == "{\n  \"a\": 1,\n  \"b\": [\n    true,\n    null\n  ],\n  \"c\": []\n}");
}

TEST_CASE("JSON strings escape quotes and control characters", "[json]") {
  std::string out;
  AppendJsonString("say \"hi\"\\\n\t\x01", out);
  CHECK(out == "\"say \\\"hi\\\"\\\\\\n\\t\\u0001\"");
}

TEST_CASE("JSON strings keep valid UTF-8 and replace invalid bytes", "[json]") {
  std::string out;
  AppendJsonString("caf\xC3\xA9 \xF0\x9F\x93\x9E", out);
  CHECK(out == "\"caf\xC3\xA9 \xF0\x9F\x93\x9E\"");
  out.clear();
  AppendJsonString(
      "a\xFF"
      "b\xC3"
      "c\xED\xA0\x80",
      out);  // stray, truncated, surrogate
  CHECK(out ==
        "\"a\xEF\xBF\xBD"
        "b\xEF\xBF\xBD"
        "c\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
}

TEST_CASE("A TwiML error prints as code, line and message", "[json]") {
  CHECK(TwimlErrorToJson(TwimlError(kErrorSchemaValidation, "bad", 4)) ==
        "{\n  \"code\": 12200,\n  \"line\": 4,\n  \"message\": \"bad\"\n}\n");
  CHECK(TwimlErrorToJson(TwimlError(kErrorBodyTooLarge, "big")) ==
        "{\n  \"code\": 11750,\n  \"line\": null,\n  \"message\": \"big\"\n}\n");
}

TEST_CASE("A status without a Twilio code reports code 0", "[json]") {
  CHECK(TwilioErrorCode(absl::InternalError("x")) == 0);
  CHECK_FALSE(TwimlErrorLine(absl::InternalError("x")).has_value());
}

}  // namespace
}  // namespace dialtone::twiml
