// CallSession's <Dial>: one outbound-dial leg per Number/Sip noun, rung at once; the first to
// answer is bridged to the caller (RTP both ways, transcoded when the codecs differ), the others
// are canceled. Ring timeout, timeLimit, hangupOnStar, and DialCallStatus / DialCallSid /
// DialCallDuration back to the executor. Each leg is a live call of its own for the Calls API:
// hung up, canceled, or redirected out of the Dial into a session of its own.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "calls/call_session.h"
#include "dialtone/core/sid.h"
#include "dialtone/log/log.h"
#include "sip/outbound_target.h"

namespace dialtone::call_router {

// One leg: the callee's dialog and RTP, reporting to its parent session (same thread).
class DialLeg final : public SipCallHandler, public LiveCall {
 public:
  std::weak_ptr<CallSession> parent;
  std::string call_sid;
  std::string to;
  std::string from;
  SipDialog* dialog = nullptr;
  std::shared_ptr<RtpStream> stream;
  bool answered = false;
  bool ended = false;
  std::optional<absl::Time> start;
  // Redirected through the API while ringing: once answered it leaves the Dial and runs this.
  std::optional<ApiRedirect> redirect;

  void Control(const CallControl& control) override {
    if (auto p = parent.lock()) p->ControlLeg(*this, control);
  }

  void OnCallerBye() override {
    if (auto p = parent.lock()) p->OnLegBye(*this);
  }
  void OnCancel() override {}
  void OnRinging() override {
    if (auto p = parent.lock()) p->OnLegRinging(*this);
  }
  void OnAnswered(const std::string& remote_sdp) override {
    if (auto p = parent.lock()) p->OnLegAnswered(*this, remote_sdp);
  }
  void OnFailed(int status) override {
    if (auto p = parent.lock()) p->OnLegFailed(*this, status);
  }
  void OnTerminated() override {
    dialog = nullptr;
    if (ended) return;
    if (auto p = parent.lock()) {
      if (answered)
        p->OnLegBye(*this);
      else
        p->OnLegFailed(*this, 500);
    }
  }
};

void CallSession::StartDial(const DialCommand& c) {
  dial_ = DialState{
      .operation = c.operation, .options = c.options, .generation = next_dial_generation_++};
  const Dial& dial = c.options;
  const std::string caller_id = dial.caller_id.empty() ? Facts().from : dial.caller_id;
  for (const DialNoun& noun : dial.nouns) {
    SipOutboundInvite invite;
    std::string to;
    if (const auto* number = std::get_if<NumberNoun>(&noun)) {
      auto target = OutboundTargetFor(number->number, caller_id, deps_.trunk, deps_.local_sip_host);
      if (!target.ok()) {
        log::Warn(
            "<Dial><Number> cannot be called",
            {{"call_sid", call_sid_}, {"number", number->number}, {"error", target.status()}});
        continue;
      }
      invite = {.request_uri = target->request_uri,
                .from_uri = target->from_uri,
                .proxy = target->proxy,
                .auth_username = deps_.trunk_username,
                .auth_password = deps_.trunk_password};
      to = number->number;
    } else if (const auto* sip = std::get_if<SipNoun>(&noun)) {
      auto target = OutboundTargetFor(sip->uri, caller_id, "", deps_.local_sip_host);
      if (!target.ok()) {
        log::Warn("<Dial><Sip> cannot be called",
                  {{"call_sid", call_sid_}, {"uri", sip->uri}, {"error", target.status()}});
        continue;
      }
      invite = {.request_uri = target->request_uri,
                .from_uri = target->from_uri,
                .auth_username = sip->username,
                .auth_password = sip->password};
      to = sip->uri;
    } else {
      log::Warn("<Dial> noun not supported here (Client, Conference, Queue)",
                {{"call_sid", call_sid_}});
      continue;
    }
    auto leg = std::make_shared<DialLeg>();
    leg->parent = weak_from_this();
    leg->call_sid = core::NewSid(core::kCallPrefix);
    leg->to = to;
    leg->from = caller_id;
    auto stream = deps_.rtp->Open();
    if (!stream.ok()) {
      log::Error("no RTP port for a Dial leg",
                 {{"call_sid", call_sid_}, {"error", stream.status()}});
      continue;
    }
    leg->stream = *stream;
    invite.sdp = LocalSdp(deps_.media_host, leg->stream->port(), -1, 101);
    CallStore* store = deps_.store;
    NewCall row{
        .sid = leg->call_sid, .account_sid = route_->account_sid, .from = caller_id, .to = to};
    store->Submit(row.sid, [store, row, parent = call_sid_] {
      if (absl::Status s = store->InsertDialed(row, parent); !s.ok()) {
        log::Error("cannot write a Dial leg", {{"call_sid", row.sid}, {"error", s}});
      }
    });
    leg->dialog = deps_.sip->Invite(invite, leg);
    if (leg->dialog == nullptr) {
      EndLeg(*leg, CallState::kFailed);
      continue;
    }
    if (deps_.live != nullptr) deps_.live->Add(leg->call_sid, leg);
    log::Info("dialing", {{"call_sid", call_sid_}, {"leg", leg->call_sid}, {"to", to}});
    dial_->legs.push_back(std::move(leg));
  }
  if (dial_->legs.empty()) return EndDial(DialCallStatus::kFailed);
  const uint64_t generation = dial_->generation;
  auto expire = OnSipThread([generation](CallSession& s) {
    if (s.dial_ && s.dial_->generation == generation && !s.dial_->bridged) {
      s.EndDial(DialCallStatus::kNoAnswer);
    }
  });
  deps_.loop->RunAfter(absl::Seconds(dial.timeout), [expire] { expire(); });
}

void CallSession::OnLegRinging(DialLeg& leg) {
  CallStore* store = deps_.store;
  store->Submit(leg.call_sid, [store, sid = leg.call_sid] { (void)store->MarkRinging(sid); });
}

void CallSession::OnLegAnswered(DialLeg& leg, const std::string& remote_sdp) {
  leg.answered = true;
  leg.start = absl::Now();
  CallStore* store = deps_.store;
  store->Submit(leg.call_sid, [store, sid = leg.call_sid, start = *leg.start] {
    (void)store->MarkInProgress(sid, start);
  });
  if (!dial_ || dial_->bridged != nullptr || finished()) {  // another leg won, or the caller left
    return EndLeg(leg, CallState::kCompleted);
  }
  if (auto media = ParseRemoteSdp(remote_sdp); media.ok()) {
    leg.stream->SetRemote(media->address, media->port, media->payload_type,
                          media->dtmf_payload_type);
  }
  if (leg.redirect) {  // redirected while it rang: it leaves the Dial now, the others ring on
    RedirectLeg(leg, *leg.redirect);
    return OnLegSettled();
  }
  std::shared_ptr<DialLeg> winner;
  for (auto& l : dial_->legs) {
    if (l.get() == &leg)
      winner = l;
    else if (!l->ended)
      EndLeg(*l, CallState::kCanceled);
  }
  dial_->bridged = winner;
  dial_->bridged_at = absl::Now();
  if (!answered()) Answer();  // answerOnBridge: the caller is answered now
  if (stream_ != nullptr) {
    stream_->StopPlayback();
    stream_->BridgeTo(leg.stream);
    leg.stream->BridgeTo(stream_);
    if (absl::StartsWith(dial_->options.record, "record-from-")) {
      stream_->StartCallRecording();
      dial_->recording = true;
    }
  }
  log::Info("dial bridged", {{"call_sid", call_sid_}, {"leg", leg.call_sid}});
  const uint64_t generation = dial_->generation;
  auto limit = OnSipThread([generation](CallSession& s) {
    if (s.dial_ && s.dial_->generation == generation) s.EndDial(DialCallStatus::kCompleted);
  });
  deps_.loop->RunAfter(absl::Seconds(dial_->options.time_limit), [limit] { limit(); });
}

void CallSession::OnLegFailed(DialLeg& leg, int sip_status) {
  if (leg.ended) return;
  const CallState end = StateForRefusal(sip_status);
  EndLeg(leg, end);
  if (!dial_) return;
  if (end == CallState::kBusy) dial_->any_busy = true;
  if (end == CallState::kNoAnswer) dial_->any_no_answer = true;
  OnLegSettled();
}

void CallSession::OnLegSettled() {
  if (!dial_ || dial_->bridged != nullptr) return;
  for (const auto& l : dial_->legs) {
    if (!l->ended) return;  // others still ring
  }
  EndDial(dial_->any_busy        ? DialCallStatus::kBusy
          : dial_->any_no_answer ? DialCallStatus::kNoAnswer
                                 : DialCallStatus::kFailed);
}

void CallSession::OnLegBye(DialLeg& leg) {
  if (leg.ended) return;
  if (dial_ && dial_->bridged.get() == &leg) return EndDial(DialCallStatus::kCompleted);
  EndLeg(leg, CallState::kCompleted);
}

void CallSession::ControlLeg(DialLeg& leg, const CallControl& control) {
  if (leg.ended) return;
  if (control.end) {
    if (leg.answered) {
      if (*control.end != CallState::kCompleted) return;  // Twilio: canceled leaves it up
      log::Info("dial leg hung up through the API",
                {{"call_sid", call_sid_}, {"leg", leg.call_sid}});
      return OnLegBye(leg);  // the Dial ends as if the callee had hung up
    }
    log::Info("dial leg canceled through the API",
              {{"call_sid", call_sid_}, {"leg", leg.call_sid}});
    EndLeg(leg, CallState::kCanceled);
    return OnLegSettled();
  }
  if (!control.redirect) return;
  if (!leg.answered) {
    leg.redirect = control.redirect;
    return;
  }
  const bool bridged = dial_ && dial_->bridged.get() == &leg;
  RedirectLeg(leg, *control.redirect);
  // Twilio: the parent's Dial ends as if the callee had hung up, and its document goes on.
  if (bridged) EndDial(DialCallStatus::kCompleted);
}

void CallSession::RedirectLeg(DialLeg& leg, const ApiRedirect& redirect) {
  log::Info("dial leg redirected out of its Dial",
            {{"call_sid", call_sid_}, {"leg", leg.call_sid}});
  leg.ended = true;  // the new session ends it; EndLeg leaves it alone
  if (leg.stream != nullptr) leg.stream->Unbridge();
  if (stream_ != nullptr && dial_ && dial_->bridged.get() == &leg) stream_->Unbridge();
  OutboundCall call{.call_sid = leg.call_sid,
                    .parent_call_sid = call_sid_,
                    .from = leg.from,
                    .to = leg.to,
                    .route = *route_,
                    .document = redirect.document};
  call.route.voice_url = redirect.url;
  call.route.voice_method = redirect.method;
  call.route.voice_fallback_url.clear();
  call.route.status_callback.clear();  // the parent's callbacks are not the leg's
  auto session = std::make_shared<CallSession>(deps_, std::move(call));
  session->TakeOverLeg(leg.dialog, std::move(leg.stream), leg.start.value_or(absl::Now()));
  leg.dialog = nullptr;
}

void CallSession::TakeOverLeg(SipDialog* dialog, std::shared_ptr<RtpStream> stream,
                              absl::Time start) {
  dialog_ = dialog;
  if (dialog_ != nullptr) dialog_->SetHandler(shared_from_this());
  AdoptStream(std::move(stream));
  start_time_ = start;
  call_state_ = CallState::kInProgress;
  if (deps_.live != nullptr) deps_.live->Add(call_sid_, weak_from_this());
  Step(CallStarted{route_->voice_url, route_->voice_method, true, outbound_->document});
}

void CallSession::EndLeg(DialLeg& leg, CallState unanswered_end) {
  if (leg.ended) return;
  leg.ended = true;
  if (deps_.live != nullptr) deps_.live->Remove(leg.call_sid, &leg);
  if (leg.dialog != nullptr) {
    if (leg.answered)
      leg.dialog->Bye();
    else
      leg.dialog->Cancel();
  }
  if (leg.stream != nullptr) {
    leg.stream->Unbridge();
    deps_.rtp->Close(leg.stream);
  }
  const absl::Time end = absl::Now();
  const int64_t duration =
      leg.start ? absl::ToInt64Seconds(end - *leg.start + absl::Milliseconds(500)) : 0;
  const std::string status(CallStateText(leg.answered ? CallState::kCompleted : unanswered_end));
  CallStore* store = deps_.store;
  store->Submit(
      leg.call_sid, [store, sid = leg.call_sid, status, end, start = leg.start, duration] {
        if (absl::Status s = store->MarkEnded(sid, status, end, start, duration); !s.ok()) {
          log::Error("cannot record the end of a Dial leg", {{"call_sid", sid}, {"error", s}});
        }
      });
  if (deps_.publish_usage) {
    if (auto usage = CallUsageFor(leg.call_sid, "outbound-dial", duration, leg.answered)) {
      deps_.publish_usage(*usage, route_->account_sid);
    }
  }
  log::Info("dial leg ended", {{"call_sid", call_sid_},
                               {"leg", leg.call_sid},
                               {"status", status},
                               {"duration", static_cast<long long>(duration)}});
}

CallSession::DialState CallSession::TearDownDial() {
  DialState d = *std::move(dial_);
  dial_.reset();
  if (stream_ != nullptr) stream_->Unbridge();
  for (auto& leg : d.legs) EndLeg(*leg, CallState::kCanceled);
  return d;
}

void CallSession::EndDial(DialCallStatus status) {
  DialState d = TearDownDial();
  DialResult result{.operation = d.operation, .status = status};
  if (d.bridged != nullptr) {
    result.call_sid = d.bridged->call_sid;
    result.duration_seconds = static_cast<int>(
        absl::ToInt64Seconds(absl::Now() - d.bridged_at + absl::Milliseconds(500)));
  } else if (!d.legs.empty()) {
    result.call_sid = d.legs.front()->call_sid;
  }
  if (!d.recording || stream_ == nullptr) return Step(std::move(result));
  // The bridged call's recording goes with the result (RecordingUrl to the action).
  StoreRecording(stream_->StopCallRecording(),
                 {.trim = d.options.trim == "trim-silence",
                  .status_callback = d.options.recording_status_callback,
                  .source = "DialVerb",
                  .started = d.bridged_at},
                 [result](CallSession& s, const SavedRecording& saved) mutable {
                   result.recording_url = saved.url;
                   s.Step(std::move(result));
                 });
}

}  // namespace dialtone::call_router
