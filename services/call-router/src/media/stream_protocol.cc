// Media Streams messages: built with absl::StrCat for the 20 ms media frames (their fields need
// no escaping), with Boost.JSON wherever the app's own strings go in or come out.
#include "media/stream_protocol.h"

#include <boost/json.hpp>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace dialtone::call_router {
namespace {

const char* TrackName(StreamTrack track) {
  return track == StreamTrack::kInbound ? "inbound" : "outbound";
}

// A JSON string literal, quotes included.
std::string Quoted(std::string_view text) {
  return boost::json::serialize(boost::json::value(boost::json::string_view(text.data(), text.size())));
}

}  // namespace

absl::StatusOr<StreamTracks> ParseStreamTracks(std::string_view track) {
  if (track.empty() || track == "inbound_track") return StreamTracks{true, false};
  if (track == "outbound_track") return StreamTracks{false, true};
  if (track == "both_tracks") return StreamTracks{true, true};
  return absl::InvalidArgumentError(absl::StrCat(
      "track must be inbound_track, outbound_track or both_tracks, not \"", std::string(track),
      "\""));
}

StreamMessageWriter::StreamMessageWriter(std::string stream_sid, std::string account_sid,
                                         std::string call_sid)
    : stream_sid_(std::move(stream_sid)),
      account_sid_(std::move(account_sid)),
      call_sid_(std::move(call_sid)) {}

std::string StreamMessageWriter::Connected() const {
  return R"({"event":"connected","protocol":"Call","version":"1.0.0"})";
}

std::string StreamMessageWriter::Start(
    const StreamTracks& tracks, const std::vector<std::pair<std::string, std::string>>& parameters) {
  boost::json::object start;
  start["accountSid"] = account_sid_;
  start["streamSid"] = stream_sid_;
  start["callSid"] = call_sid_;
  boost::json::array names;
  if (tracks.inbound) names.emplace_back("inbound");
  if (tracks.outbound) names.emplace_back("outbound");
  start["tracks"] = std::move(names);
  boost::json::object custom;
  for (const auto& [name, value] : parameters) custom[name] = value;
  start["customParameters"] = std::move(custom);
  start["mediaFormat"] = {{"encoding", "audio/x-mulaw"}, {"sampleRate", 8000}, {"channels", 1}};
  boost::json::object message;
  message["event"] = "start";
  message["sequenceNumber"] = absl::StrCat(++sequence_);
  message["start"] = std::move(start);
  message["streamSid"] = stream_sid_;
  return boost::json::serialize(message);
}

std::string StreamMessageWriter::Media(StreamTrack track, int64_t timestamp_ms,
                                       std::string_view payload) {
  const uint64_t chunk = ++chunks_[track == StreamTrack::kInbound ? 0 : 1];
  return absl::StrCat(R"({"event":"media","sequenceNumber":")", ++sequence_,
                      R"(","media":{"track":")", TrackName(track), R"(","chunk":")", chunk,
                      R"(","timestamp":")", timestamp_ms, R"(","payload":")",
                      absl::Base64Escape(absl::string_view(payload.data(), payload.size())),
                      R"("},"streamSid":")", stream_sid_, R"("})");
}

std::string StreamMessageWriter::Dtmf(char digit) {
  return absl::StrCat(R"({"event":"dtmf","streamSid":")", stream_sid_,
                      R"(","sequenceNumber":")", ++sequence_,
                      R"(","dtmf":{"track":"inbound_track","digit":")", std::string(1, digit),
                      R"("}})");
}

std::string StreamMessageWriter::Mark(std::string_view name) {
  return absl::StrCat(R"({"event":"mark","sequenceNumber":")", ++sequence_,
                      R"(","streamSid":")", stream_sid_, R"(","mark":{"name":)", Quoted(name),
                      "}}");
}

std::string StreamMessageWriter::Stop() {
  return absl::StrCat(R"({"event":"stop","sequenceNumber":")", ++sequence_,
                      R"(","streamSid":")", stream_sid_, R"(","stop":{"accountSid":")",
                      account_sid_, R"(","callSid":")", call_sid_, R"("}})");
}

absl::StatusOr<AppMessage> ParseAppMessage(std::string_view text) {
  boost::system::error_code error;
  boost::json::value parsed =
      boost::json::parse(boost::json::string_view(text.data(), text.size()), error);
  if (error || !parsed.is_object()) {
    return absl::InvalidArgumentError("a stream message must be a JSON object");
  }
  const boost::json::object& message = parsed.get_object();
  const boost::json::value* event = message.if_contains("event");
  if (event == nullptr || !event->is_string()) {
    return absl::InvalidArgumentError("a stream message needs an \"event\"");
  }
  const boost::json::string& name = event->get_string();
  auto member = [&](const char* object, const char* field) -> const boost::json::string* {
    const boost::json::value* outer = message.if_contains(object);
    if (outer == nullptr || !outer->is_object()) return nullptr;
    const boost::json::value* inner = outer->get_object().if_contains(field);
    return inner != nullptr && inner->is_string() ? &inner->get_string() : nullptr;
  };
  if (name == "media") {
    const boost::json::string* payload = member("media", "payload");
    if (payload == nullptr) return absl::InvalidArgumentError("a media message needs media.payload");
    AppMedia media;
    if (!absl::Base64Unescape(absl::string_view(payload->data(), payload->size()), &media.payload)) {
      return absl::InvalidArgumentError("media.payload is not base64");
    }
    return media;
  }
  if (name == "mark") {
    const boost::json::string* mark = member("mark", "name");
    if (mark == nullptr) return absl::InvalidArgumentError("a mark message needs mark.name");
    return AppMark{std::string(mark->data(), mark->size())};
  }
  if (name == "clear") return AppClear{};
  return absl::InvalidArgumentError(
      absl::StrCat("unknown stream event \"", std::string(name.data(), name.size()), "\""));
}

}  // namespace dialtone::call_router
