// Media Streams messages as Twilio sends and reads them.
#include "media/stream_protocol.h"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

namespace dialtone::call_router {
namespace {

constexpr char kStream[] = "MZ0123456789abcdef0123456789abcdef";
constexpr char kAccount[] = "AC0123456789abcdef0123456789abcdef";
constexpr char kCall[] = "CA0123456789abcdef0123456789abcdef";

boost::json::object Json(const std::string& text) { return boost::json::parse(text).as_object(); }

std::string Str(const boost::json::value& v) { return std::string(v.as_string().c_str()); }

TEST_CASE("connected then start describe the stream, its tracks and parameters", "[streams]") {
  StreamMessageWriter w(kStream, kAccount, kCall);
  auto connected = Json(w.Connected());
  CHECK(Str(connected["event"]) == "connected");
  CHECK(Str(connected["protocol"]) == "Call");
  CHECK(Str(connected["version"]) == "1.0.0");
  CHECK_FALSE(connected.contains("sequenceNumber"));

  auto start = Json(w.Start({true, true}, {{"caller", "Ann \"A\""}, {"lang", "de"}}));
  CHECK(Str(start["event"]) == "start");
  CHECK(Str(start["sequenceNumber"]) == "1");
  CHECK(Str(start["streamSid"]) == kStream);
  auto& body = start["start"].as_object();
  CHECK(Str(body["accountSid"]) == kAccount);
  CHECK(Str(body["callSid"]) == kCall);
  CHECK(Str(body["streamSid"]) == kStream);
  CHECK(body["tracks"].as_array() == boost::json::array{"inbound", "outbound"});
  CHECK(Str(body["customParameters"].as_object()["caller"]) == "Ann \"A\"");
  auto& format = body["mediaFormat"].as_object();
  CHECK(Str(format["encoding"]) == "audio/x-mulaw");
  CHECK(format["sampleRate"].as_int64() == 8000);
  CHECK(format["channels"].as_int64() == 1);
}

TEST_CASE("media numbers messages overall and chunks per track, as strings", "[streams]") {
  StreamMessageWriter w(kStream, kAccount, kCall);
  w.Start({true, true}, {});
  auto first = Json(w.Media(StreamTrack::kInbound, 20, std::string("\xff\x7f\x00", 3)));
  auto second = Json(w.Media(StreamTrack::kOutbound, 20, "abc"));
  auto third = Json(w.Media(StreamTrack::kInbound, 40, "abc"));
  CHECK(Str(first["sequenceNumber"]) == "2");
  CHECK(Str(second["sequenceNumber"]) == "3");
  CHECK(Str(third["sequenceNumber"]) == "4");
  auto& m1 = first["media"].as_object();
  CHECK(Str(m1["track"]) == "inbound");
  CHECK(Str(m1["chunk"]) == "1");
  CHECK(Str(m1["timestamp"]) == "20");
  CHECK(Str(m1["payload"]) == "/38A");
  CHECK(Str(second["media"].as_object()["chunk"]) == "1");
  CHECK(Str(second["media"].as_object()["track"]) == "outbound");
  CHECK(Str(third["media"].as_object()["chunk"]) == "2");
  CHECK(Str(third["streamSid"]) == kStream);
}

TEST_CASE("dtmf, mark and stop carry Twilio's fields", "[streams]") {
  StreamMessageWriter w(kStream, kAccount, kCall);
  auto dtmf = Json(w.Dtmf('5'));
  CHECK(Str(dtmf["event"]) == "dtmf");
  CHECK(Str(dtmf["sequenceNumber"]) == "1");
  CHECK(Str(dtmf["dtmf"].as_object()["track"]) == "inbound_track");
  CHECK(Str(dtmf["dtmf"].as_object()["digit"]) == "5");
  auto mark = Json(w.Mark("said \"hi\"\n"));
  CHECK(Str(mark["mark"].as_object()["name"]) == "said \"hi\"\n");
  CHECK(Str(mark["sequenceNumber"]) == "2");
  auto stop = Json(w.Stop());
  CHECK(Str(stop["event"]) == "stop");
  CHECK(Str(stop["stop"].as_object()["accountSid"]) == kAccount);
  CHECK(Str(stop["stop"].as_object()["callSid"]) == kCall);
}

TEST_CASE("the app's media, mark and clear are read, anything else is refused", "[streams]") {
  auto media = ParseAppMessage(R"({"event":"media","streamSid":"MZ1","media":{"payload":"/38A"}})");
  REQUIRE(media.ok());
  CHECK(std::get<AppMedia>(*media).payload == std::string("\xff\x7f\x00", 3));
  auto mark = ParseAppMessage(R"({"event":"mark","streamSid":"MZ1","mark":{"name":"m1"}})");
  REQUIRE(mark.ok());
  CHECK(std::get<AppMark>(*mark).name == "m1");
  CHECK(std::holds_alternative<AppClear>(*ParseAppMessage(R"({"event":"clear"})")));
  CHECK_FALSE(ParseAppMessage("not json").ok());
  CHECK_FALSE(ParseAppMessage(R"({"event":"media","media":{}})").ok());
  CHECK_FALSE(ParseAppMessage(R"({"event":"media","media":{"payload":"***"}})").ok());
  CHECK_FALSE(ParseAppMessage(R"({"event":"mark","mark":{}})").ok());
  CHECK_FALSE(ParseAppMessage(R"({"event":"dance"})").ok());
  CHECK_FALSE(ParseAppMessage(R"([1,2])").ok());
}

TEST_CASE("track names map to the tracks a stream carries", "[streams]") {
  CHECK(ParseStreamTracks("")->inbound);
  CHECK_FALSE(ParseStreamTracks("inbound_track")->outbound);
  CHECK(ParseStreamTracks("outbound_track")->outbound);
  CHECK_FALSE(ParseStreamTracks("outbound_track")->inbound);
  CHECK(ParseStreamTracks("both_tracks")->inbound);
  CHECK(ParseStreamTracks("both_tracks")->outbound);
  CHECK_FALSE(ParseStreamTracks("both").ok());
}

}  // namespace
}  // namespace dialtone::call_router
