// <Dial> on a live call: one outbound-dial leg per Number/Sip noun, rung at once; the first to
// answer is bridged to the caller (RTP both ways, transcoded when the codecs differ), the others
// are canceled. Ring timeout, timeLimit, hangupOnStar, record-from-answer, and DialCallStatus /
// DialCallSid / DialCallDuration back to the executor. Each leg is a live call of its own for
// the Calls API: hung up, canceled, or redirected out of the Dial into a session of its own.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "calls/executor_commands.h"
#include "calls/executor_events.h"
#include "calls/gather_operation.h"
#include "calls/recording_saver.h"
#include "calls/session_deps.h"

namespace dialtone::call_router {

class DialLeg;

// What a Dial reaches of its session, beyond what every verb does. SIP thread only.
class DialContext : public VerbContext {
 public:
  virtual const CallSessionDeps& deps() const = 0;
  // The caller's audio, as the bridge holds it (null once closed).
  virtual std::shared_ptr<CallAudio> SharedAudio() = 0;
  virtual const CallRoute& route() const = 0;
  // The caller's number (the default callerId of the legs).
  virtual std::string CallerId() const = 0;
  // The caller's call has ended (the legs then only end).
  virtual bool ended() const = 0;
  // answerOnBridge: the caller is answered when a leg is, if it was not already.
  virtual void AnswerCaller() = 0;
  virtual void StoreRecording(Samples audio, RecordingSpec spec,
                              std::function<void(const SavedRecording&)> then) = 0;
  // A leg redirected out of its Dial (answered since `start`) becomes a session of its own.
  virtual void StartLegSession(OutboundCall call, SipDialog* dialog,
                               std::shared_ptr<CallAudio> audio, absl::Time start) = 0;
};

// SIP thread only. Owned by the session through a shared_ptr (legs and timers hold weak ones).
// `over` tells the session the Dial no longer runs (it drops it); `done` then brings the result,
// at once or once a recording of the bridge is saved.
class DialOperation : public std::enable_shared_from_this<DialOperation> {
 public:
  DialOperation(DialContext& ctx, DialCommand command, std::function<void()> over,
                std::function<void(DialResult)> done);
  ~DialOperation();

  void Start();
  // hangupOnStar: * ends the bridged leg and the caller's document goes on.
  void OnDigit(char digit);
  bool bridged() const { return bridged_ != nullptr; }
  // Ends the Dial with `status`: the legs hang up, the result goes to `done`.
  void End(DialCallStatus status);
  // Ends the Dial without a result (an API redirect won): what was recorded is kept.
  void Abandon();
  // Hangs up every leg (the call ended by the API, a time limit or an error).
  void HangUpLegs();

  // Reports of the legs (DialLeg).
  void OnLegRinging(DialLeg& leg);
  void OnLegAnswered(DialLeg& leg, const std::string& remote_sdp);
  void OnLegFailed(DialLeg& leg, int sip_status);
  void OnLegBye(DialLeg& leg);
  // An UpdateCall for one leg: a hang-up or cancel ends it (the Dial ends as if the callee had);
  // a redirect takes it out of the Dial into a session of its own.
  void ControlLeg(DialLeg& leg, const CallControl& control);

 private:
  void StartLeg(const DialNoun& noun, const std::string& caller_id);
  void RedirectLeg(DialLeg& leg, const ApiRedirect& redirect);
  // After a leg ended unanswered: once none rings any more, the Dial ends with how they did.
  void OnLegSettled();
  // Ends every leg and the bridge; the Dial is over for the session.
  void TearDown();
  // Hangs the leg up (or cancels it) and writes its end: completed once answered, else
  // `unanswered_end`.
  void EndLeg(DialLeg& leg, CallState unanswered_end);
  RecordingSpec BridgeRecordingSpec() const;

  DialContext& ctx_;
  const DialCommand command_;
  std::function<void()> over_;
  std::function<void(DialResult)> done_;
  std::vector<std::shared_ptr<DialLeg>> legs_;
  std::shared_ptr<DialLeg> bridged_;
  absl::Time bridged_at_;
  bool any_busy_ = false;
  bool any_no_answer_ = false;
  bool recording_ = false;  // record="record-from-answer…": the bridged call is recorded
  bool torn_down_ = false;
};

}  // namespace dialtone::call_router
