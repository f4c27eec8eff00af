// CallSession's audio path: the RTP stream, Say/Play (media from CallMedia), digits and play
// reports routed to the Gather under way (gather_operation.cc), and Record (beep, silence end,
// finishOnKey, storage).
#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "calls/call_session.h"
#include "dialtone/core/sid.h"
#include "dialtone/log/log.h"

namespace dialtone::call_router {
namespace {

constexpr uint64_t kGatherIds = uint64_t{1} << 62;  // prompt play ids: kGatherIds + id + index
constexpr uint64_t kBeepIds = uint64_t{1} << 61;    // the beep before a recording

}  // namespace

// Hands the RTP thread's reports to the SIP thread, to the session if it still exists.
class SessionRtpListener final : public RtpListener {
 public:
  SessionRtpListener(SipLoop* loop, std::weak_ptr<CallSession> session)
      : loop_(loop), session_(std::move(session)) {}
  void OnDigit(char digit) override {
    Post([digit](CallSession& s) { s.OnDigit(digit); });
  }
  void OnPlayDone(uint64_t id) override {
    Post([id](CallSession& s) { s.OnPlayDone(id); });
  }
  void OnRecordDone(Samples audio, RecordEnd end) override {
    auto shared = std::make_shared<Samples>(std::move(audio));
    Post([shared, end](CallSession& s) { s.OnRecorded(std::move(*shared), end); });
  }

 private:
  template <typename Fn>
  void Post(Fn fn) {
    loop_->Post([weak = session_, fn] {
      if (auto session = weak.lock()) fn(*session);
    });
  }
  SipLoop* loop_;
  std::weak_ptr<CallSession> session_;
};

absl::Status CallSession::OpenMedia() {
  if (stream_ != nullptr) return absl::OkStatus();
  if (deps_.rtp == nullptr) return absl::FailedPreconditionError("no RTP engine");
  auto stream = deps_.rtp->Open();
  if (!stream.ok()) return stream.status();
  stream_ = *std::move(stream);
  stream_->SetListener(std::make_shared<SessionRtpListener>(deps_.loop, weak_from_this()));
  if (remote_media_) {
    stream_->SetRemote(remote_media_->address, remote_media_->port, remote_media_->payload_type,
                       remote_media_->dtmf_payload_type);
  }
  return absl::OkStatus();
}

void CallSession::AdoptStream(std::shared_ptr<CallAudio> stream) {
  stream_ = std::move(stream);
  if (stream_ == nullptr) return;
  stream_->SetListener(std::make_shared<SessionRtpListener>(deps_.loop, weak_from_this()));
}

void CallSession::CloseMedia() {
  if (stream_ == nullptr) return;
  const RtpStats stats = stream_->stats();
  log::Info("call media closed",
            {{"call_sid", call_sid_},
             {"rtp_sent", static_cast<long long>(stats.packets_sent)},
             {"rtp_received", static_cast<long long>(stats.packets_received)},
             {"rtp_lost", static_cast<long long>(stats.packets_lost)},
             {"rtp_late", static_cast<long long>(stats.late_frames)},
             {"rtp_foreign_dropped", static_cast<long long>(stats.foreign_packets_dropped)}});
  deps_.rtp->Close(stream_);
  stream_.reset();
}

CallMedia& CallSession::media() {
  if (call_media_ == nullptr) {
    call_media_ = std::make_shared<CallMedia>(deps_.loop, deps_.media,
                                              route_ ? route_->account_sid : "", call_sid_);
  }
  return *call_media_;
}

void CallSession::StartPlay(const PlayCommand& c) {
  if (stream_ == nullptr) return HangUp(absl::InternalError("no media stream"));
  const uint64_t op = c.operation;
  switch (c.media.kind) {
    case MediaKind::kSilence: return stream_->Play(op, SilenceOf(c.media.silence_seconds));
    case MediaKind::kDigits: return stream_->PlayDigits(op, c.media.digits);
    case MediaKind::kSpeech:
    case MediaKind::kAudioUrl: break;
  }
  const int loop = c.media.loop;
  media().With(c.media, [this, op, loop](const AudioSource::AudioResult& audio) {
    auto self = shared_from_this();  // Step may drop the last other owner
    if (finished() || stream_ == nullptr) return;
    // Twilio moves on past media it cannot play (the error is in the log).
    if (!audio.ok()) return Step(PlaybackDone{op});
    stream_->Play(op, *audio, loop);
  });
}

void CallSession::OnPlayDone(uint64_t id) {
  if ((id & (kBeepIds | kGatherIds)) == 0 && (id & kStreamPlayIds)) {
    for (const auto& [sid, stream] : media_streams_) {
      if (stream->OnPlayDone(id)) break;
    }
    return;
  }
  if (id & kBeepIds) {
    if (record_ && !finished()) record_->OnBeepDone(id);
    return;
  }
  if (id & kGatherIds) {
    if (gather_) gather_->OnPlayDone(id);
    return;
  }
  Step(PlaybackDone{id});
}

void CallSession::StartGather(const CollectDigitsCommand& c) {
  if (stream_ == nullptr) return HangUp(absl::InternalError("no media stream"));
  const uint64_t first_play_id = kGatherIds + next_gather_id_;
  next_gather_id_ += c.prompts.size() + 1;
  VerbContext& context = *this;
  gather_ = std::make_shared<GatherOperation>(context, c, first_play_id, [this](DigitsCollected e) {
    auto self = shared_from_this();  // Step may drop the last other owner
    gather_.reset();
    Step(std::move(e));
  });
  gather_->Start();
}

void CallSession::OnDigit(char digit) {
  if (finished()) return;
  log::Debug("digit", {{"call_sid", call_sid_}, {"digit", std::string(1, digit)}});
  for (const auto& [sid, stream] : media_streams_) stream->OnDigit(digit);
  if (dial_) return std::shared_ptr<DialOperation>(dial_)->OnDigit(digit);
  if (record_ && record_->capturing()) return record_->OnDigit(digit);
  if (gather_) gather_->OnDigit(digit);
}

void CallSession::StartRecord(const RecordCommand& c) {
  if (stream_ == nullptr) return HangUp(absl::InternalError("no media stream"));
  VerbContext& context = *this;
  record_ = std::make_shared<RecordOperation>(
      context, c, kBeepIds | c.operation,
      [this](Samples audio, RecordingSpec spec, std::function<void(const SavedRecording&)> then) {
        StoreRecording(std::move(audio), std::move(spec), std::move(then));
      },
      [this](RecordingDone done) {
        record_.reset();
        auto self = std::move(keepalive_);  // the session may go after this
        Step(std::move(done));
      });
  keepalive_ = shared_from_this();  // until the recording is stored, even if the call ends
  record_->Start();
}

void CallSession::StopRecord() {
  if (record_ == nullptr || record_->StopCapture()) return;
  // Stopped during the beep: nothing was recorded and no result comes. The keep-alive goes on
  // the SIP loop, so that the session does not end inside its own call stack.
  record_.reset();
  deps_.loop->Post([self = std::move(keepalive_)] {});
}

void CallSession::OnRecorded(Samples audio, RecordEnd end) {
  if (record_) record_->OnRecorded(std::move(audio), end);
}

void CallSession::StoreRecording(Samples audio, RecordingSpec spec,
                                 std::function<void(const SavedRecording&)> then) {
  SaveRecording(
      {.loop = deps_.loop,
       .media = deps_.media,
       .store = deps_.store,
       .http = deps_.http,
       .api_base_url = deps_.api_base_url,
       .publish_usage = deps_.publish_usage},
      {.account_sid = route_->account_sid, .call_sid = call_sid_, .auth_token = route_->auth_token},
      std::move(audio), std::move(spec),
      [self = shared_from_this(), then](const SavedRecording& saved) { then(saved); });
}

}  // namespace dialtone::call_router
