// MediaStream: the stream's life (connect, start, media both ways, stop), its status callbacks,
// and the Twilio code of each way it can fail.
#include "calls/media_stream.h"

#include <chrono>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "dialtone/audio/audio.h"
#include "dialtone/log/log.h"
#include "dialtone/webhook/signature.h"

namespace dialtone::call_router {
namespace {

int64_t MonotonicMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Twilio's code for the way a connection ended (`opened`: after the handshake), from what
// libs/ws reports: its status code, and for a failed connect the phrase it uses (matched after
// the address, which a host name could otherwise fool).
int StreamErrorCode(const absl::Status& status, bool opened) {
  const absl::string_view message = status.message();
  const size_t colon = message.find(": ");
  const absl::string_view reason =
      colon == absl::string_view::npos ? message : message.substr(colon + 2);
  if (absl::IsResourceExhausted(status)) return kStreamConnectionLost;
  if (absl::IsDeadlineExceeded(status)) return opened ? kStreamConnectionLost : kStreamConnectTimeout;
  if (absl::IsInvalidArgument(status)) return opened ? kStreamProtocolError : 31923;  // malformed URL
  if (opened) return kStreamConnectionLost;
  if (absl::StartsWith(reason, "TLS ") || absl::StrContains(reason, "certificate")) {
    return kStreamTlsError;
  }
  if (absl::StrContains(reason, "instead of 101")) return kStreamHandshakeError;
  return kStreamConnectRefused;  // refused, unreachable, unresolvable, or the fetch policy
}

// The status with its Twilio code in front ("31902: ..."), as StreamError carries it.
absl::Status Coded(const absl::Status& status, bool opened) {
  if (status.ok()) return status;
  return absl::Status(status.code(),
                      absl::StrCat(StreamErrorCode(status, opened), ": ", status.message()));
}

// A packet's samples as the mu-law bytes a media message carries (up to 80 ms, as the RTP
// thread hands them over), encoded before the stream's lock is taken.
class UlawPayload {
 public:
  UlawPayload(const int16_t* samples, int count)
      : size_(std::min<size_t>(static_cast<size_t>(count), sizeof bytes_)) {
    audio::EncodeG711(samples, size_, audio::G711::kUlaw, bytes_);
  }
  std::string_view view() const { return {reinterpret_cast<const char*>(bytes_), size_}; }
  int64_t ms() const { return static_cast<int64_t>(size_) / 8; }

 private:
  uint8_t bytes_[640];
  size_t size_;
};

}  // namespace

MediaStream::MediaStream(Setup setup, std::shared_ptr<CallAudio> leg, ws::Client* client,
                         AppClient* http, Ended ended)
    : setup_(std::move(setup)),
      tracks_(ParseStreamTracks(setup_.spec.track).value_or(StreamTracks{})),
      leg_(std::move(leg)),
      client_(client),
      http_(http),
      ended_(std::move(ended)),
      writer_(setup_.stream_sid, setup_.account_sid, setup_.call_sid) {}

MediaStream::~MediaStream() = default;

void MediaStream::Start() {
  absl::StatusOr<std::shared_ptr<ws::Connection>> connection =
      client_ == nullptr
          ? absl::StatusOr<std::shared_ptr<ws::Connection>>(
                absl::UnavailableError("media streams are not available on this router"))
          : client_->Connect(setup_.spec.url,
                             {{webhook::kSignatureHeader,
                               webhook::ComputeTwilioSignature(setup_.auth_token,
                                                               setup_.spec.url, {})}},
                             shared_from_this());
  if (!connection.ok()) {
    Finish(Coded(connection.status(), false));
    return;
  }
  std::lock_guard<std::mutex> lock(mu_);
  connection_ = *std::move(connection);
  for (std::string& message : unsent_) connection_->SendText(std::move(message));
  unsent_.clear();
  if (stopping_) connection_->Close();  // stopped while connecting
}

void MediaStream::OnOpen() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    SendLocked(writer_.Connected());
    SendLocked(writer_.Start(tracks_, setup_.spec.parameters));
    started_ = true;
    start_ms_ = MonotonicMs();
    started_at_ = updated_ = absl::Now();
  }
  leg_->AddTap(shared_from_this());
  Callback("stream-started", absl::OkStatus());
  log::Info("media stream started", {{"call_sid", setup_.call_sid},
                                     {"stream_sid", setup_.stream_sid},
                                     {"bidirectional", setup_.bidirectional}});
}

void MediaStream::OnInbound(const int16_t* samples, int count, uint32_t rtp_timestamp) {
  if (!tracks_.inbound || count <= 0) return;
  const UlawPayload payload(samples, count);
  std::lock_guard<std::mutex> lock(mu_);
  if (!started_ || stopping_) return;
  // In step with the caller's RTP clock (8 samples a millisecond), from the first packet's time.
  if (!inbound_origin_) inbound_origin_.emplace(rtp_timestamp, MonotonicMs() - start_ms_);
  const int64_t timestamp =
      inbound_origin_->second + static_cast<uint32_t>(rtp_timestamp - inbound_origin_->first) / 8;
  SendLocked(writer_.Media(StreamTrack::kInbound, timestamp, payload.view()));
}

void MediaStream::OnOutbound(const int16_t* samples, int count) {
  if (!tracks_.outbound || count <= 0) return;
  const UlawPayload payload(samples, count);
  std::lock_guard<std::mutex> lock(mu_);
  if (!started_ || stopping_) return;
  if (!outbound_ms_) outbound_ms_ = MonotonicMs() - start_ms_;
  SendLocked(writer_.Media(StreamTrack::kOutbound, *outbound_ms_, payload.view()));
  *outbound_ms_ += payload.ms();
}

void MediaStream::OnDigit(char digit) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!started_ || stopping_) return;
  SendLocked(writer_.Dtmf(digit));
}

void MediaStream::OnText(std::string message) {
  absl::StatusOr<AppMessage> parsed = ParseAppMessage(message);
  bool bidirectional = setup_.bidirectional;
  if (!parsed.ok() || !bidirectional) {
    // Twilio logs 31924 and keeps the stream; so do we (a warning once per stream).
    std::lock_guard<std::mutex> lock(mu_);
    if (!warned_protocol_) {
      warned_protocol_ = true;
      log::Warn("media stream: message from the app ignored (31924)",
                {{"call_sid", setup_.call_sid},
                 {"stream_sid", setup_.stream_sid},
                 {"error", parsed.ok() ? "a unidirectional stream takes no messages"
                                       : std::string(parsed.status().message())}});
    }
    return;
  }
  uint64_t id = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    if (!std::holds_alternative<AppClear>(*parsed)) {
      id = setup_.play_ids + (next_play_++ % kPlayIdSpan);
      if (auto* mark = std::get_if<AppMark>(&*parsed)) marks_[id] = mark->name;
    }
  }
  // The leg is called without our lock: its RTP thread holds its own lock when it taps us.
  if (auto* media = std::get_if<AppMedia>(&*parsed)) {
    auto samples = std::make_shared<Samples>(media->payload.size());
    audio::DecodeG711(reinterpret_cast<const uint8_t*>(media->payload.data()),
                      media->payload.size(), audio::G711::kUlaw, samples->data());
    leg_->Play(id, std::move(samples));
  } else if (std::holds_alternative<AppMark>(*parsed)) {
    leg_->Play(id, std::make_shared<Samples>());  // done when what is queued before it has played
  } else {
    leg_->StopPlayback();  // every queued play reports done: pending marks go back
  }
}

bool MediaStream::OnPlayDone(uint64_t id) {
  if (!Owns(id)) return false;
  std::lock_guard<std::mutex> lock(mu_);
  auto mark = marks_.find(id);
  if (mark == marks_.end()) return true;
  if (started_ && !stopping_) SendLocked(writer_.Mark(mark->second));
  marks_.erase(mark);
  return true;
}

void MediaStream::SendLocked(std::string message) {
  if (connection_ != nullptr) {
    connection_->SendText(std::move(message));
  } else if (!finished_) {
    unsent_.push_back(std::move(message));  // opened before Start got the connection
  }
}

void MediaStream::Stop() {
  std::shared_ptr<ws::Connection> connection;
  bool connected = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    if (started_) SendLocked(writer_.Stop());
    stopping_ = true;
    stop_requested_ = true;
    connected = started_;
    connection = connection_;
  }
  leg_->RemoveTap(this);
  if (connected && setup_.bidirectional) leg_->StopPlayback();
  if (connection != nullptr) {
    connection->Close();  // OnClose finishes the stream
  }
}

void MediaStream::OnClose(absl::Status status) {
  bool opened = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    opened = started_;
    stopping_ = true;
    if (stop_requested_) status = absl::OkStatus();  // we ended it: however the close went
  }
  leg_->RemoveTap(this);
  Finish(Coded(status, opened));
}

void MediaStream::Finish(absl::Status why) {
  int64_t seconds = -1;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (finished_) return;
    finished_ = true;
    stopping_ = true;
    ended_at_ = updated_ = absl::Now();
    if (started_) seconds = absl::ToInt64Seconds(*ended_at_ - started_at_ + absl::Milliseconds(500));
    connection_.reset();
  }
  Callback(why.ok() ? "stream-stopped" : "stream-error", why);
  log::Info("media stream ended", {{"call_sid", setup_.call_sid},
                                   {"stream_sid", setup_.stream_sid},
                                   {"error", why.ok() ? std::string() : std::string(why.message())}});
  if (ended_) ended_(setup_.stream_sid, why, seconds);
}

void MediaStream::Callback(const char* event, const absl::Status& error) {
  if (setup_.spec.status_callback.empty() || http_ == nullptr) return;
  AppParams params = {{"AccountSid", setup_.account_sid},
                      {"CallSid", setup_.call_sid},
                      {"StreamSid", setup_.stream_sid},
                      {"StreamName", setup_.spec.name.empty() ? setup_.stream_sid
                                                              : setup_.spec.name},
                      {"StreamEvent", event},
                      {"Timestamp", absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                                                     absl::UTCTimeZone())}};
  if (!error.ok()) params.emplace_back("StreamError", std::string(error.message()));
  http_->SendCallback({.url = setup_.spec.status_callback,
                       .method = setup_.spec.status_callback_method,
                       .params = std::move(params),
                       .auth_token = setup_.auth_token});
}

bool MediaStream::stopped() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stopping_;
}

absl::Time MediaStream::date_updated() const {
  std::lock_guard<std::mutex> lock(mu_);
  return updated_;
}

int64_t MediaStream::seconds() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int64_t>(
      absl::ToInt64Seconds(ended_at_.value_or(absl::Now()) - started_at_));
}

}  // namespace dialtone::call_router
