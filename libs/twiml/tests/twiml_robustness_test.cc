// Hostile input: ParseTwiml must return a program or a coded error, never
// crash, recurse without bound or hang. A bounded in-process fuzz pass;
// the libFuzzer target explores further.
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "dialtone/twiml/error.h"
#include "dialtone/twiml/parser.h"
#include "dialtone/twiml/program_json.h"

namespace dialtone::twiml {
namespace {

constexpr char kUrl[] = "https://app.example.com/voice";

// Either a program (that prints as JSON) or one of the parse error codes.
void CheckHandled(const std::string& body) {
  absl::StatusOr<Program> program = ParseTwiml(body, "text/xml", kUrl);
  if (program.ok()) {
    CHECK_FALSE(ProgramToJson(*program).empty());
    return;
  }
  const int code = TwilioErrorCode(program.status());
  CHECK((code == kErrorDocumentParse || code == kErrorSchemaValidation ||
         code == kErrorBodyTooLarge));
}

std::string Repeat(const std::string& part, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += part;
  return out;
}

TEST_CASE("Deeply nested elements do not exhaust the stack", "[robustness]") {
  const std::string open = Repeat("<a>", 20000), close = Repeat("</a>", 20000);
  CheckHandled("<Response>" + open + close + "</Response>");
  CheckHandled("<Response><Say>" + open + close + "</Say></Response>");
  const std::string ssml = Repeat("<s>", 5000) + "x" + Repeat("</s>", 5000);
  const absl::StatusOr<Program> deep =
      ParseTwiml("<Response><Gather><Say>" + ssml + "</Say></Gather></Response>", "text/xml", kUrl);
  REQUIRE_FALSE(deep.ok());
  CHECK(TwilioErrorCode(deep.status()) == kErrorSchemaValidation);
}

TEST_CASE("Entities are not expanded (no billion laughs)", "[robustness]") {
  const std::string body =
      "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\">"
      "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\">]>"
      "<Response><Say>&c;&c;&c;</Say></Response>";
  absl::StatusOr<Program> program = ParseTwiml(body, "text/xml", kUrl);
  if (program.ok()) CHECK(std::get<Say>(program->verbs[0]).text.size() < 100);
}

TEST_CASE("NUL bytes, invalid UTF-8 and a UTF-16 document are handled", "[robustness]") {
  const char with_nul[] = "<Response><Say>a\0b</Say></Response>";
  CheckHandled(std::string(with_nul, sizeof with_nul - 1));
  CheckHandled("<Response><Say>\xFF\xFE\xC3</Say></Response>");
  const char utf16[] = "\xFF\xFE<\0R\0e\0s\0p\0o\0n\0s\0e\0/\0>\0";
  CheckHandled(std::string(utf16, sizeof utf16 - 1));
  CheckHandled("\xEF\xBB\xBF<Response><Hangup/></Response>");
}

TEST_CASE("Many unknown attributes produce a bounded number of warnings", "[robustness]") {
  std::string say = "<Response><Say";
  for (int i = 0; i < 2000; ++i) say += " x" + std::to_string(i) + "=\"1\"";
  say += ">hi</Say></Response>";
  absl::StatusOr<Program> program = ParseTwiml(say, "text/xml", kUrl);
  REQUIRE(program.ok());
  CHECK(program->warnings.size() <= 101);
}

// Byte mutations (flip, insert, delete, truncate, splice) of valid documents.
TEST_CASE("Mutated TwiML documents never crash the parser", "[robustness]") {
  const std::vector<std::string> seeds = {
      "<Response><Say voice=\"alice\" loop=\"2\">Hi</Say><Play>a.mp3</Play></Response>",
      "<Response><Gather numDigits=\"1\" action=\"/x\"><Say>Press</Say><Pause/></Gather>"
      "<Redirect>/again</Redirect></Response>",
      "<Response><Dial action=\"/d\"><Number sendDigits=\"1\">+1555</Number>"
      "<Client><Identity>a</Identity><Parameter name=\"k\" "
      "value=\"v\"/></Client></Dial></Response>",
      "<Response><Record maxLength=\"20\"/><Reject "
      "reason=\"busy\"/><Enqueue>q</Enqueue></Response>",
  };
  const std::string tokens[] = {"<",      ">",          "/",     "\"",        "=",   "<Say>",
                                "</Say>", "<Dial>",     "&amp;", "<![CDATA[", "]]>", "<!--",
                                "-->",    "loop=\"0\"", "\xC3",  " "};
  std::mt19937 random(20240611);  // fixed seed: the same run every time
  for (int round = 0; round < 3000; ++round) {
    std::string body = seeds[random() % seeds.size()];
    const int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits && !body.empty(); ++e) {
      const size_t at = random() % body.size();
      switch (random() % 5) {
        case 0: body[at] = static_cast<char>(random() % 256); break;
        case 1: body.insert(at, tokens[random() % std::size(tokens)]); break;
        case 2: body.erase(at, 1 + random() % 8); break;
        case 3: body.resize(at); break;
        default: body.insert(at, body.substr(random() % body.size(), 16)); break;
      }
    }
    INFO("body: " << body);
    CheckHandled(body);
  }
}

}  // namespace
}  // namespace dialtone::twiml
