// ParseTwiml's behaviour per verb: defaults, URLs, nesting, errors, warnings.
#include "dialtone/twiml/parser.h"

#include <catch2/catch.hpp>
#include <string>
#include <variant>

#include "dialtone/twiml/error.h"

namespace dialtone::twiml {
namespace {

constexpr char kUrl[] = "https://app.example.com/ivr/menu.xml";

Program Parse(const std::string& twiml) {
  absl::StatusOr<Program> program = ParseTwiml(twiml, "text/xml", kUrl);
  INFO(program.status().ToString());
  REQUIRE(program.ok());
  return *std::move(program);
}

absl::Status ParseError(const std::string& twiml) {
  absl::StatusOr<Program> program = ParseTwiml(twiml, "text/xml", kUrl);
  REQUIRE_FALSE(program.ok());
  return program.status();
}

template <typename VerbType>
VerbType Only(const std::string& twiml) {
  Program program = Parse(twiml);
  REQUIRE(program.verbs.size() == 1);
  REQUIRE(std::holds_alternative<VerbType>(program.verbs[0]));
  return std::get<VerbType>(program.verbs[0]);
}

TEST_CASE("Say defaults to voice man, language en, loop 1", "[parser]") {
  const Say say = Only<Say>("<Response><Say> Hello world </Say></Response>");
  CHECK(say.text == "Hello world");
  CHECK(say.voice == "man");
  CHECK(say.language == "en");
  CHECK(say.loop == 1);
}

TEST_CASE("Say with a Polly or alice voice defaults to en-US", "[parser]") {
  CHECK(Only<Say>("<Response><Say voice=\"alice\">Hi</Say></Response>").language == "en-US");
  CHECK(Only<Say>("<Response><Say voice=\"Polly.Joanna\" language=\"en-GB\">Hi</Say></Response>")
            .language == "en-GB");
}

TEST_CASE("loop=\"0\" repeats up to the cap and larger loops are capped", "[parser]") {
  CHECK(Only<Say>("<Response><Say loop=\"0\">Hi</Say></Response>").loop == kMaxLoop);
  const Program program = Parse("<Response><Play loop=\"5000\">a.mp3</Play></Response>");
  CHECK(std::get<Play>(program.verbs[0]).loop == kMaxLoop);
  REQUIRE(program.warnings.size() == 1);
  CHECK_THAT(program.warnings[0].message, Catch::Contains("capped"));
}

TEST_CASE("SSML inside Say is flattened to its text", "[parser]") {
  const Say say = Only<Say>(
      "<Response><Say>Hello<break strength=\"x-weak\"/>there, "
      "<prosody rate=\"slow\"><emphasis>friend</emphasis></prosody>.</Say></Response>");
  CHECK(say.text == "Hello there, friend .");
}

TEST_CASE("Play resolves its URL against the document URL", "[parser]") {
  CHECK(Only<Play>("<Response><Play>../audio/hi.mp3</Play></Response>").url ==
        "https://app.example.com/audio/hi.mp3");
  const Play digits = Only<Play>("<Response><Play digits=\"ww12#\"/></Response>");
  CHECK(digits.digits == "ww12#");
  CHECK(digits.url.empty());
}

TEST_CASE("Pause defaults to one second", "[parser]") {
  CHECK(Only<Pause>("<Response><Pause/></Response>").length == 1);
  CHECK(Only<Pause>("<Response><Pause length=\"10\"/></Response>").length == 10);
}

TEST_CASE("Gather defaults follow Twilio and its action is the document URL", "[parser]") {
  const Gather gather = Only<Gather>("<Response><Gather/></Response>");
  CHECK(gather.input_dtmf);
  CHECK_FALSE(gather.input_speech);
  CHECK(gather.action == kUrl);
  CHECK(gather.method == HttpMethod::kPost);
  CHECK(gather.timeout == 5);
  CHECK(gather.finish_on_key == "#");
  CHECK_FALSE(gather.num_digits.has_value());
  CHECK_FALSE(gather.action_on_empty_result);
  CHECK(gather.barge_in);
  CHECK(gather.language == "en-US");
  CHECK(gather.prompts.empty());
}

TEST_CASE("Gather reads its attributes and nested Say, Play and Pause", "[parser]") {
  const Gather gather = Only<Gather>(
      "<Response><Gather action=\"/menu/choice\" method=\"get\" timeout=\"8\" numDigits=\"1\" "
      "finishOnKey=\"*\" input=\"dtmf speech\" actionOnEmptyResult=\"true\" speechTimeout=\"auto\">"
      "<Say>Press one</Say><Pause length=\"2\"/><Play>beep.wav</Play></Gather></Response>");
  CHECK(gather.action == "https://app.example.com/menu/choice");
  CHECK(gather.method == HttpMethod::kGet);
  CHECK(gather.timeout == 8);
  CHECK(gather.num_digits == 1);
  CHECK(gather.finish_on_key == "*");
  CHECK(gather.input_speech);
  CHECK(gather.action_on_empty_result);
  CHECK(gather.speech_timeout == "auto");
  REQUIRE(gather.prompts.size() == 3);
  CHECK(std::get<Say>(gather.prompts[0]).text == "Press one");
  CHECK(std::get<Pause>(gather.prompts[1]).length == 2);
  CHECK(std::get<Play>(gather.prompts[2]).url == "https://app.example.com/ivr/beep.wav");
}

TEST_CASE("Gather may contain only Say, Play and Pause", "[parser]") {
  const absl::Status status =
      ParseError("<Response>\n<Gather>\n  <Record/>\n</Gather>\n</Response>");
  CHECK(TwilioErrorCode(status) == kErrorSchemaValidation);
  CHECK(TwimlErrorLine(status) == 3);
  CHECK_THAT(std::string(status.message()),
             Catch::Contains("<Record>") && Catch::Contains("line 3"));
}

TEST_CASE("Record defaults follow Twilio", "[parser]") {
  const Record record = Only<Record>("<Response><Record/></Response>");
  CHECK(record.action == kUrl);
  CHECK(record.method == HttpMethod::kPost);
  CHECK(record.timeout == 5);
  CHECK(record.finish_on_key == "1234567890*#");
  CHECK(record.max_length == 3600);
  CHECK(record.play_beep);
  CHECK(record.trim == "trim-silence");
  CHECK(record.recording_status_callback.events == "completed");
  CHECK_FALSE(record.transcribe);
}

TEST_CASE("Record reads its recording status callback", "[parser]") {
  const Record record = Only<Record>(
      "<Response><Record maxLength=\"30\" playBeep=\"false\" recordingStatusCallback=\"/rec\" "
      "recordingStatusCallbackMethod=\"GET\" recordingStatusCallbackEvent=\"in-progress "
      "completed\"/>"
      "</Response>");
  CHECK(record.max_length == 30);
  CHECK_FALSE(record.play_beep);
  CHECK(record.recording_status_callback.url == "https://app.example.com/rec");
  CHECK(record.recording_status_callback.method == HttpMethod::kGet);
  CHECK(record.recording_status_callback.events == "in-progress completed");
}

TEST_CASE("Dial with bare text dials that number with Twilio's defaults", "[parser]") {
  const Dial dial = Only<Dial>("<Response><Dial> +15551230000 </Dial></Response>");
  CHECK(dial.action.empty());
  CHECK(dial.timeout == 30);
  CHECK(dial.time_limit == 14400);
  CHECK_FALSE(dial.hangup_on_star);
  CHECK_FALSE(dial.answer_on_bridge);
  CHECK(dial.record == "do-not-record");
  REQUIRE(dial.nouns.size() == 1);
  CHECK(std::get<NumberNoun>(dial.nouns[0]).number == "+15551230000");
}

TEST_CASE("Dial reads Number, Sip and Client nouns", "[parser]") {
  const Dial dial = Only<Dial>(
      "<Response><Dial action=\"after\" record=\"true\" answerOnBridge=\"true\">"
      "<Number sendDigits=\"ww123\" url=\"/whisper\">+15551230000</Number>"
      "<Sip username=\"u\" password=\"p\">sip:bob@pbx.example.com</Sip>"
      "<Client><Identity>alice</Identity><Parameter name=\"Team\" value=\"Sales\"/></Client>"
      "</Dial></Response>");
  CHECK(dial.action == "https://app.example.com/ivr/after");
  CHECK(dial.record == "record-from-answer");
  CHECK(dial.answer_on_bridge);
  REQUIRE(dial.nouns.size() == 3);
  const auto& number = std::get<NumberNoun>(dial.nouns[0]);
  CHECK(number.send_digits == "ww123");
  CHECK(number.url == "https://app.example.com/whisper");
  CHECK(std::get<SipNoun>(dial.nouns[1]).uri == "sip:bob@pbx.example.com");
  const auto& client = std::get<ClientNoun>(dial.nouns[2]);
  CHECK(client.identity == "alice");
  REQUIRE(client.parameters.size() == 1);
  CHECK(client.parameters[0].first == "Team");
}

TEST_CASE("Dial refuses a Conference beside a Number, and more than ten numbers", "[parser]") {
  CHECK(TwilioErrorCode(ParseError("<Response><Dial><Conference>room</Conference>"
                                   "<Number>+1555</Number></Dial></Response>")) ==
        kErrorSchemaValidation);
  std::string many = "<Response><Dial>";
  for (int i = 0; i < 11; ++i) many += "<Number>+1555000000" + std::to_string(i) + "</Number>";
  many += "</Dial></Response>";
  CHECK(TwilioErrorCode(ParseError(many)) == kErrorSchemaValidation);
}

TEST_CASE("Reject defaults to rejected and accepts busy", "[parser]") {
  CHECK(Only<Reject>("<Response><Reject/></Response>").reason == RejectReason::kRejected);
  CHECK(Only<Reject>("<Response><Reject reason=\"busy\"/></Response>").reason ==
        RejectReason::kBusy);
}

TEST_CASE("Redirect resolves its URL and defaults to POST", "[parser]") {
  const Redirect redirect = Only<Redirect>("<Response><Redirect>next</Redirect></Response>");
  CHECK(redirect.url == "https://app.example.com/ivr/next");
  CHECK(redirect.method == HttpMethod::kPost);
}

TEST_CASE("Unknown attributes are warnings with their line, not failures", "[parser]") {
  const Program program = Parse(
      "<Response>\n  <Say colour=\"blue\">Hi</Say>\n  <Dial "
      "callReason=\"x\">1</Dial>\n</Response>");
  REQUIRE(program.verbs.size() == 2);
  REQUIRE(program.warnings.size() == 2);
  CHECK(program.warnings[0].line == 2);
  CHECK_THAT(program.warnings[0].message, Catch::Contains("colour"));
  CHECK(program.warnings[1].line == 3);
  CHECK_THAT(program.warnings[1].message, Catch::Contains("not supported"));
}

TEST_CASE("An unknown verb is 12200 naming the verb and its line", "[parser]") {
  const absl::Status status = ParseError("<Response>\n\n  <Speak>Hi</Speak>\n</Response>");
  CHECK(TwilioErrorCode(status) == kErrorSchemaValidation);
  CHECK(TwimlErrorLine(status) == 3);
  CHECK_THAT(std::string(status.message()), Catch::Contains("<Speak>"));
}

TEST_CASE("Verb names are case-sensitive", "[parser]") {
  CHECK(TwilioErrorCode(ParseError("<Response><say>Hi</say></Response>")) ==
        kErrorSchemaValidation);
}

TEST_CASE("A bad attribute value is 12200 naming the attribute", "[parser]") {
  const absl::Status status = ParseError("<Response>\n<Gather timeout=\"soon\"/>\n</Response>");
  CHECK(TwilioErrorCode(status) == kErrorSchemaValidation);
  CHECK(TwimlErrorLine(status) == 2);
  CHECK_THAT(std::string(status.message()),
             Catch::Contains("timeout") && Catch::Contains("<Gather>"));
  CHECK(TwilioErrorCode(ParseError("<Response><Redirect method=\"PUT\">x</Redirect></Response>")) ==
        kErrorSchemaValidation);
  CHECK(TwilioErrorCode(ParseError("<Response><Say loop=\"-1\">x</Say></Response>")) ==
        kErrorSchemaValidation);
}

TEST_CASE("A non-http URL is refused", "[parser]") {
  CHECK(TwilioErrorCode(ParseError("<Response><Play>file:///etc/passwd</Play></Response>")) ==
        kErrorSchemaValidation);
  CHECK(TwilioErrorCode(ParseError("<Response><Gather action=\"ftp://x/y\"/></Response>")) ==
        kErrorSchemaValidation);
}

TEST_CASE("XML that is not well-formed is 12100 with the line", "[parser]") {
  const absl::Status status = ParseError("<Response>\n<Say>Hi\n</Response>");
  CHECK(TwilioErrorCode(status) == kErrorDocumentParse);
  CHECK(TwimlErrorLine(status).has_value());
}

TEST_CASE("A root other than Response is 12100", "[parser]") {
  CHECK(TwilioErrorCode(ParseError("<Responses><Say>x</Say></Responses>")) == kErrorDocumentParse);
  CHECK(TwilioErrorCode(ParseError("")) == kErrorDocumentParse);
  CHECK(TwilioErrorCode(ParseError("hello")) == kErrorDocumentParse);
  CHECK(TwilioErrorCode(ParseError("<Response/><Response/>")) == kErrorDocumentParse);
}

TEST_CASE("Text outside <Response> is tolerated (pugixml drops it)", "[parser]") {
  CHECK(Parse("<Response><Hangup/></Response>\ntrailing text\n").verbs.size() == 1);
}

TEST_CASE("An empty Response has no verbs", "[parser]") {
  CHECK(Parse("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response/>").verbs.empty());
}

TEST_CASE("Without a document URL relative URLs stay relative", "[parser]") {
  absl::StatusOr<Program> program =
      ParseTwiml("<Response><Gather/><Play>a.mp3</Play></Response>", "text/xml", "");
  REQUIRE(program.ok());
  CHECK(std::get<Gather>(program->verbs[0]).action.empty());
  CHECK(std::get<Play>(program->verbs[1]).url == "a.mp3");
}

}  // namespace
}  // namespace dialtone::twiml
