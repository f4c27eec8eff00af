// CallSession's media streams: <Connect><Stream> (the call stays on it until it ends), the forked
// streams of <Start><Stream> and the Streams API, <Stop><Stream>, and their usage.
#include "absl/strings/str_cat.h"
#include "calls/call_session.h"
#include "dialtone/core/sid.h"
#include "dialtone/core/twilio_error.h"
#include "dialtone/log/log.h"

namespace dialtone::call_router {
namespace {

// Twilio lets a call fork at most four streams at once.
constexpr size_t kMaxForkedStreams = 4;

}  // namespace

absl::StatusOr<StreamInfo> CallSession::OpenMediaStream(const StreamNoun& spec,
                                                        bool bidirectional) {
  if (finished() || !answered() || stream_ == nullptr || !route_) {
    return absl::FailedPreconditionError("the call is not in progress");
  }
  if (auto tracks = ParseStreamTracks(spec.track); !tracks.ok()) return tracks.status();
  size_t forked = 0;
  for (const auto& [sid, stream] : media_streams_) {
    if (!spec.name.empty() && stream->name() == spec.name) {
      return absl::InvalidArgumentError(
          absl::StrCat("the call already has a stream named \"", spec.name, "\""));
    }
    if (!stream->bidirectional()) ++forked;
  }
  if (!bidirectional && forked >= kMaxForkedStreams) {
    return absl::ResourceExhaustedError("a call forks at most 4 streams at once");
  }
  MediaStream::Setup setup{.stream_sid = core::NewSid(core::kStreamPrefix),
                           .account_sid = route_->account_sid,
                           .call_sid = call_sid_,
                           .auth_token = route_->auth_token,
                           .spec = spec,
                           .bidirectional = bidirectional,
                           .play_ids = kStreamPlayIds + next_media_stream_++ * MediaStream::kPlayIdSpan};
  // The end comes on the WebSocket thread: usage is published there (the session may be gone),
  // the session hears of it on the SIP thread.
  auto ended = OnSipThread([](CallSession& s, std::string sid) { s.OnMediaStreamEnded(sid); });
  auto stream = std::make_shared<MediaStream>(
      std::move(setup), stream_, deps_.streams, deps_.http,
      [ended, publish = deps_.publish_usage, count = deps_.count_stream,
       account = route_->account_sid](const std::string& sid, absl::Status why, int64_t seconds) {
        if (count) count(why.ok() ? "stopped" : "error");
        if (publish && seconds >= 0) {
          // Dialtone's own category: Twilio's usage records name none for Media Streams.
          publish(CallUsage{.event_id = sid + ":stream",
                            .category = "media-streams",
                            .count = 1,
                            .minutes = (seconds + 59) / 60},
                  account);
        }
        ended(sid);
      });
  media_streams_[stream->sid()] = stream;
  if (deps_.count_stream) deps_.count_stream("opened");
  StreamInfo info = InfoOf(*stream);
  stream->Start();
  return info;
}

void CallSession::ConnectStream(const ConnectStreamCommand& c) {
  auto opened = OpenMediaStream(c.stream, true);
  if (!opened.ok()) {
    log::Warn("<Connect><Stream> not started", {{"call_sid", call_sid_}, {"error", opened.status()}});
    // The document goes on, as after a stream that ended (posted: not inside this Step).
    deps_.loop->Post([weak = weak_from_this(), op = c.operation] {
      if (auto s = weak.lock(); s && !s->finished()) s->Step(StreamEnded{op});
    });
    return;
  }
  connected_stream_ = std::make_pair(c.operation, opened->sid);
}

void CallSession::OnMediaStreamEnded(const std::string& stream_sid) {
  media_streams_.erase(stream_sid);
  if (connected_stream_ && connected_stream_->second == stream_sid) {
    const uint64_t op = std::exchange(connected_stream_, std::nullopt)->first;
    if (!finished()) Step(StreamEnded{op});
  }
}

void CallSession::StopMediaStreams(const std::string& name, bool forked_only) {
  // Stop() may end a stream at once (it was never connected): iterate over a copy.
  auto streams = media_streams_;
  for (const auto& [sid, stream] : streams) {
    if (forked_only && stream->bidirectional()) continue;
    if (!name.empty() && stream->name() != name) continue;
    stream->Stop();
  }
}

StreamInfo CallSession::InfoOf(const MediaStream& stream) const {
  return StreamInfo{.sid = stream.sid(),
                    .account_sid = route_ ? route_->account_sid : std::string(),
                    .call_sid = call_sid_,
                    .name = stream.name(),
                    .stopped = stream.stopped(),
                    .date_updated = stream.date_updated()};
}

absl::StatusOr<StreamInfo> CallSession::StartStream(const twiml::StreamNoun& stream) {
  return OpenMediaStream(stream, false);
}

absl::StatusOr<StreamInfo> CallSession::StopStream(const std::string& sid_or_name) {
  for (const auto& [sid, stream] : media_streams_) {
    if (sid != sid_or_name && (stream->name().empty() || stream->name() != sid_or_name)) continue;
    std::shared_ptr<MediaStream> keep = stream;
    keep->Stop();
    StreamInfo info = InfoOf(*keep);
    info.stopped = true;
    return info;
  }
  // With its Twilio code: NotFound alone would read as "the call is not live here".
  return core::TwilioStatus(absl::StatusCode::kNotFound, 20404,
                            absl::StrCat("The requested resource was not found: stream ",
                                         sid_or_name));
}

}  // namespace dialtone::call_router
