// One inbound call on the SIP thread: routing, the Call resource, and the TwiML program.
#pragma once

#include <functional>

#include "domain/call_usage.h"

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "adapters/app_http_client.h"
#include "adapters/call_store.h"
#include "adapters/sip_stack.h"
#include "domain/call_executor.h"
#include "domain/voice_request.h"

namespace dialtone::call_router {

// What every session shares; owned by the composition root.
struct CallSessionDeps {
  SipLoop* loop = nullptr;
  CallStore* store = nullptr;
  AppHttpClient* http = nullptr;
  const CallExecutor* executor = nullptr;
  // Publishes a usage event when an answered call ends (may be empty: no metering).
  std::function<void(const CallUsage&, const std::string& account_sid)> publish_usage;
};

// Drives one incoming INVITE: looks the To number up (404 when unknown), creates the Call row
// (ringing, inbound), rings while the document is fetched, runs the CallExecutor and acts on its
// commands (answer, Pause timers, Reject 486/603, Hangup, Redirect fetches), keeps the row's
// status and times current, and sends the number's status callback when the call ends. The
// audio verbs (Say, Play, Gather, Record, Dial) are not wired yet: they end the call with an
// error in the log. Runs on the SIP thread; results of the store and the HTTP client come back
// through SipLoop::Post and find the session through a weak pointer.
//
//   auto s = std::make_shared<CallSession>(deps, dialog, invite);
//   s->Start();
class CallSession final : public SipCallHandler,
                          public std::enable_shared_from_this<CallSession> {
 public:
  CallSession(CallSessionDeps deps, SipDialog& dialog, SipInvite invite);

  void Start();

  void OnCallerBye() override;
  void OnCancel() override;
  void OnTerminated() override;

 private:
  void OnRouted(absl::StatusOr<CallRoute> route);
  void Step(ExecutorEvent event);
  void Execute(const ExecutorCommand& command);
  void Fetch(const FetchDocumentCommand& command);
  void Answer();
  void Refuse(int sip_status, const char* phrase, const std::string& call_status);
  void HangUp(const absl::Status& error);
  void RefuseAudioVerb(const char* verb);
  // Final status: updates the row and sends the status callback, once.
  void Finish(const std::string& call_status);
  void WriteEnd();
  CallFacts Facts() const;
  // Posts `fn(session)` to the SIP thread; dropped if the session is gone by then.
  template <typename Fn>
  auto OnSipThread(Fn fn);

  CallSessionDeps deps_;
  SipDialog* dialog_;  // null once the dialog terminated
  SipInvite invite_;
  std::string call_sid_;
  std::optional<CallRoute> route_;
  std::optional<StatusCallbackSequencer> callbacks_;
  ExecutionState state_;
  bool first_fetch_ = true;
  bool answered_ = false;
  bool finished_ = false;
  std::string call_status_ = "ringing";
  std::optional<absl::Time> start_time_;
  std::optional<absl::Time> end_time_;
  std::optional<int64_t> duration_;
};

}  // namespace dialtone::call_router
