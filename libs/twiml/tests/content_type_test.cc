// Which responses are TwiML, text or audio, and the size limit (11750/12300).
#include "dialtone/twiml/content_type.h"

#include <catch2/catch.hpp>
#include <string>
#include <variant>

#include "dialtone/twiml/error.h"
#include "dialtone/twiml/parser.h"

namespace dialtone::twiml {
namespace {

constexpr char kUrl[] = "https://app.example.com/voice";

TEST_CASE("XML and HTML content types are TwiML, as Twilio documents", "[content-type]") {
  CHECK(*ClassifyContentType("text/xml") == DocumentKind::kTwiml);
  CHECK(*ClassifyContentType("application/xml") == DocumentKind::kTwiml);
  CHECK(*ClassifyContentType("text/html") == DocumentKind::kTwiml);
  CHECK(*ClassifyContentType("Text/XML; charset=UTF-8") == DocumentKind::kTwiml);
  CHECK(*ClassifyContentType("  application/xml ;charset=utf-8") == DocumentKind::kTwiml);
}

TEST_CASE("text/plain is spoken and audio types are played", "[content-type]") {
  CHECK(*ClassifyContentType("text/plain; charset=utf-8") == DocumentKind::kPlainText);
  CHECK(*ClassifyContentType("audio/mpeg") == DocumentKind::kAudio);
  CHECK(*ClassifyContentType("audio/x-wav") == DocumentKind::kAudio);
}

TEST_CASE("Other content types fail with 12300", "[content-type]") {
  for (const char* type : {"application/json", "", "text/xmlfoo", "image/png", "xml"}) {
    INFO("type: " << type);
    absl::StatusOr<DocumentKind> kind = ClassifyContentType(type);
    REQUIRE_FALSE(kind.ok());
    CHECK(TwilioErrorCode(kind.status()) == kErrorInvalidContentType);
  }
}

TEST_CASE("ParseTwiml refuses a JSON response with 12300", "[content-type]") {
  absl::StatusOr<Program> program = ParseTwiml("{}", "application/json", kUrl);
  REQUIRE_FALSE(program.ok());
  CHECK(TwilioErrorCode(program.status()) == kErrorInvalidContentType);
}

TEST_CASE("A text/plain response says its text and hangs up", "[content-type]") {
  absl::StatusOr<Program> program = ParseTwiml("  Thanks for calling.\n", "text/plain", kUrl);
  REQUIRE(program.ok());
  REQUIRE(program->verbs.size() == 2);
  CHECK(std::get<Say>(program->verbs[0]).text == "Thanks for calling.");
  CHECK(std::holds_alternative<Hangup>(program->verbs[1]));
}

TEST_CASE("An audio response plays the document URL and hangs up", "[content-type]") {
  absl::StatusOr<Program> program = ParseTwiml("ID3...", "audio/mpeg", kUrl);
  REQUIRE(program.ok());
  REQUIRE(program->verbs.size() == 2);
  CHECK(std::get<Play>(program->verbs[0]).url == kUrl);
  CHECK(std::holds_alternative<Hangup>(program->verbs[1]));
}

TEST_CASE("A body over 64 kB fails with 11750, one of exactly 64 kB parses", "[content-type]") {
  const std::string head = "<Response><Say>";
  const std::string tail = "</Say></Response>";
  std::string body = head + std::string(kMaxTwimlBodyBytes - head.size() - tail.size(), 'a') + tail;
  REQUIRE(body.size() == kMaxTwimlBodyBytes);
  CHECK(ParseTwiml(body, "text/xml", kUrl).ok());
  body.insert(head.size(), "a");
  absl::StatusOr<Program> program = ParseTwiml(body, "text/xml", kUrl);
  REQUIRE_FALSE(program.ok());
  CHECK(TwilioErrorCode(program.status()) == kErrorBodyTooLarge);
}

}  // namespace
}  // namespace dialtone::twiml
