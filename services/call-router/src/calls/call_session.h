// One call on the SIP thread (inbound, placed by the Calls API, or a Dial leg taken out of its
// Dial): routing, the Call resource, and the TwiML program.
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
#include "calls/call_media.h"
#include "calls/call_state.h"
#include "calls/call_store.h"
#include "calls/call_usage.h"
#include "calls/dial_operation.h"
#include "calls/media_stream.h"
#include "calls/gather_operation.h"
#include "calls/record_operation.h"
#include "calls/recording_saver.h"
#include "calls/session_deps.h"
#include "calls/voice_request.h"
#include "media/call_audio.h"
#include "media/media_client.h"
#include "media/sdp.h"
#include "sip/sip_stack.h"

namespace dialtone::call_router {

class CallSession;

// Sends one call's status callbacks one after another, so the application gets them in order;
// it outlives the session when the last ones are still on their way. Thread-safe.
class CallbackChain : public std::enable_shared_from_this<CallbackChain> {
 public:
  explicit CallbackChain(AppClient* http) : http_(http) {}
  void Send(AppClient::CallbackRequest request);

 private:
  void Go(AppClient::CallbackRequest request);
  void Next();

  AppClient* http_;
  std::mutex mu_;
  std::deque<AppClient::CallbackRequest> queue_ ABSL_GUARDED_BY(mu_);
  bool busy_ ABSL_GUARDED_BY(mu_) = false;
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
                          private DialContext,
                          public std::enable_shared_from_this<CallSession> {
 public:
  CallSession(CallSessionDeps deps, SipDialog& dialog, SipInvite invite);
  CallSession(CallSessionDeps deps, OutboundCall call);
  ~CallSession() override;

  void Start();
  void StartOutbound(SipDialer& sip);
  // An UpdateCall from the API.
  void Control(const CallControl& control) override;

  void OnCallerBye() override;
  void OnCancel() override;
  void OnRinging() override;
  void OnAnswered(const std::string& remote_sdp) override;
  void OnFailed(int status) override;
  void OnTerminated() override;
  // The Streams API (call_session_streams.cc).
  absl::StatusOr<StreamInfo> StartStream(const twiml::StreamNoun& stream) override;
  absl::StatusOr<StreamInfo> StopStream(const std::string& sid_or_name) override;

 private:
  void OnRouted(absl::StatusOr<CallRoute> route);
  // A Dial leg redirected out of its Dial: this session takes its dialog and stream, answered
  // since `start`, and runs the redirect (call_session_dial.cc).
  void TakeOverLeg(SipDialog* dialog, std::shared_ptr<CallAudio> stream, absl::Time start);
  // An API redirect: what the document was doing stops (prompts, Gather, Record, the Dial's
  // legs) before the new one runs.
  void StopCurrentVerb();
  void Step(ExecutorEvent event);
  void Execute(const ExecutorCommand& command);
  void Fetch(const FetchDocumentCommand& command);
  void Answer();
  void Refuse(int sip_status, const char* phrase, CallState end);
  // Hangs up the call `seconds` from now unless it has ended.
  void ArmTimeLimit(int seconds);
  void HangUp(const absl::Status& error);

  // The audio path (call_session_audio.cc).
  friend class SessionRtpListener;
  absl::Status OpenMedia();
  // Takes a stream opened for someone else (a Dial leg); its reports come here from now on.
  void AdoptStream(std::shared_ptr<CallAudio> stream);
  void CloseMedia();
  // DialContext (and VerbContext): what Gather, Record and Dial reach of the call.
  const std::string& call_sid() const override { return call_sid_; }
  CallAudio* audio() override { return stream_.get(); }
  CallMedia& media() override;
  SipLoop& loop() override { return *deps_.loop; }
  const CallSessionDeps& deps() const override { return deps_; }
  std::shared_ptr<CallAudio> SharedAudio() override { return stream_; }
  const CallRoute& route() const override { return *route_; }
  std::string CallerId() const override { return Facts().from; }
  bool ended() const override { return finished(); }
  void AnswerCaller() override {
    if (!answered()) Answer();
  }
  // Stores audio as a Recording (recording_saver.cc), then calls `then` on the SIP thread with
  // what was saved (empty sid when nothing was); the session lives until then.
  void StoreRecording(Samples audio, RecordingSpec spec,
                      std::function<void(const SavedRecording&)> then) override;
  void StartLegSession(OutboundCall call, SipDialog* dialog, std::shared_ptr<CallAudio> audio,
                       absl::Time start) override;
  void StartPlay(const PlayCommand& command);
  void StartGather(const CollectDigitsCommand& command);
  void StartRecord(const RecordCommand& command);
  void OnRecorded(Samples audio, RecordEnd end);
  // Ends a Record's capture (what was said is kept), or drops a Record still at its beep.
  void StopRecord();
  void OnDigit(char digit);
  void OnPlayDone(uint64_t id);

  // Media streams (call_session_streams.cc): <Connect><Stream>, <Start><Stream>, <Stop><Stream>.
  absl::StatusOr<StreamInfo> OpenMediaStream(const StreamNoun& spec, bool bidirectional);
  void ConnectStream(const ConnectStreamCommand& command);
  void StopMediaStreams(const std::string& name, bool forked_only);
  void OnMediaStreamEnded(const std::string& stream_sid);
  StreamInfo InfoOf(const MediaStream& stream) const;

  // <Dial> (dial_operation.cc): legs rung at once, the first to answer is bridged.
  void StartDial(const DialCommand& command);
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
  std::shared_ptr<CallAudio> stream_;
  std::optional<RemoteMedia> remote_media_;
  std::shared_ptr<CallMedia> call_media_;  // made by media() once the account is known
  std::shared_ptr<GatherOperation> gather_;
  uint64_t next_gather_id_ = 1;  // play ids of a Gather's prompts: kGatherIds + id + index
  std::shared_ptr<RecordOperation> record_;
  std::optional<absl::Time> call_recording_started_;  // Record=true on an outbound call
  std::shared_ptr<DialOperation> dial_;
  std::map<std::string, std::shared_ptr<MediaStream>> media_streams_;  // live ones, by SID
  uint64_t next_media_stream_ = 0;  // play ids: kStreamPlayIds + n * kPlayIdSpan
  // The <Connect><Stream> under way: the executor's operation and the stream's SID.
  std::optional<std::pair<uint64_t, std::string>> connected_stream_;
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
