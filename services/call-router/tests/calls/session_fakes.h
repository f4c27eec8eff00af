// Fakes of everything a CallSession reaches (CallSessionDeps), for unit tests that drive a
// session through SIP events, RTP reports and application answers on the test's thread. Nothing
// here opens a socket: the SIP loop runs what is posted when the test drains it, the clock of its
// timers moves when the test advances it, and stores, media and the application answer at once.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "calls/call_session.h"

namespace dialtone::call_router::testing {

inline constexpr char kSdp[] =
    "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=audio 40000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n";

// The SIP thread: Post and RunAfter queue; Drain and Advance run them, on the test's thread.
class FakeLoop final : public SipLoop {
 public:
  void Post(std::function<void()> fn) override { posted_.push_back(std::move(fn)); }
  void RunAfter(absl::Duration delay, std::function<void()> fn) override {
    timers_.push_back({now_ + delay, seq_++, std::move(fn)});
  }
  void Drain() {
    while (!posted_.empty()) {
      auto fn = std::move(posted_.front());
      posted_.pop_front();
      fn();
    }
  }
  // Moves the timers' clock by `d`, firing what falls due in order (and what they post).
  void Advance(absl::Duration d) {
    const absl::Duration until = now_ + d;
    Drain();
    while (true) {
      auto due = timers_.end();
      for (auto it = timers_.begin(); it != timers_.end(); ++it) {
        if (it->at <= until && (due == timers_.end() || it->at < due->at ||
                                (it->at == due->at && it->seq < due->seq))) {
          due = it;
        }
      }
      if (due == timers_.end()) break;
      now_ = due->at;
      auto fn = std::move(due->fn);
      timers_.erase(due);
      fn();
      Drain();
    }
    now_ = until;
  }

 private:
  struct Timer {
    absl::Duration at;
    uint64_t seq;
    std::function<void()> fn;
  };
  std::deque<std::function<void()>> posted_;
  std::vector<Timer> timers_;
  absl::Duration now_ = absl::ZeroDuration();
  uint64_t seq_ = 0;
};

// Rows as the session writes them; one number routes.
class FakeRecords final : public CallRecords {
 public:
  CallRoute route{.account_sid = "AC00000000000000000000000000000001",
                  .phone_number_sid = "PN00000000000000000000000000000001",
                  .phone_number = "+15005550001",
                  .voice_url = "http://app.test/voice",
                  .auth_token = "12345678901234567890123456789012"};
  std::vector<NewCall> inserted;
  std::vector<std::pair<NewCall, std::string>> dialed;  // with the parent's SID
  std::vector<NewRecording> recordings;
  std::map<std::string, std::string> status;  // by call SID, the last status written

  void Submit(const std::string&, std::function<void()> task) override { task(); }
  absl::StatusOr<CallRoute> Route(const std::string& to) override {
    if (to != route.phone_number) return absl::NotFoundError("no such number");
    return route;
  }
  absl::Status InsertRinging(const NewCall& call) override {
    inserted.push_back(call);
    status[call.sid] = "ringing";
    return absl::OkStatus();
  }
  absl::Status MarkRinging(const std::string& sid) override {
    status[sid] = "ringing";
    return absl::OkStatus();
  }
  absl::Status InsertDialed(const NewCall& call, const std::string& parent) override {
    dialed.emplace_back(call, parent);
    status[call.sid] = "queued";
    return absl::OkStatus();
  }
  absl::Status InsertRecording(const NewRecording& recording) override {
    recordings.push_back(recording);
    return absl::OkStatus();
  }
  absl::Status MarkInProgress(const std::string& sid, absl::Time) override {
    status[sid] = "in-progress";
    return absl::OkStatus();
  }
  absl::Status MarkEnded(const std::string& sid, const std::string& s, absl::Time,
                         std::optional<absl::Time>, int64_t) override {
    status[sid] = s;
    return absl::OkStatus();
  }
};

// The customer's application: TwiML by URL, answered at once; every request kept.
class FakeApp final : public AppClient {
 public:
  std::map<std::string, std::string> documents;  // URL -> TwiML
  std::vector<DocumentRequest> fetches;
  std::vector<CallbackRequest> callbacks;

  void FetchDocument(DocumentRequest request, std::function<void(DocumentResult)> done) override {
    fetches.push_back(request);
    DocumentResult r;
    auto it = documents.find(request.url);
    r.program = it == documents.end() ? absl::StatusOr<Program>(absl::UnavailableError("HTTP 404"))
                                      : ParseTwiml(it->second, "text/xml", request.url);
    r.document_url = request.url;
    done(std::move(r));
  }
  void SendCallback(CallbackRequest request, std::function<void(absl::Status)> done) override {
    callbacks.push_back(request);
    if (done) done(absl::OkStatus());
  }
};

// The media layer: every Say and Play is 100 ms of silence; recordings are stored as given.
class FakeAudioSource final : public AudioSource {
 public:
  std::vector<MediaRequest> fetched;
  std::vector<SharedSamples> stored;

  void Fetch(const std::string&, const std::string&, const MediaRequest& media,
             AudioDone done) override {
    fetched.push_back(media);
    done(std::make_shared<const Samples>(800, 0));
  }
  void StoreRecording(const std::string&, const std::string&, const std::string& recording_sid,
                      SharedSamples audio, bool,
                      std::function<void(absl::StatusOr<media::v1::StoredMedia>)> done) override {
    stored.push_back(audio);
    media::v1::StoredMedia m;
    m.set_media_sid("ME" + recording_sid.substr(2));
    m.set_duration_ms(static_cast<int64_t>(audio->size() / 8));
    m.set_url("http://media.test/" + recording_sid);
    done(m);
  }
};

// One leg's audio: what the session asked of it, and the reports a test sends back.
class FakeAudio final : public CallAudio {
 public:
  explicit FakeAudio(int port) : port_(port) {}
  std::vector<uint64_t> plays;                   // ids of Play and PlayDigits, in order
  std::vector<uint64_t> pending;                 // not yet reported done
  bool inband = false;                           // in-band DTMF detection on
  std::optional<std::pair<int, int>> recording;  // StartRecording(max_ms, silence_ms)
  int stop_playbacks = 0;
  std::shared_ptr<CallAudio> bridged_to;
  bool call_recording = false;

  // Reports to the session (through the SIP loop, as the RTP thread does).
  void Press(char digit) { listener_->OnDigit(digit); }
  void FinishPlays() {
    auto ids = std::move(pending);
    pending.clear();
    for (uint64_t id : ids) listener_->OnPlayDone(id);
  }
  void EndRecording(Samples audio, RecordEnd end) {
    recording.reset();
    listener_->OnRecordDone(std::move(audio), end);
  }

  int port() const override { return port_; }
  void SetRemote(const std::string&, int, int, int) override {}
  void SetListener(std::shared_ptr<RtpListener> listener) override { listener_ = listener; }
  void Play(uint64_t id, SharedSamples, int) override {
    plays.push_back(id);
    pending.push_back(id);
  }
  void PlayDigits(uint64_t id, const std::string&) override {
    plays.push_back(id);
    pending.push_back(id);
  }
  void StopPlayback() override {
    ++stop_playbacks;
    FinishPlays();
  }
  void DetectInbandDigits(bool on) override { inband = on; }
  void StartRecording(int max_ms, int silence_ms) override {
    recording = std::make_pair(max_ms, silence_ms);
  }
  void StopRecording() override {
    if (recording) EndRecording(Samples(8000, 100), RecordEnd::kStopped);
  }
  void StartCallRecording() override { call_recording = true; }
  Samples StopCallRecording() override {
    call_recording = false;
    return Samples(16000, 100);
  }
  void BridgeTo(std::shared_ptr<CallAudio> other) override { bridged_to = std::move(other); }
  void Unbridge() override { bridged_to.reset(); }
  RtpStats stats() override { return {}; }
  std::vector<std::shared_ptr<AudioTap>> taps;  // media streams copying this leg
  void AddTap(std::shared_ptr<AudioTap> tap) override { taps.push_back(std::move(tap)); }
  void RemoveTap(const AudioTap* tap) override {
    std::erase_if(taps, [tap](const std::shared_ptr<AudioTap>& t) { return t.get() == tap; });
  }

 private:
  int port_;
  std::shared_ptr<RtpListener> listener_;
};

class FakePorts final : public CallAudioPorts {
 public:
  std::vector<std::shared_ptr<FakeAudio>> opened;
  int closed = 0;
  absl::StatusOr<std::shared_ptr<CallAudio>> Open() override {
    opened.push_back(std::make_shared<FakeAudio>(40000 + 2 * static_cast<int>(opened.size())));
    return std::shared_ptr<CallAudio>(opened.back());
  }
  void Close(const std::shared_ptr<CallAudio>&) override { ++closed; }
};

// One INVITE transaction: what the session answered; the handler hears the test's events.
class FakeDialog final : public SipDialog {
 public:
  int rings = 0;
  std::string answer_sdp;
  int refused = 0;  // the final status of a refusal
  int cancels = 0;
  int byes = 0;
  std::shared_ptr<SipCallHandler> handler;

  void Ring() override { ++rings; }
  void Answer(const std::string& sdp) override { answer_sdp = sdp; }
  void Refuse(int status, const char*) override { refused = status; }
  void Cancel() override { ++cancels; }
  void Bye() override { ++byes; }
  void SetHandler(std::shared_ptr<SipCallHandler> h) override { handler = std::move(h); }
};

// Outgoing INVITEs (a Dial's legs): each gets a FakeDialog the test drives.
class FakeDialer final : public SipDialer {
 public:
  struct Placed {
    SipOutboundInvite invite;
    std::shared_ptr<SipCallHandler> handler;
    std::unique_ptr<FakeDialog> dialog;
  };
  std::vector<Placed> placed;
  SipDialog* Invite(const SipOutboundInvite& invite,
                    std::shared_ptr<SipCallHandler> handler) override {
    placed.push_back({invite, std::move(handler), std::make_unique<FakeDialog>()});
    return placed.back().dialog.get();
  }
};

// Everything a session needs, wired; `Inbound` starts a call to the routed number.
struct SessionWorld {
  FakeLoop loop;
  FakeRecords records;
  FakeApp app;
  FakeAudioSource media;
  FakePorts ports;
  FakeDialer dialer;
  CallExecutor executor;
  LiveCalls live;
  FakeDialog caller;  // the inbound call's dialog

  CallSessionDeps Deps() {
    return {.loop = &loop,
            .store = &records,
            .http = &app,
            .executor = &executor,
            .live = &live,
            .rtp = &ports,
            .media = &media,
            .media_host = "127.0.0.1",
            .api_base_url = "http://api.test",
            .sip = &dialer,
            .local_sip_host = "127.0.0.1:5060"};
  }

  std::shared_ptr<CallSession> Inbound() { return Inbound(records.route.phone_number); }
  std::shared_ptr<CallSession> Inbound(const std::string& to) {
    auto session = std::make_shared<CallSession>(Deps(), caller,
                                                 SipInvite{.from_user = "+15005550006",
                                                           .from_uri = "sip:+15005550006@127.0.0.1",
                                                           .to_user = to,
                                                           .call_id = "call-1",
                                                           .sdp = kSdp});
    session->Start();
    loop.Drain();
    return session;
  }

  FakeAudio& CallerAudio() { return *ports.opened.at(0); }
  std::string CallSid() const { return records.inserted.at(0).sid; }
};

// The value of parameter `name` in `params`, or "<absent>".
inline std::string Param(const AppParams& params, const std::string& name) {
  for (const auto& [k, v] : params) {
    if (k == name) return v;
  }
  return "<absent>";
}

}  // namespace dialtone::call_router::testing
