// One inbound call on the SIP thread: routing, the Call resource, and the TwiML program.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "calls/app_http_client.h"
#include "calls/call_executor.h"
#include "calls/call_state.h"
#include "calls/call_store.h"
#include "calls/call_usage.h"
#include "calls/voice_request.h"
#include "media/media_client.h"
#include "media/rtp_engine.h"
#include "media/sdp.h"
#include "sip/sip_stack.h"

namespace dialtone::call_router {

class CallSession;
class DialLeg;

// Sends one call's status callbacks one after another, so the application gets them in order;
// it outlives the session when the last ones are still on their way. Thread-safe.
class CallbackChain : public std::enable_shared_from_this<CallbackChain> {
 public:
  explicit CallbackChain(AppHttpClient* http) : http_(http) {}
  void Send(AppHttpClient::CallbackRequest request);

 private:
  void Go(AppHttpClient::CallbackRequest request);
  void Next();

  AppHttpClient* http_;
  std::mutex mu_;
  std::deque<AppHttpClient::CallbackRequest> queue_ ABSL_GUARDED_BY(mu_);
  bool busy_ ABSL_GUARDED_BY(mu_) = false;
};

struct CallControl;

// A call the Calls API can reach: a CallSession (inbound, outbound-api, or a Dial leg that was
// redirected out of its Dial) or a leg a <Dial> is ringing or has bridged. SIP thread only.
class LiveCall {
 public:
  virtual ~LiveCall() = default;
  // An UpdateCall: redirect, hang up, cancel, or new status callbacks.
  virtual void Control(const CallControl& control) = 0;
};

// The calls this process is running, by SID, for the Calls API to reach: every inbound,
// outbound-api and outbound-dial call from its first SIP message until it ends. Thread-safe.
class LiveCalls {
 public:
  // Adds or replaces the call's entry (a Dial leg redirected out of its Dial changes hands).
  void Add(const std::string& call_sid, std::weak_ptr<LiveCall> call);
  // Removes the entry if `owner` still holds it.
  void Remove(const std::string& call_sid, const LiveCall* owner);
  // Null when the call is not live here.
  std::shared_ptr<LiveCall> Find(const std::string& call_sid);

 private:
  struct Entry {
    std::weak_ptr<LiveCall> call;
    const LiveCall* owner = nullptr;
  };
  std::mutex mu_;
  std::map<std::string, Entry> calls_ ABSL_GUARDED_BY(mu_);
};

// A call the Calls API placed: its row exists (queued) when the session starts. Also a Dial leg
// redirected out of its Dial (`parent_call_sid` set): answered already, it runs `document` or
// `route.voice_url`.
struct OutboundCall {
  std::string call_sid;
  std::string parent_call_sid;
  std::string from;  // as the API got them: "+15557650000", "sip:alice@example.com"
  std::string to;
  // What runs when the callee answers: the voice settings and the token that signs requests.
  CallRoute route;
  std::shared_ptr<const Program> document;  // inline TwiML instead of route.voice_url
  std::vector<CallEvent> events;            // StatusCallbackEvent
  SipOutboundInvite invite;
  int timeout_seconds = 60;
  int time_limit_seconds = 14400;
  // Record=true: the whole call, both directions, becomes a Recording (source OutboundAPI).
  bool record = false;
  StatusCallback recording_status_callback;
};

// An UpdateCall for a live call: a redirect, an end, or new callbacks.
struct CallControl {
  std::optional<ApiRedirect> redirect;
  // kCanceled (a call not yet answered) or kCompleted (any call); empty to leave the call up.
  std::optional<CallState> end;
  std::optional<std::string> status_callback;
  std::optional<HttpMethod> status_callback_method;
};

// What every session shares; owned by the composition root.
struct CallSessionDeps {
  SipLoop* loop = nullptr;
  CallStore* store = nullptr;
  AppHttpClient* http = nullptr;
  const CallExecutor* executor = nullptr;
  LiveCalls* live = nullptr;
  RtpEngine* rtp = nullptr;
  MediaClient* media = nullptr;
  std::string media_host;    // the address in our SDP
  std::string api_base_url;  // "http://127.0.0.1:8080": RecordingUrl is built on it
  SipStack* sip = nullptr;   // <Dial> places its legs through it
  std::string trunk;         // for <Number> legs; empty: only <Sip> can be dialled
  std::string trunk_username;
  std::string trunk_password;
  std::string local_sip_host;  // "192.0.2.1:5060", completes From URIs
  // Publishes a usage event when an answered call ends (may be empty: no metering).
  std::function<void(const CallUsage&, const std::string& account_sid)> publish_usage;
};

// Drives one call. Incoming: looks the To number up (404 when unknown), creates the Call row
// (ringing, inbound), rings while the document is fetched. Outgoing (the Calls API): INVITEs the
// callee, cancels it after the ring timeout (no-answer), ends busy/failed on a refusal, and runs
// the document once answered. Both run the CallExecutor and act on its commands (answer, Pause
// timers, Reject 486/603, Hangup, Redirect fetches), keep the row's status and times current,
// send status callbacks, and take redirects and hang-ups from the API (Control). Say, Play,
// Gather and Record run on the call's RTP stream (media from the media layer, prefetched when a
// document arrives); Dial rings its Number and Sip nouns at once and bridges the first to
// answer. Runs on the SIP thread; results of the store and the HTTP client come back through
// SipLoop::Post and find the session through a weak pointer.
//
//   auto s = std::make_shared<CallSession>(deps, dialog, invite);
//   s->Start();
//   auto o = std::make_shared<CallSession>(deps, outbound_call);
//   o->StartOutbound(sip);
class CallSession final : public SipCallHandler,
                          public LiveCall,
                          public std::enable_shared_from_this<CallSession> {
 public:
  CallSession(CallSessionDeps deps, SipDialog& dialog, SipInvite invite);
  CallSession(CallSessionDeps deps, OutboundCall call);
  ~CallSession() override;

  void Start();
  void StartOutbound(SipStack& sip);
  // An UpdateCall from the API.
  void Control(const CallControl& control) override;

  void OnCallerBye() override;
  void OnCancel() override;
  void OnRinging() override;
  void OnAnswered(const std::string& remote_sdp) override;
  void OnFailed(int status) override;
  void OnTerminated() override;

 private:
  void OnRouted(absl::StatusOr<CallRoute> route);
  // A Dial leg redirected out of its Dial: this session takes its dialog and stream, answered
  // since `start`, and runs the redirect (call_session_dial.cc).
  void TakeOverLeg(SipDialog* dialog, std::shared_ptr<RtpStream> stream, absl::Time start);
  // An API redirect: what the document was doing stops (prompts, Gather, Record, the Dial's
  // legs) before the new one runs.
  void StopCurrentVerb();
  void Step(ExecutorEvent event);
  void Execute(const ExecutorCommand& command);
  void Fetch(const FetchDocumentCommand& command);
  void Answer();
  void Refuse(int sip_status, const char* phrase, CallState end);
  void HangUp(const absl::Status& error);

  // The audio path (call_session_audio.cc).
  friend class SessionRtpListener;
  absl::Status OpenMedia();
  // Takes a stream opened for someone else (a Dial leg); its reports come here from now on.
  void AdoptStream(std::shared_ptr<RtpStream> stream);
  void CloseMedia();
  void Prefetch(const Program& program);
  using MediaThen = std::function<void(const MediaClient::AudioResult&)>;
  void WithMedia(const MediaRequest& media, MediaThen then);
  void StartPlay(const PlayCommand& command);
  void StartGather(const CollectDigitsCommand& command);
  void QueuePrompt(size_t index);
  void ArmGatherTimer();
  void EndGather(GatherEnd end);
  void StartRecord(const RecordCommand& command);
  void OnRecorded(Samples audio, RecordEnd end);
  void SaveRecording(Samples audio);
  // Stores audio as a Recording (row, status callback, usage), then calls `then` on the SIP
  // thread with what was saved (empty sid when nothing was).
  struct RecordingSpec {
    bool trim = true;
    StatusCallback status_callback;
    std::string source;  // RecordVerb | OutboundAPI
    absl::Time started;
  };
  struct SavedRecording {
    std::string sid;
    int64_t seconds = 0;
    std::string url;
  };
  using RecordingSaved = std::function<void(CallSession&, const SavedRecording&)>;
  void StoreRecording(Samples audio, RecordingSpec spec, RecordingSaved then);
  void OnRecordingStored(const absl::StatusOr<media::v1::StoredMedia>& stored,
                         const RecordingSpec& spec, const std::string& recording_sid,
                         const RecordingSaved& then);
  void OnRecordingWritten(const absl::Status& written, const RecordingSpec& spec,
                          const SavedRecording& saved, const RecordingSaved& then);
  void OnDigit(char digit);
  void OnPlayDone(uint64_t id);

  // <Dial> (call_session_dial.cc): legs rung at once, the first to answer is bridged.
  friend class DialLeg;
  void StartDial(const DialCommand& command);
  void OnLegRinging(DialLeg& leg);
  void OnLegAnswered(DialLeg& leg, const std::string& remote_sdp);
  void OnLegFailed(DialLeg& leg, int sip_status);
  void OnLegBye(DialLeg& leg);
  // An UpdateCall for one of the Dial's legs: a hang-up or cancel ends it (the Dial ends as if
  // the callee had); a redirect takes it out of the Dial into a session of its own.
  void ControlLeg(DialLeg& leg, const CallControl& control);
  void RedirectLeg(DialLeg& leg, const ApiRedirect& redirect);
  // After a leg ended unanswered: once none rings any more, the Dial ends with how they did.
  void OnLegSettled();
  void EndDial(DialCallStatus status);
  // Ends every leg and the bridge; the Dial's state, for its result.
  struct DialState;
  DialState TearDownDial();
  // Hangs the leg up (or cancels it) and writes its end: completed once answered, else
  // `unanswered_end`.
  void EndLeg(DialLeg& leg, CallState unanswered_end);
  // Final status: updates the row and sends the status callback, once.
  void Finish(CallState end);
  void Notify(CallEvent event);
  // The INVITE was ours (the Calls API, or a Dial leg taken over).
  bool outbound() const { return outbound_.has_value(); }
  bool answered() const { return start_time_.has_value(); }
  bool finished() const { return IsFinal(call_state_); }
  void WriteEnd();
  CallFacts Facts() const;
  // Posts `fn(session)` to the SIP thread; dropped if the session is gone by then.
  template <typename Fn>
  auto OnSipThread(Fn fn);

  CallSessionDeps deps_;
  SipDialog* dialog_;  // null once the dialog terminated
  SipInvite invite_;
  std::optional<OutboundCall> outbound_;
  std::string call_sid_;
  std::optional<CallRoute> route_;
  std::optional<StatusCallbackSequencer> callbacks_;
  std::shared_ptr<CallbackChain> callback_chain_;
  ExecutionState state_;
  bool first_fetch_ = true;
  CallState call_state_ = CallState::kRinging;
  // An UpdateCall that came while the inbound call's number was still being looked up.
  std::optional<CallControl> early_control_;
  std::optional<absl::Time> start_time_;  // set when answered
  std::optional<absl::Time> end_time_;
  std::optional<int64_t> duration_;

  // Audio.
  std::shared_ptr<RtpStream> stream_;
  std::optional<RemoteMedia> remote_media_;
  struct PendingMedia {
    bool ready = false;
    MediaClient::AudioResult result = absl::UnavailableError("pending");
    std::vector<MediaThen> waiters;
  };
  std::map<std::string, PendingMedia> media_;  // by MediaClient::KeyOf
  struct GatherState {
    uint64_t operation = 0;
    uint64_t id = 0;  // play ids of its prompts: id + index
    CollectDigitsCommand command;
    std::string digits;
    bool prompts_done = false;
    uint64_t timer = 0;  // the armed timeout; earlier ones are stale
  };
  std::optional<GatherState> gather_;
  uint64_t next_gather_id_ = 1;
  struct RecordState {
    uint64_t operation = 0;
    Record options;
    std::string finished_on_key;
    bool capturing = false;
    absl::Time started;
  };
  std::optional<RecordState> record_;
  std::optional<absl::Time> call_recording_started_;  // Record=true on an outbound call
  struct DialState {
    uint64_t operation = 0;
    Dial options;
    std::vector<std::shared_ptr<DialLeg>> legs;
    std::shared_ptr<DialLeg> bridged;
    absl::Time bridged_at;
    bool any_busy = false;
    bool any_no_answer = false;
    bool recording = false;   // record="record-from-answer…": the bridged call is recorded
    uint64_t generation = 0;  // timers of an earlier Dial are stale
  };
  std::optional<DialState> dial_;
  uint64_t next_dial_generation_ = 1;
  // Holds the session while a recording is saved after the call ended.
  std::shared_ptr<CallSession> keepalive_;
};

template <typename Fn>
auto CallSession::OnSipThread(Fn fn) {
  return [loop = deps_.loop, weak = weak_from_this(), fn = std::move(fn)](auto... args) {
    loop->Post([weak, fn, args...]() mutable {
      if (auto self = weak.lock()) fn(*self, std::move(args)...);
    });
  };
}

}  // namespace dialtone::call_router
