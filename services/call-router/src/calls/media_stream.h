// One media stream of a call (Twilio Media Streams): the call's audio, as mu-law in JSON text
// frames, to the app's WebSocket server, and on a bidirectional stream (<Connect><Stream>) the
// app's audio, marks and clears back into the call.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "calls/app_http_client.h"
#include "calls/twiml_names.h"
#include "dialtone/ws/client.h"
#include "media/call_audio.h"
#include "media/stream_protocol.h"

namespace dialtone::call_router {

// Play ids on a leg with this bit are a media stream's audio and marks (a call session's other
// plays use bits 61 and 62, or none).
inline constexpr uint64_t kStreamPlayIds = uint64_t{1} << 60;

// Twilio's codes for a stream that failed (StreamError in the stream-error callback).
inline constexpr int kStreamConnectTimeout = 31901;
inline constexpr int kStreamConnectRefused = 31902;
inline constexpr int kStreamTlsError = 31910;
inline constexpr int kStreamHandshakeError = 31920;
// Twilio names no code for a server that stops reading (our send buffer overflowed) or stops
// answering pings; Dialtone reports those as 31921 with the reason in the message.
inline constexpr int kStreamConnectionLost = 31921;
inline constexpr int kStreamProtocolError = 31924;

// Runs one stream from Start to its end, which comes from Stop (the <Stop> verb, the Streams API,
// the call ending, a redirect of a <Connect>), or from the server (it closed the WebSocket, or
// the connection failed). Thread-safe: the RTP thread feeds the taps, the WebSocket client's
// thread reports the connection, the SIP thread starts and stops it and reports digits and
// finished plays. It never calls into the leg while holding its own lock (the RTP thread holds
// the leg's lock when it feeds the taps).
//
//   auto s = std::make_shared<MediaStream>(setup, leg, ws_client, http, on_ended);
//   s->Start();            // connects; the taps go on once `start` is sent
//   s->Stop();             // `stop`, close; on_ended(sid, OK) once closed
class MediaStream final : public AudioTap,
                          public ws::Handler,
                          public std::enable_shared_from_this<MediaStream> {
 public:
  struct Setup {
    std::string stream_sid;  // MZ…
    std::string account_sid;
    std::string call_sid;
    std::string auth_token;  // signs the handshake and the status callbacks
    StreamNoun spec;
    bool bidirectional = false;  // <Connect><Stream>: the app's audio plays on the leg
    uint64_t play_ids = 0;       // the app's audio and marks are played as play_ids + n
  };
  // Once per stream, on the WebSocket client's thread (or Start's): OK for a clean end, else
  // why; `seconds` it carried media, -1 when it never started.
  using Ended =
      std::function<void(const std::string& stream_sid, absl::Status why, int64_t seconds)>;

  MediaStream(Setup setup, std::shared_ptr<CallAudio> leg, ws::Client* client, AppClient* http,
              Ended ended);
  ~MediaStream() override;

  // Connects (the handshake signed as Twilio signs it). An error (a URL the client refuses) has
  // already ended the stream: stream-error was sent and `ended` will be called.
  void Start();
  // Ends it: `stop` to the app, then a clean close. Idempotent.
  void Stop();
  // An RFC 4733 or in-band digit the caller pressed.
  void OnDigit(char digit);
  // A play on the leg finished; true when it was one of this stream's (a mark goes back then).
  bool OnPlayDone(uint64_t id);

  const std::string& sid() const { return setup_.stream_sid; }
  const std::string& name() const { return setup_.spec.name; }
  bool bidirectional() const { return setup_.bidirectional; }
  bool Owns(uint64_t play_id) const {
    return play_id >= setup_.play_ids && play_id < setup_.play_ids + kPlayIdSpan;
  }
  bool stopped() const;
  absl::Time date_updated() const;
  // Seconds from start to end (to now while it runs), for usage.
  int64_t seconds() const;

  static constexpr uint64_t kPlayIdSpan = uint64_t{1} << 32;

  // AudioTap (RTP thread).
  void OnInbound(const int16_t* samples, int count, uint32_t rtp_timestamp) override;
  void OnOutbound(const int16_t* samples, int count) override;
  // ws::Handler (the WebSocket client's thread).
  void OnOpen() override;
  void OnText(std::string message) override;
  void OnClose(absl::Status status) override;

 private:
  void SendLocked(std::string message) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Callback(const char* event, const absl::Status& error);
  void Finish(absl::Status why);

  const Setup setup_;
  const StreamTracks tracks_;
  const std::shared_ptr<CallAudio> leg_;
  ws::Client* const client_;
  AppClient* const http_;
  const Ended ended_;

  mutable std::mutex mu_;
  StreamMessageWriter writer_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<ws::Connection> connection_ ABSL_GUARDED_BY(mu_);
  // What was sent before Start had the connection (the client may open it, and OnOpen run,
  // before Connect returns): handed over, in order, as soon as it has.
  std::vector<std::string> unsent_ ABSL_GUARDED_BY(mu_);
  bool started_ ABSL_GUARDED_BY(mu_) = false;   // `start` sent: media flows
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;  // Stop() or the end: nothing more is sent
  bool stop_requested_ ABSL_GUARDED_BY(mu_) = false;  // by Stop(): the close is a clean end
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time started_at_ ABSL_GUARDED_BY(mu_) = absl::Now();
  std::optional<absl::Time> ended_at_ ABSL_GUARDED_BY(mu_);
  absl::Time updated_ ABSL_GUARDED_BY(mu_) = absl::Now();
  int64_t start_ms_ ABSL_GUARDED_BY(mu_) = 0;  // monotonic, when `start` went out
  // Media timestamps: inbound from the packets' RTP clock, outbound one frame per tick.
  std::optional<std::pair<uint32_t, int64_t>> inbound_origin_ ABSL_GUARDED_BY(mu_);
  std::optional<int64_t> outbound_ms_ ABSL_GUARDED_BY(mu_);
  uint64_t next_play_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<uint64_t, std::string> marks_ ABSL_GUARDED_BY(mu_);  // play id -> mark name
  bool warned_protocol_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace dialtone::call_router
