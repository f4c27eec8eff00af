// CallSession's audio path: the RTP stream, Say/Play (prefetched media), Gather (RFC 4733 and
// in-band digits, barge-in, timeouts) and Record (beep, silence end, finishOnKey, storage).
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

SharedSamples Beep() {
  static const SharedSamples beep = [] {
    auto s = std::make_shared<Samples>(4000);  // half a second of 1 kHz
    for (size_t i = 0; i < s->size(); ++i) {
      (*s)[i] = static_cast<int16_t>(6000 * std::sin(2 * M_PI * 1000 * i / 8000.0));
    }
    return s;
  }();
  return beep;
}

SharedSamples Silence(int seconds) {
  return std::make_shared<Samples>(static_cast<size_t>(seconds) * 8000, 0);
}

MediaRequest RequestOf(const GatherPrompt& prompt) {
  MediaRequest m;
  if (const auto* say = std::get_if<Say>(&prompt)) {
    m = {.kind = MediaKind::kSpeech,
         .text = say->text,
         .voice = say->voice,
         .language = say->language,
         .loop = say->loop};
  } else if (const auto* play = std::get_if<Play>(&prompt)) {
    m = play->digits.empty()
            ? MediaRequest{.kind = MediaKind::kAudioUrl, .url = play->url, .loop = play->loop}
            : MediaRequest{.kind = MediaKind::kDigits, .digits = play->digits};
  } else if (const auto* pause = std::get_if<Pause>(&prompt)) {
    m = {.kind = MediaKind::kSilence, .silence_seconds = pause->length};
  }
  return m;
}

bool NeedsMediaLayer(const MediaRequest& m) {
  return m.kind == MediaKind::kSpeech || m.kind == MediaKind::kAudioUrl;
}

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

void CallSession::AdoptStream(std::shared_ptr<RtpStream> stream) {
  stream_ = std::move(stream);
  if (stream_ == nullptr) return;
  stream_->SetListener(std::make_shared<SessionRtpListener>(deps_.loop, weak_from_this()));
}

void CallSession::CloseMedia() {
  if (stream_ == nullptr) return;
  const RtpStats stats = stream_->stats();
  log::Info("call media closed", {{"call_sid", call_sid_},
                                  {"rtp_sent", static_cast<long long>(stats.packets_sent)},
                                  {"rtp_received", static_cast<long long>(stats.packets_received)},
                                  {"rtp_lost", static_cast<long long>(stats.packets_lost)},
                                  {"rtp_late", static_cast<long long>(stats.late_frames)}});
  deps_.rtp->Close(stream_);
  stream_.reset();
}

void CallSession::Prefetch(const Program& program) {
  if (deps_.media == nullptr) return;
  auto want = [this](const MediaRequest& m) {
    if (NeedsMediaLayer(m)) WithMedia(m, [](const MediaClient::AudioResult&) {});
  };
  for (const Verb& verb : program.verbs) {
    if (const auto* gather = std::get_if<Gather>(&verb)) {
      for (const GatherPrompt& p : gather->prompts) want(RequestOf(p));
    } else if (std::holds_alternative<Say>(verb)) {
      want(RequestOf(std::get<Say>(verb)));
    } else if (std::holds_alternative<Play>(verb)) {
      want(RequestOf(std::get<Play>(verb)));
    }
  }
}

void CallSession::WithMedia(const MediaRequest& media, MediaThen then) {
  const std::string key = MediaClient::KeyOf(route_->account_sid, media);
  PendingMedia& pending = media_[key];
  if (pending.ready) return then(pending.result);
  pending.waiters.push_back(std::move(then));
  if (pending.waiters.size() > 1) return;
  auto done = OnSipThread([key](CallSession& s, std::shared_ptr<MediaClient::AudioResult> r) {
    PendingMedia& p = s.media_[key];
    p.ready = true;
    p.result = std::move(*r);
    if (!p.result.ok()) {
      log::Warn("media for the call could not be had",
                {{"call_sid", s.call_sid_}, {"error", p.result.status()}});
    }
    std::vector<MediaThen> waiters;
    waiters.swap(p.waiters);
    for (auto& w : waiters) w(p.result);
  });
  deps_.media->Fetch(route_->account_sid, call_sid_, media, [done](MediaClient::AudioResult r) {
    done(std::make_shared<MediaClient::AudioResult>(std::move(r)));
  });
}

void CallSession::StartPlay(const PlayCommand& c) {
  if (stream_ == nullptr) return HangUp(absl::InternalError("no media stream"));
  const uint64_t op = c.operation;
  switch (c.media.kind) {
    case MediaKind::kSilence: return stream_->Play(op, Silence(c.media.silence_seconds));
    case MediaKind::kDigits: return stream_->PlayDigits(op, c.media.digits);
    case MediaKind::kSpeech:
    case MediaKind::kAudioUrl: break;
  }
  const int loop = c.media.loop;
  WithMedia(c.media, [this, op, loop](const MediaClient::AudioResult& audio) {
    if (finished() || stream_ == nullptr) return;
    // Twilio moves on past media it cannot play (the error is in the log).
    if (!audio.ok()) return Step(PlaybackDone{op});
    stream_->Play(op, *audio, loop);
  });
}

void CallSession::OnPlayDone(uint64_t id) {
  if (id & kBeepIds) {
    if (record_ && record_->operation == (id & ~kBeepIds) && !finished() && stream_ != nullptr) {
      record_->capturing = true;
      record_->started = absl::Now();
      const Record& r = record_->options;
      stream_->StartRecording(r.max_length * 1000, r.timeout * 1000);
    }
    return;
  }
  if (id & kGatherIds) {
    if (!gather_ || gather_->prompts_done) return;
    const uint64_t index = id - kGatherIds - gather_->id;
    if (index + 1 == gather_->command.prompts.size()) {
      gather_->prompts_done = true;
      ArmGatherTimer();
    }
    return;
  }
  Step(PlaybackDone{id});
}

void CallSession::StartGather(const CollectDigitsCommand& c) {
  if (stream_ == nullptr) return HangUp(absl::InternalError("no media stream"));
  gather_ = GatherState{.operation = c.operation, .id = next_gather_id_, .command = c};
  next_gather_id_ += c.prompts.size() + 1;
  stream_->DetectInbandDigits(true);
  if (c.prompts.empty()) {
    gather_->prompts_done = true;
    return ArmGatherTimer();
  }
  QueuePrompt(0);
}

void CallSession::QueuePrompt(size_t index) {
  if (!gather_ || gather_->prompts_done || index >= gather_->command.prompts.size()) return;
  const MediaRequest& m = gather_->command.prompts[index];
  const uint64_t id = kGatherIds + gather_->id + index;
  const uint64_t gather_id = gather_->id;
  if (!NeedsMediaLayer(m)) {
    if (m.kind == MediaKind::kDigits)
      stream_->PlayDigits(id, m.digits);
    else
      stream_->Play(id, Silence(m.silence_seconds));
    return QueuePrompt(index + 1);
  }
  // Prompts go out in order: the next one is queued once this one's audio is in hand.
  WithMedia(m, [this, id, index, gather_id, loop = m.loop](const MediaClient::AudioResult& audio) {
    if (!gather_ || gather_->id != gather_id || gather_->prompts_done || stream_ == nullptr) return;
    stream_->Play(id, audio.ok() ? *audio : std::make_shared<Samples>(), loop);
    QueuePrompt(index + 1);
  });
}

void CallSession::ArmGatherTimer() {
  if (!gather_) return;
  const uint64_t timer = ++gather_->timer;
  const uint64_t gather_id = gather_->id;
  auto fire = OnSipThread([timer, gather_id](CallSession& s) {
    if (s.gather_ && s.gather_->id == gather_id && s.gather_->timer == timer) {
      s.EndGather(GatherEnd::kTimeout);
    }
  });
  deps_.loop->RunAfter(absl::Seconds(gather_->command.timeout_seconds), [fire] { fire(); });
}

void CallSession::EndGather(GatherEnd end) {
  GatherState g = *std::move(gather_);
  gather_.reset();
  if (stream_ != nullptr) {
    stream_->DetectInbandDigits(false);
    if (!g.prompts_done) stream_->StopPlayback();
  }
  DigitsCollected event;
  event.operation = g.operation;
  event.digits = g.digits;
  event.end = end;
  Step(std::move(event));
}

void CallSession::OnDigit(char digit) {
  if (finished()) return;
  log::Debug("digit", {{"call_sid", call_sid_}, {"digit", std::string(1, digit)}});
  if (dial_) {  // hangupOnStar: * ends the bridged leg and the caller's document goes on
    if (digit == '*' && dial_->bridged != nullptr && dial_->options.hangup_on_star) {
      EndDial(DialCallStatus::kCompleted);
    }
    return;
  }
  if (record_ && record_->capturing) {
    if (absl::StrContains(record_->options.finish_on_key, digit)) {
      record_->finished_on_key = std::string(1, digit);
      stream_->StopRecording();
    }
    return;
  }
  if (!gather_) return;
  GatherState& g = *gather_;
  if (!g.prompts_done && g.command.barge_in) {  // a key stops the prompts
    g.prompts_done = true;
    stream_->StopPlayback();
  }
  if (!g.command.finish_on_key.empty() && g.command.finish_on_key[0] == digit) {
    return EndGather(GatherEnd::kFinishOnKey);
  }
  g.digits += digit;
  if (g.command.num_digits && static_cast<int>(g.digits.size()) >= *g.command.num_digits) {
    return EndGather(GatherEnd::kNumDigits);
  }
  if (g.prompts_done) ArmGatherTimer();  // the timeout runs again from each key
}

void CallSession::StartRecord(const RecordCommand& c) {
  if (stream_ == nullptr) return HangUp(absl::InternalError("no media stream"));
  record_ = RecordState{.operation = c.operation, .options = c.options};
  keepalive_ = shared_from_this();  // until the recording is stored, even if the call ends
  stream_->DetectInbandDigits(true);
  if (c.options.play_beep) {
    stream_->Play(kBeepIds | c.operation, Beep());
  } else {
    OnPlayDone(kBeepIds | c.operation);
  }
}

void CallSession::OnRecorded(Samples audio, RecordEnd end) {
  if (!record_ || !record_->capturing) return;
  record_->capturing = false;
  if (stream_ != nullptr) stream_->DetectInbandDigits(false);
  log::Info("recording captured", {{"call_sid", call_sid_},
                                   {"samples", static_cast<long long>(audio.size())},
                                   {"end", end == RecordEnd::kSilence     ? "silence"
                                           : end == RecordEnd::kMaxLength ? "max-length"
                                                                          : "stopped"}});
  SaveRecording(std::move(audio));
}

void CallSession::SaveRecording(Samples audio) {
  const RecordState rec = *record_;
  StoreRecording(std::move(audio),
                 {.trim = rec.options.trim != "do-not-trim",
                  .status_callback = rec.options.recording_status_callback,
                  .source = "RecordVerb",
                  .started = rec.started},
                 [rec](CallSession& s, const SavedRecording& saved) {
                   s.record_.reset();
                   auto self = std::move(s.keepalive_);  // the session may go after this
                   s.Step(RecordingDone{.operation = rec.operation,
                                        .url = saved.url,
                                        .sid = saved.sid,
                                        .duration_seconds = static_cast<int>(saved.seconds),
                                        .finished_on_key = rec.finished_on_key});
                 });
}

void CallSession::StoreRecording(Samples audio, RecordingSpec spec, RecordingSaved then) {
  if (audio.empty() || deps_.media == nullptr) return then(*this, SavedRecording{});
  const std::string recording_sid = core::NewSid(core::kRecordingPrefix);
  // Each step comes back on the SIP thread holding the session, so the recording is stored and
  // announced even after the call ended.
  deps_.media->StoreRecording(
      route_->account_sid, call_sid_, recording_sid,
      std::make_shared<const Samples>(std::move(audio)), spec.trim,
      [loop = deps_.loop, self = shared_from_this(), spec, recording_sid,
       then](absl::StatusOr<media::v1::StoredMedia> stored) {
        loop->Post([self, stored = std::move(stored), spec, recording_sid, then] {
          self->OnRecordingStored(stored, spec, recording_sid, then);
        });
      });
}

void CallSession::OnRecordingStored(const absl::StatusOr<media::v1::StoredMedia>& stored,
                                    const RecordingSpec& spec, const std::string& recording_sid,
                                    const RecordingSaved& then) {
  if (!stored.ok()) {
    log::Error("recording could not be stored",
               {{"call_sid", call_sid_}, {"error", stored.status()}});
    return then(*this, SavedRecording{});
  }
  if (stored->duration_ms() <= 0) return then(*this, SavedRecording{});
  SavedRecording saved{.sid = recording_sid,
                       .seconds = (stored->duration_ms() + 500) / 1000,
                       .url = absl::StrCat(deps_.api_base_url, "/2010-04-01/Accounts/",
                                           route_->account_sid, "/Recordings/", recording_sid)};
  NewRecording row{.sid = recording_sid,
                   .account_sid = route_->account_sid,
                   .call_sid = call_sid_,
                   .duration_seconds = saved.seconds,
                   .media_sid = stored->media_sid(),
                   .media_url = stored->url(),
                   .source = spec.source,
                   .start_time = spec.started};
  CallStore* store = deps_.store;
  store->Submit(call_sid_,
                [store, row, loop = deps_.loop, self = shared_from_this(), spec, saved, then] {
                  absl::Status written = store->InsertRecording(row);
                  loop->Post([self, written, spec, saved, then] {
                    self->OnRecordingWritten(written, spec, saved, then);
                  });
                });
}

void CallSession::OnRecordingWritten(const absl::Status& written, const RecordingSpec& spec,
                                     const SavedRecording& saved, const RecordingSaved& then) {
  if (!written.ok()) {
    log::Error("recording row not written", {{"call_sid", call_sid_}, {"error", written}});
  }
  if (deps_.publish_usage) {
    deps_.publish_usage(CallUsage{.event_id = saved.sid + ":recording",
                                  .category = "recordings",
                                  .count = 1,
                                  .minutes = (saved.seconds + 59) / 60},
                        route_->account_sid);
  }
  if (!spec.status_callback.url.empty()) {
    deps_.http->SendCallback({.url = spec.status_callback.url,
                              .method = spec.status_callback.method,
                              .params = {{"AccountSid", route_->account_sid},
                                         {"CallSid", call_sid_},
                                         {"RecordingSid", saved.sid},
                                         {"RecordingUrl", saved.url},
                                         {"RecordingStatus", "completed"},
                                         {"RecordingDuration", absl::StrCat(saved.seconds)},
                                         {"RecordingChannels", "1"},
                                         {"RecordingSource", spec.source}},
                              .auth_token = route_->auth_token});
  }
  then(*this, saved);
}

}  // namespace dialtone::call_router
