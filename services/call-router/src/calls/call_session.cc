// CallSession: one call from its first SIP message to the final Call row.
#include "calls/call_session.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "dialtone/core/sid.h"
#include "dialtone/core/twilio_error.h"
#include "dialtone/log/log.h"

namespace dialtone::call_router {
namespace {

template <typename... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <typename... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace

void CallbackChain::Send(AppClient::CallbackRequest request) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (busy_) {
      queue_.push_back(std::move(request));
      return;
    }
    busy_ = true;
  }
  Go(std::move(request));
}

void CallbackChain::Go(AppClient::CallbackRequest request) {
  // Whatever the outcome (the client already retried), the next one goes.
  http_->SendCallback(std::move(request),
                      [self = shared_from_this()](absl::Status) { self->Next(); });
}

void CallbackChain::Next() {
  AppClient::CallbackRequest next;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (queue_.empty()) {
      busy_ = false;
      return;
    }
    next = std::move(queue_.front());
    queue_.pop_front();
  }
  Go(std::move(next));
}

void LiveCalls::Add(const std::string& call_sid, std::weak_ptr<LiveCall> call) {
  std::lock_guard<std::mutex> lock(mu_);
  const LiveCall* owner = call.lock().get();
  calls_[call_sid] = {std::move(call), owner};
  if (leases_ != nullptr) leases_->Hold(call_sid);
  if (gauge_ != nullptr) gauge_->Set(static_cast<double>(calls_.size()));
}

void LiveCalls::Remove(const std::string& call_sid, const LiveCall* owner) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = calls_.find(call_sid);
  if (it != calls_.end() && it->second.owner == owner) {
    calls_.erase(it);
    if (leases_ != nullptr) leases_->Release(call_sid);
    if (gauge_ != nullptr) gauge_->Set(static_cast<double>(calls_.size()));
  }
}

size_t LiveCalls::size() {
  std::lock_guard<std::mutex> lock(mu_);
  return calls_.size();
}

std::vector<std::shared_ptr<LiveCall>> LiveCalls::All() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::shared_ptr<LiveCall>> out;
  for (auto& [sid, entry] : calls_) {
    if (auto call = entry.call.lock()) out.push_back(std::move(call));
  }
  return out;
}

std::shared_ptr<LiveCall> LiveCalls::Find(const std::string& call_sid) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = calls_.find(call_sid);
  return it == calls_.end() ? nullptr : it->second.call.lock();
}

CallSession::CallSession(CallSessionDeps deps, SipDialog& dialog, SipInvite invite)
    : deps_(deps),
      dialog_(&dialog),
      invite_(std::move(invite)),
      call_sid_(core::NewSid(core::kCallPrefix)) {}

CallSession::CallSession(CallSessionDeps deps, OutboundCall call)
    : deps_(deps),
      dialog_(nullptr),
      outbound_(std::move(call)),
      call_sid_(outbound_->call_sid),
      route_(outbound_->route) {
  call_state_ = CallState::kQueued;
  callbacks_.emplace(outbound_->events);
}

CallSession::~CallSession() {
  if (deps_.live != nullptr) deps_.live->Remove(call_sid_, this);
}

void CallSession::StartOutbound(SipDialer& sip) {
  if (deps_.live != nullptr) deps_.live->Add(call_sid_, weak_from_this());
  log::Info("outbound call",
            {{"call_sid", call_sid_}, {"to", outbound_->to}, {"from", outbound_->from}});
  if (absl::Status s = OpenMedia(); !s.ok()) {
    log::Error("no RTP port for the call", {{"call_sid", call_sid_}, {"error", s}});
    Notify(CallEvent::kInitiated);
    return Finish(CallState::kFailed);
  }
  outbound_->invite.sdp = LocalSdp(deps_.media_host, stream_->port(), -1, 101);
  dialog_ = sip.Invite(outbound_->invite, shared_from_this());
  if (dialog_ == nullptr) {
    Notify(CallEvent::kInitiated);
    return Finish(CallState::kFailed);
  }
  Notify(CallEvent::kInitiated);
  auto expire = OnSipThread([](CallSession& s) {
    if (s.answered() || s.finished()) return;
    log::Info("outbound call not answered in time",
              {{"call_sid", s.call_sid_}, {"timeout", s.outbound_->timeout_seconds}});
    if (s.dialog_ != nullptr) s.dialog_->Cancel();
    s.Finish(CallState::kNoAnswer);
  });
  deps_.loop->RunAfter(absl::Seconds(outbound_->timeout_seconds), [expire] { expire(); });
}

void CallSession::OnRinging() {
  if (call_state_ != CallState::kQueued) return;
  call_state_ = CallState::kRinging;
  CallRecords* store = deps_.store;
  store->Submit(call_sid_, [store, sid = call_sid_] {
    if (absl::Status s = store->MarkRinging(sid); !s.ok()) {
      log::Error("cannot mark call ringing", {{"call_sid", sid}, {"error", s}});
    }
  });
  Notify(CallEvent::kRinging);
}

void CallSession::OnAnswered(const std::string& remote_sdp) {
  if (finished()) {  // hung up (timeout, API) as the 200 crossed: end the new dialog
    if (dialog_ != nullptr) dialog_->Bye();
    return;
  }
  if (auto media = ParseRemoteSdp(remote_sdp); media.ok()) {
    remote_media_ = *media;
    stream_->SetRemote(media->address, media->port, media->payload_type, media->dtmf_payload_type);
  } else {
    log::Warn("callee's SDP has no usable audio; sending where its packets come from",
              {{"call_sid", call_sid_}, {"error", media.status()}});
  }
  Answer();
  Notify(CallEvent::kAnswered);
  if (outbound_->record && stream_ != nullptr) {
    stream_->StartCallRecording();
    call_recording_started_ = absl::Now();
  }
  ArmTimeLimit(outbound_->time_limit_seconds);
  if (route_) state_.quiet_document_cap = route_->limits.max_quiet_steps;
  Step(CallStarted{route_->voice_url, route_->voice_method, true, outbound_->document});
}

void CallSession::OnFailed(int status) {
  if (finished()) return;
  const CallState end = StateForRefusal(status);
  if (end == CallState::kFailed) {
    log::Info("outbound call failed", {{"call_sid", call_sid_}, {"sip_status", status}});
  }
  Finish(end);
}

void CallSession::Control(const CallControl& control) {
  if (finished()) return;
  if (!route_) {  // an inbound call whose number is still being looked up
    early_control_ = control;
    return;
  }
  if (control.status_callback) route_->status_callback = *control.status_callback;
  if (control.status_callback_method) {
    route_->status_callback_method = *control.status_callback_method;
  }
  if (control.end) {
    if (answered()) {
      if (*control.end != CallState::kCompleted) return;  // Twilio: canceled leaves it up
      log::Info("call hung up through the API", {{"call_sid", call_sid_}});
      state_.ended = true;
      return HangUp(absl::OkStatus());
    }
    log::Info("call canceled through the API", {{"call_sid", call_sid_}});
    if (dialog_ != nullptr) {
      if (outbound())
        dialog_->Cancel();
      else
        dialog_->Refuse(487, "Request Terminated");
    }
    state_.ended = true;
    return Finish(CallState::kCanceled);
  }
  if (!control.redirect) return;
  if (!state_.started) {  // not answered yet: the new document is what runs when it is
    if (outbound_) {
      route_->voice_url = control.redirect->url;
      route_->voice_method = control.redirect->method;
      outbound_->document = control.redirect->document;
    }
    return;
  }
  log::Info("call redirected through the API", {{"call_sid", call_sid_}});
  StopCurrentVerb();
  Step(*control.redirect);
}

void CallSession::StopCurrentVerb() {
  // The legs hang up; the Dial's action is not requested (the redirect won).
  if (dial_) std::shared_ptr<DialOperation>(dial_)->Abandon();
  if (gather_) std::exchange(gather_, nullptr)->Stop();
  if (connected_stream_) {  // forked streams go on; the <Connect>'s ends with its verb
    const std::string sid = std::exchange(connected_stream_, std::nullopt)->second;
    if (auto it = media_streams_.find(sid); it != media_streams_.end()) it->second->Stop();
  }
  // A recording under way is kept (stored with its action ignored), as when the caller hangs up.
  StopRecord();
  if (stream_ != nullptr) stream_->StopPlayback();
}

void CallSession::Start() {
  if (invite_.to_user.empty()) {
    call_state_ = CallState::kFailed;
    dialog_->Refuse(404, "Not Found");
    return;
  }
  if (deps_.live != nullptr) deps_.live->Add(call_sid_, weak_from_this());
  NewCall row{.sid = call_sid_, .from = Facts().from, .to = invite_.to_user};
  auto done = OnSipThread([](CallSession& s, std::shared_ptr<absl::StatusOr<CallRoute>> r) {
    s.OnRouted(std::move(*r));
  });
  CallRecords* store = deps_.store;
  store->Submit(call_sid_, [store, row, done]() mutable {
    auto route = std::make_shared<absl::StatusOr<CallRoute>>(store->Route(row.to));
    if (route->ok()) {
      if (absl::Status admitted = store->Admit((*route)->account_sid, (*route)->limits);
          !admitted.ok()) {
        *route = admitted;
        return done(route);
      }
      row.account_sid = (*route)->account_sid;
      row.phone_number_sid = (*route)->phone_number_sid;
      row.to = (*route)->phone_number;
      row.status_callback = (*route)->status_callback;
      row.status_callback_method = (*route)->status_callback_method;
      if (absl::Status s = store->InsertRinging(row); !s.ok()) *route = s;
    }
    done(route);
  });
}

void CallSession::OnRouted(absl::StatusOr<CallRoute> route) {
  if (!route.ok()) {
    if (absl::IsNotFound(route.status())) {
      log::Info("call to an unknown number refused",
                {{"to", invite_.to_user}, {"call_id", invite_.call_id}});
      if (dialog_ != nullptr) dialog_->Refuse(404, "Not Found");
    } else if (absl::IsResourceExhausted(route.status())) {
      // Over the account's limit (README, "Limits"): busy for too many calls up, temporarily
      // unavailable for too many new calls a second. Not 503: a front door would try the
      // next router, which shares the limit.
      const bool busy = core::TwilioCodeOf(route.status()) == 10004;
      log::Info("call refused: over the account's limit",
                {{"to", invite_.to_user}, {"call_id", invite_.call_id}, {"error", route.status()}});
      if (deps_.on_refused) deps_.on_refused(busy ? "concurrent_calls" : "calls_per_second");
      if (dialog_ != nullptr) {
        dialog_->Refuse(busy ? 486 : 480, busy ? "Busy Here" : "Temporarily Unavailable");
      }
    } else {
      log::Error("call routing failed", {{"to", invite_.to_user}, {"error", route.status()}});
      if (dialog_ != nullptr) dialog_->Refuse(503, "Service Unavailable");
    }
    call_state_ = CallState::kFailed;
    if (deps_.live != nullptr) deps_.live->Remove(call_sid_, this);
    return;
  }
  route_ = *std::move(route);
  callbacks_.emplace(std::vector<CallEvent>{});  // a number's callback hears "completed"
  if (finished()) return WriteEnd();             // CANCELed while we looked the number up
  log::Info("inbound call", {{"call_sid", call_sid_},
                             {"to", route_->phone_number},
                             {"from", Facts().from},
                             {"url", route_->voice_url}});
  if (!invite_.sdp.empty()) {
    auto media = ParseRemoteSdp(invite_.sdp);
    if (!media.ok()) {
      log::Info("call refused: no usable audio in its SDP",
                {{"call_sid", call_sid_}, {"error", media.status()}});
      return Refuse(488, "Not Acceptable Here", CallState::kFailed);
    }
    remote_media_ = *media;
  }
  dialog_->Ring();
  state_.quiet_document_cap = route_->limits.max_quiet_steps;
  Step(CallStarted{route_->voice_url, route_->voice_method, false});
  if (early_control_) Control(*std::exchange(early_control_, std::nullopt));
}

void CallSession::Step(ExecutorEvent event) {
  StepResult r = deps_.executor->Step(state_, std::move(event));
  state_ = std::move(r.state);
  for (const ExecutorCommand& c : r.commands) Execute(c);
}

void CallSession::Execute(const ExecutorCommand& command) {
  // After the end only posts to action URLs (response ignored) still go out.
  if (finished() && !std::holds_alternative<FetchDocumentCommand>(command)) return;
  std::visit(Overloaded{
                 [this](const AnswerCommand&) {
                   if (!outbound()) Answer();
                 },
                 [this](const PlayCommand& c) { StartPlay(c); },
                 [this](const CollectDigitsCommand& c) { StartGather(c); },
                 [this](const RecordCommand& c) { StartRecord(c); },
                 [this](const DialCommand& c) { StartDial(c); },
                 [this](const FetchDocumentCommand& c) { Fetch(c); },
                 [this](const StartTimerCommand& c) {
                   auto fire =
                       OnSipThread([op = c.operation](CallSession& s) { s.Step(TimerFired{op}); });
                   deps_.loop->RunAfter(absl::Seconds(c.seconds), [fire] { fire(); });
                 },
                 [this](const HangupCommand& c) { HangUp(c.error); },
                 [this](const ConnectStreamCommand& c) { ConnectStream(c); },
                 [this](const StartStreamCommand& c) {
                   if (auto s = OpenMediaStream(c.stream, false); !s.ok()) {
                     log::Warn("<Start><Stream> not started",
                               {{"call_sid", call_sid_}, {"error", s.status()}});
                   }
                 },
                 [this](const StopStreamCommand& c) { StopMediaStreams(c.name, true); },
                 [this](const RejectCommand& c) {
                   if (answered()) return HangUp(absl::OkStatus());
                   // Twilio: the call ends "busy" for reason=busy and "no-answer" for rejected.
                   if (c.reason == RejectReason::kBusy)
                     return Refuse(486, "Busy Here", CallState::kBusy);
                   Refuse(603, "Decline", CallState::kNoAnswer);
                 },
             },
             command);
}

void CallSession::Fetch(const FetchDocumentCommand& c) {
  if (!route_ || (finished() && !c.response_ignored)) return;
  AppParams params = VoiceRequestParams(Facts());
  params.insert(params.end(), c.parameters.begin(), c.parameters.end());
  if (c.response_ignored) {
    deps_.http->SendCallback({.url = c.url,
                              .method = c.method,
                              .params = std::move(params),
                              .auth_token = route_->auth_token});
    return;
  }
  AppClient::DocumentRequest req{.url = c.url,
                                 .method = c.method,
                                 .params = std::move(params),
                                 .auth_token = route_->auth_token};
  if (first_fetch_) {  // the number's fallback covers the document its voice URL names
    req.fallback_url = route_->voice_fallback_url;
    req.fallback_method = route_->voice_fallback_method;
    first_fetch_ = false;
  }
  auto done = OnSipThread([op = c.operation](CallSession& s,
                                             std::shared_ptr<AppClient::DocumentResult> r) {
    if (!r->program.ok()) {
      log::Error("TwiML fetch failed", {{"call_sid", s.call_sid_}, {"error", r->program.status()}});
    } else {
      s.media().Prefetch(*r->program);
    }
    s.Step(DocumentFetched{op, std::move(r->program)});
  });
  deps_.http->FetchDocument(std::move(req), [done](AppClient::DocumentResult r) {
    done(std::make_shared<AppClient::DocumentResult>(std::move(r)));
  });
}

void CallSession::Answer() {
  if (answered() || dialog_ == nullptr) return;
  if (absl::Status s = OpenMedia(); !s.ok()) {
    log::Error("no RTP port for the call", {{"call_sid", call_sid_}, {"error", s}});
    state_.ended = true;
    return Refuse(503, "Service Unavailable", CallState::kFailed);
  }
  const int payload = remote_media_ ? remote_media_->payload_type : -1;
  const int dtmf = remote_media_ ? remote_media_->dtmf_payload_type : 101;
  dialog_->Answer(LocalSdp(deps_.media_host, stream_->port(), payload, dtmf));
  start_time_ = absl::Now();
  call_state_ = CallState::kInProgress;
  // A placed call's limit is its TimeLimit, capped by the account's (armed when answered).
  if (!outbound() && route_ && route_->limits.max_call_seconds > 0) {
    ArmTimeLimit(route_->limits.max_call_seconds);
  }
  CallRecords* store = deps_.store;
  store->Submit(call_sid_, [store, sid = call_sid_, start = *start_time_] {
    if (absl::Status s = store->MarkInProgress(sid, start); !s.ok()) {
      log::Error("cannot mark call in-progress", {{"call_sid", sid}, {"error", s}});
    }
  });
}

void CallSession::ArmTimeLimit(int seconds) {
  auto limit = OnSipThread([](CallSession& s) {
    if (s.finished()) return;
    log::Info("call reached its time limit", {{"call_sid", s.call_sid_}});
    s.state_.ended = true;
    s.HangUp(absl::OkStatus());
  });
  deps_.loop->RunAfter(absl::Seconds(seconds), [limit] { limit(); });
}

void CallSession::Refuse(int sip_status, const char* phrase, CallState end) {
  if (dialog_ != nullptr) dialog_->Refuse(sip_status, phrase);
  Finish(end);
}

void CallSession::HangUp(const absl::Status& error) {
  if (!error.ok()) {
    log::Error("call ended by an error", {{"call_sid", call_sid_}, {"error", error}});
  }
  if (answered()) {
    if (dialog_ != nullptr) dialog_->Bye();
    return Finish(CallState::kCompleted);
  }
  Refuse(500, "Server Internal Error", CallState::kFailed);
}

void CallSession::OnCallerBye() {
  // A recording under way keeps what was said so far (Twilio posts it with Digits=hangup).
  StopRecord();
  if (dial_) {  // a Dial under way ends with the caller; its action still hears how it went
    std::shared_ptr<DialOperation> dial = dial_;
    Step(CallerHungUp{});
    dial->End(dial->bridged() ? DialCallStatus::kCompleted : DialCallStatus::kCanceled);
    return Finish(CallState::kCompleted);
  }
  Finish(CallState::kCompleted);
  Step(CallerHungUp{});
}

void CallSession::OnCancel() {
  if (dial_) {
    std::shared_ptr<DialOperation> dial = dial_;
    Step(CallerHungUp{});
    dial->End(DialCallStatus::kCanceled);
    return Finish(CallState::kCanceled);
  }
  Finish(CallState::kCanceled);
  Step(CallerHungUp{});
}

void CallSession::OnTerminated() {
  dialog_ = nullptr;
  if (!finished()) Finish(answered() ? CallState::kCompleted : CallState::kFailed);
}

void CallSession::Notify(CallEvent event) {
  if (!route_ || route_->status_callback.empty()) return;
  CallFacts facts = Facts();
  // The "initiated" callback says so in CallStatus; the row stays queued.
  if (event == CallEvent::kInitiated) facts.call_status = "initiated";
  if (auto params = callbacks_->Next(event, facts, absl::Now())) {
    if (callback_chain_ == nullptr) callback_chain_ = std::make_shared<CallbackChain>(deps_.http);
    callback_chain_->Send({.url = route_->status_callback,
                           .method = route_->status_callback_method,
                           .params = *std::move(params),
                           .auth_token = route_->auth_token});
  }
}

void CallSession::Finish(CallState end) {
  if (finished()) return;
  call_state_ = end;
  if (deps_.live != nullptr) deps_.live->Remove(call_sid_, this);
  StopRecord();
  if (call_recording_started_ && stream_ != nullptr) {  // Record=true: the whole call
    StoreRecording(stream_->StopCallRecording(),
                   {.trim = false,
                    .status_callback = outbound_->recording_status_callback,
                    .source = "OutboundAPI",
                    .started = *call_recording_started_},
                   [](const SavedRecording&) {});
  }
  // Hung up by the API, a time limit or an error: the legs go too.
  if (dial_) std::shared_ptr<DialOperation>(dial_)->HangUpLegs();
  StopMediaStreams("", false);  // `stop` to each app before the leg closes
  CloseMedia();
  end_time_ = absl::Now();
  duration_ =
      start_time_ ? absl::ToInt64Seconds(*end_time_ - *start_time_ + absl::Milliseconds(500)) : 0;
  if (route_) WriteEnd();  // else OnRouted writes it once the row exists
}

void CallSession::WriteEnd() {
  const std::string status(CallStateText(call_state_));
  log::Info("call ended", {{"call_sid", call_sid_},
                           {"status", status},
                           {"duration", static_cast<long long>(duration_.value_or(0))}});
  CallRecords* store = deps_.store;
  store->Submit(call_sid_, [store, sid = call_sid_, status, end = *end_time_, start = start_time_,
                            duration = duration_.value_or(0)] {
    if (absl::Status s = store->MarkEnded(sid, status, end, start, duration); !s.ok()) {
      log::Error("cannot record the end of a call", {{"call_sid", sid}, {"error", s}});
    }
  });
  if (deps_.publish_usage) {
    if (auto usage = CallUsageFor(call_sid_, Facts().direction, duration_.value_or(0),
                                  start_time_.has_value())) {
      deps_.publish_usage(*usage, route_->account_sid);
    }
  }
  Notify(CallEvent::kCompleted);
}

CallFacts CallSession::Facts() const {
  CallFacts f;
  f.call_sid = call_sid_;
  f.call_status = std::string(CallStateText(call_state_));
  if (finished()) f.duration_seconds = duration_;
  if (outbound_) {
    f.from = outbound_->from;
    f.to = outbound_->to;
    f.account_sid = route_->account_sid;
    f.parent_call_sid = outbound_->parent_call_sid;
    f.direction = outbound_->parent_call_sid.empty() ? "outbound-api" : "outbound-dial";
    return f;
  }
  f.from = invite_.from_user.empty() ? invite_.from_uri : invite_.from_user;
  f.to = route_ ? route_->phone_number : invite_.to_user;
  f.account_sid = route_ ? route_->account_sid : std::string();
  f.direction = "inbound";
  return f;
}

}  // namespace dialtone::call_router
