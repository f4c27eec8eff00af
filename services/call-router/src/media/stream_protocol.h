// Twilio's Media Streams protocol: the JSON text frames Dialtone sends a stream's WebSocket
// server (connected, start, media, dtmf, mark, stop) and reads back from it on a bidirectional
// stream (media, mark, clear), field for field as Twilio has them. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"

namespace dialtone::call_router {

enum class StreamTrack { kInbound, kOutbound };

// Which tracks a stream carries: <Stream track> (inbound_track, outbound_track, both_tracks).
struct StreamTracks {
  bool inbound = true;
  bool outbound = false;
};
// InvalidArgument for anything but Twilio's three values ("" is inbound_track).
absl::StatusOr<StreamTracks> ParseStreamTracks(std::string_view track);

// Numbers and words the messages to the app: sequenceNumber counts every message after
// `connected` from "1"; chunk counts each track's media from "1"; numbers are JSON strings, as
// Twilio sends them. Not thread-safe: the stream that owns it serialises its calls.
//
//   StreamMessageWriter w("MZ…", "AC…", "CA…");
//   socket.Send(w.Connected()); socket.Send(w.Start(tracks, params));
//   socket.Send(w.Media(StreamTrack::kInbound, 20, ulaw_bytes));
class StreamMessageWriter {
 public:
  StreamMessageWriter(std::string stream_sid, std::string account_sid, std::string call_sid);

  std::string Connected() const;
  std::string Start(const StreamTracks& tracks,
                    const std::vector<std::pair<std::string, std::string>>& parameters);
  // `payload`: mu-law bytes (base64 encoded here); `timestamp_ms` since the stream started.
  std::string Media(StreamTrack track, int64_t timestamp_ms, std::string_view payload);
  std::string Dtmf(char digit);
  std::string Mark(std::string_view name);
  std::string Stop();

  const std::string& stream_sid() const { return stream_sid_; }

 private:
  std::string stream_sid_;
  std::string account_sid_;
  std::string call_sid_;
  uint64_t sequence_ = 0;
  uint64_t chunks_[2] = {0, 0};
};

// What the app may send on a bidirectional stream.
struct AppMedia {
  std::string payload;  // mu-law bytes, decoded from base64
};
struct AppMark {
  std::string name;
};
struct AppClear {};
using AppMessage = std::variant<AppMedia, AppMark, AppClear>;

// InvalidArgument (Twilio's 31924, a protocol error) for what is not JSON, an event it does not
// know, or a message without what its event needs (a media payload that is not base64, a mark
// without a name).
absl::StatusOr<AppMessage> ParseAppMessage(std::string_view text);

}  // namespace dialtone::call_router
