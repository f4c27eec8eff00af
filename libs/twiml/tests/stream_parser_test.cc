// ParseTwiml on <Connect>, <Start> and <Stop> with <Stream>: attributes, defaults, parameters,
// nesting and the errors a Media Streams app would see.
#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "dialtone/twiml/error.h"
#include "dialtone/twiml/parser.h"

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
  CHECK(TwilioErrorCode(program.status()) == kErrorSchemaValidation);
  return program.status();
}

std::string Message(const absl::Status& status) { return std::string(status.message()); }

template <typename VerbType>
VerbType Only(const std::string& twiml) {
  Program program = Parse(twiml);
  REQUIRE(program.verbs.size() == 1);
  REQUIRE(std::holds_alternative<VerbType>(program.verbs[0]));
  return std::get<VerbType>(program.verbs[0]);
}

std::string InConnect(const std::string& stream_attributes) {
  return "<Response><Connect><Stream " + stream_attributes + "/></Connect></Response>";
}

std::string InStart(const std::string& stream_attributes) {
  return "<Response><Start><Stream " + stream_attributes + "/></Start></Response>";
}

TEST_CASE("Connect Stream defaults: inbound track, POST, no action, name or callback",
          "[parser][stream]") {
  const Program program = Parse(InConnect("url=\"wss://a.example/s\""));
  CHECK(program.warnings.empty());
  REQUIRE(program.verbs.size() == 1);
  const Connect connect = std::get<Connect>(program.verbs[0]);
  CHECK(connect.action.empty());
  CHECK(connect.method == HttpMethod::kPost);
  CHECK(connect.stream.url == "wss://a.example/s");
  CHECK(connect.stream.name.empty());
  CHECK(connect.stream.track == "inbound_track");
  CHECK(connect.stream.status_callback.empty());
  CHECK(connect.stream.status_callback_method == HttpMethod::kPost);
  CHECK(connect.stream.parameters.empty());
}

TEST_CASE("Start Stream defaults to the inbound track and no action", "[parser][stream]") {
  const Start start = Only<Start>(InStart("url=\"wss://a.example/s\""));
  CHECK(start.action.empty());
  CHECK(start.method == HttpMethod::kPost);
  CHECK(start.stream.url == "wss://a.example/s");
  CHECK(start.stream.track == "inbound_track");
  CHECK(start.stream.status_callback_method == HttpMethod::kPost);
}

TEST_CASE("Stream reads its url, name, status callback and method", "[parser][stream]") {
  const Start start = Only<Start>(
      InStart("url=\" ws://127.0.0.1:8080/media?x=1 \" name=\"fork-1\" "
              "statusCallback=\"https://cb.example/streams\" statusCallbackMethod=\"get\""));
  CHECK(start.stream.url == "ws://127.0.0.1:8080/media?x=1");  // trimmed, ws:// allowed
  CHECK(start.stream.name == "fork-1");
  CHECK(start.stream.status_callback == "https://cb.example/streams");
  CHECK(start.stream.status_callback_method == HttpMethod::kGet);
}

TEST_CASE("Stream statusCallback resolves against the document URL", "[parser][stream]") {
  CHECK(Only<Connect>(InConnect("url=\"wss://a.example/s\" statusCallback=\"../events\""))
            .stream.status_callback == "https://app.example.com/events");
}

TEST_CASE("Connect and Start resolve action against the document URL; empty is none",
          "[parser][stream]") {
  const Connect connect = Only<Connect>(
      "<Response><Connect action=\"after\" method=\"GET\"><Stream url=\"wss://a.example/s\"/>"
      "</Connect></Response>");
  CHECK(connect.action == "https://app.example.com/ivr/after");
  CHECK(connect.method == HttpMethod::kGet);
  const Start start = Only<Start>(
      "<Response><Start action=\"/started\"><Stream url=\"wss://a.example/s\"/></Start>"
      "</Response>");
  CHECK(start.action == "https://app.example.com/started");
  CHECK(start.method == HttpMethod::kPost);
  CHECK(Only<Connect>("<Response><Connect action=\"\"><Stream url=\"wss://a.example/s\"/>"
                      "</Connect></Response>")
            .action.empty());
}

TEST_CASE("Start takes each of Twilio's tracks and refuses others by name", "[parser][stream]") {
  for (const char* track : {"inbound_track", "outbound_track", "both_tracks"}) {
    CHECK(Only<Start>(InStart(std::string("url=\"wss://a.example/s\" track=\"") + track + "\""))
              .stream.track == track);
  }
  const absl::Status status = ParseError(InStart("url=\"wss://a.example/s\" track=\"both\""));
  CHECK_THAT(Message(status), Catch::Contains("track=\"both\"") && Catch::Contains("<Stream>"));
}

TEST_CASE("Inside Connect only the inbound track is allowed", "[parser][stream]") {
  CHECK(
      Only<Connect>(InConnect("url=\"wss://a.example/s\" track=\"inbound_track\"")).stream.track ==
      "inbound_track");
  for (const char* track : {"both_tracks", "outbound_track"}) {
    const absl::Status status =
        ParseError("<Response>\n<Connect>\n<Stream url=\"wss://a.example/s\" track=\"" +
                   std::string(track) + "\"/>\n</Connect>\n</Response>");
    CHECK(TwimlErrorLine(status) == 3);
    CHECK_THAT(Message(status), Catch::Contains("track=\"" + std::string(track) + "\"") &&
                                    Catch::Contains("<Connect>"));
  }
}

TEST_CASE("Stream url must be an absolute ws or wss URL", "[parser][stream]") {
  for (const char* url : {"https://a.example/s", "http://a.example/s", "/stream", "stream",
                          "wss://", "wss://a.example/s#part"}) {
    INFO(url);
    const absl::Status status = ParseError(InStart(std::string("url=\"") + url + "\""));
    CHECK_THAT(Message(status), Catch::Contains("url=") && Catch::Contains("ws://"));
  }
  CHECK_THAT(Message(ParseError(InConnect(""))), Catch::Contains("needs a url"));
  CHECK_THAT(Message(ParseError(InStart("url=\"  \""))), Catch::Contains("needs a url"));
}

TEST_CASE("Bad Stream and Connect attribute values are 12200 naming them", "[parser][stream]") {
  CHECK_THAT(Message(ParseError(InStart("url=\"wss://a.example/s\" statusCallbackMethod=\"PUT\""))),
             Catch::Contains("statusCallbackMethod"));
  CHECK_THAT(Message(ParseError(InStart("url=\"wss://a.example/s\" statusCallback=\"ftp://x/y\""))),
             Catch::Contains("statusCallback"));
  CHECK_THAT(Message(ParseError("<Response><Connect method=\"PUT\"><Stream "
                                "url=\"wss://a.example/s\"/></Connect></Response>")),
             Catch::Contains("method") && Catch::Contains("<Connect>"));
}

TEST_CASE("Stream parameters keep document order; values may be empty", "[parser][stream]") {
  const Start start = Only<Start>(
      "<Response><Start><Stream url=\"wss://a.example/s\">"
      "<Parameter name=\"b\" value=\"2\"/><Parameter name=\"a\" value=\"1\"/>"
      "<Parameter name=\"empty\" value=\"\"/><Parameter name=\"absent\"/>"
      "<Parameter name=\"b\" value=\"again\"/>"
      "</Stream></Start></Response>");
  using P = std::pair<std::string, std::string>;
  CHECK(start.stream.parameters ==
        std::vector<P>{{"b", "2"}, {"a", "1"}, {"empty", ""}, {"absent", ""}, {"b", "again"}});
}

TEST_CASE("Stream takes any number of parameters", "[parser][stream]") {
  std::string body = "<Response><Connect><Stream url=\"wss://a.example/s\">";
  for (int i = 0; i < 150; ++i) {
    body += "<Parameter name=\"p" + std::to_string(i) + "\" value=\"" + std::to_string(i) + "\"/>";
  }
  body += "</Stream></Connect></Response>";
  const Connect connect = Only<Connect>(body);
  REQUIRE(connect.stream.parameters.size() == 150);
  CHECK(connect.stream.parameters[149] == std::pair<std::string, std::string>{"p149", "149"});
}

TEST_CASE("A Parameter without a name is refused", "[parser][stream]") {
  for (const char* parameter : {"<Parameter value=\"1\"/>", "<Parameter name=\"\" value=\"1\"/>",
                                "<Parameter name=\"  \" value=\"1\"/>"}) {
    INFO(parameter);
    const absl::Status status = ParseError("<Response><Start><Stream url=\"wss://a.example/s\">\n" +
                                           std::string(parameter) + "</Stream></Start></Response>");
    CHECK(TwimlErrorLine(status) == 2);
    CHECK_THAT(Message(status), Catch::Contains("<Parameter>") && Catch::Contains("name"));
  }
}

TEST_CASE("Stream holds only Parameter elements", "[parser][stream]") {
  CHECK_THAT(Message(ParseError("<Response><Start><Stream url=\"wss://a.example/s\"><Say>x</Say>"
                                "</Stream></Start></Response>")),
             Catch::Contains("<Say>") && Catch::Contains("<Stream>"));
}

TEST_CASE("Connect refuses Twilio's other nouns as not supported", "[parser][stream]") {
  for (const char* noun : {"Room", "Autopilot", "VirtualAgent", "Conversation", "ConversationRelay",
                           "AiSession", "Assistant"}) {
    INFO(noun);
    const absl::Status status = ParseError("<Response><Connect>\n<" + std::string(noun) +
                                           " url=\"wss://x\"/></Connect></Response>");
    CHECK(TwimlErrorLine(status) == 2);
    CHECK_THAT(Message(status),
               Catch::Contains("<" + std::string(noun) + ">") && Catch::Contains("not supported"));
  }
}

TEST_CASE("Connect takes exactly one Stream and nothing else", "[parser][stream]") {
  const absl::Status other = ParseError(
      "<Response><Connect><Stream url=\"wss://a.example/s\"/><Say>x</Say></Connect></Response>");
  CHECK_THAT(Message(other), Catch::Contains("<Say>") && Catch::Contains("cannot be nested") &&
                                 !Catch::Contains("not supported"));
  CHECK_THAT(Message(ParseError("<Response><Connect><Stream url=\"wss://a.example/s\"/>"
                                "<Stream url=\"wss://b.example/s\"/></Connect></Response>")),
             Catch::Contains("second <Stream>"));
  CHECK_THAT(Message(ParseError("<Response><Connect/></Response>")),
             Catch::Contains("<Connect>") && Catch::Contains("needs a <Stream>"));
}

TEST_CASE("Start refuses Siprec, Transcription and Recording as not supported",
          "[parser][stream]") {
  for (const char* noun : {"Siprec", "Transcription", "Recording"}) {
    INFO(noun);
    CHECK_THAT(
        Message(ParseError("<Response><Start><" + std::string(noun) + "/></Start></Response>")),
        Catch::Contains("not supported"));
  }
  CHECK_THAT(Message(ParseError("<Response><Start><Room/></Start></Response>")),
             Catch::Contains("cannot be nested in <Start>"));
  CHECK_THAT(Message(ParseError("<Response><Start/></Response>")),
             Catch::Contains("needs a <Stream>"));
}

TEST_CASE("Stop names the stream to stop; the name is optional and no url is needed",
          "[parser][stream]") {
  const Program program =
      Parse("<Response><Stop><Stream name=\"fork-1\"/></Stop><Stop><Stream/></Stop></Response>");
  CHECK(program.warnings.empty());
  REQUIRE(program.verbs.size() == 2);
  CHECK(std::get<Stop>(program.verbs[0]).stream.name == "fork-1");
  CHECK(std::get<Stop>(program.verbs[0]).stream.url.empty());
  CHECK(std::get<Stop>(program.verbs[1]).stream.name.empty());
}

TEST_CASE("Stop warns that a Stream's other attributes are ignored", "[parser][stream]") {
  const Program program = Parse(
      "<Response>\n<Stop>\n<Stream name=\"s\" url=\"https://not-checked\" track=\"both_tracks\">"
      "<Parameter name=\"a\" value=\"1\"/></Stream></Stop></Response>");
  const Stop stop = std::get<Stop>(program.verbs.at(0));
  CHECK(stop.stream.name == "s");
  CHECK(stop.stream.url.empty());
  CHECK(stop.stream.parameters.empty());
  REQUIRE(program.warnings.size() == 1);
  CHECK(program.warnings[0].line == 3);
  CHECK_THAT(program.warnings[0].message, Catch::Contains("ignored"));
}

TEST_CASE("Stop takes one Stream and refuses Twilio's other nouns", "[parser][stream]") {
  CHECK_THAT(Message(ParseError("<Response><Stop/></Response>")),
             Catch::Contains("needs a <Stream>"));
  CHECK_THAT(Message(ParseError("<Response><Stop><Siprec name=\"x\"/></Stop></Response>")),
             Catch::Contains("not supported"));
  CHECK_THAT(Message(ParseError("<Response><Stop><Stream name=\"a\"/><Stream name=\"b\"/>"
                                "</Stop></Response>")),
             Catch::Contains("second <Stream>"));
}

TEST_CASE("Unknown Stream attributes are warnings; connectorName is not supported",
          "[parser][stream]") {
  const Program program =
      Parse(InStart("url=\"wss://a.example/s\" colour=\"blue\" connectorName=\"c\""));
  REQUIRE(program.warnings.size() == 2);
  CHECK_THAT(program.warnings[0].message,
             Catch::Contains("connectorName") && Catch::Contains("not supported"));
  CHECK_THAT(program.warnings[1].message, Catch::Contains("colour"));
}

TEST_CASE("A Stream outside Connect, Start or Stop is refused", "[parser][stream]") {
  CHECK_THAT(Message(ParseError("<Response><Stream url=\"wss://a.example/s\"/></Response>")),
             Catch::Contains("must be nested in <Connect>, <Start> or <Stop>"));
}

TEST_CASE("A document forks a stream, says, stops it and connects another", "[parser][stream]") {
  const Program program = Parse(
      "<Response><Start><Stream url=\"wss://a.example/s\" track=\"both_tracks\">"
      "<Parameter name=\"a\" value=\"1\"/></Stream></Start><Say>hi</Say><Stop><Stream "
      "name=\"x\"/></Stop><Connect action=\"/next\"><Stream url=\"ws://b.example/s\"/></Connect>"
      "</Response>");
  CHECK(program.warnings.empty());
  REQUIRE(program.verbs.size() == 4);
  const Start& start = std::get<Start>(program.verbs[0]);
  CHECK(start.stream.url == "wss://a.example/s");
  CHECK(start.stream.track == "both_tracks");
  CHECK(start.stream.parameters == std::vector<std::pair<std::string, std::string>>{{"a", "1"}});
  CHECK(std::get<Say>(program.verbs[1]).text == "hi");
  CHECK(std::get<Stop>(program.verbs[2]).stream.name == "x");
  const Connect& connect = std::get<Connect>(program.verbs[3]);
  CHECK(connect.action == "https://app.example.com/next");
  CHECK(connect.stream.url == "ws://b.example/s");
  CHECK(connect.stream.track == "inbound_track");
}

}  // namespace
}  // namespace dialtone::twiml
