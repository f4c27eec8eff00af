// DialOperation and its legs.
#include "calls/dial_operation.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "dialtone/core/sid.h"
#include "dialtone/log/log.h"
#include "media/sdp.h"
#include "sip/outbound_target.h"

namespace dialtone::call_router {

// One leg: the callee's dialog and RTP, reporting to its Dial (same thread) while it runs.
class DialLeg final : public SipCallHandler, public LiveCall {
 public:
  std::weak_ptr<DialOperation> dial;
  std::string call_sid;
  std::string to;
  std::string from;
  SipDialog* dialog = nullptr;
  std::shared_ptr<CallAudio> stream;
  bool answered = false;
  bool ended = false;
  std::optional<absl::Time> start;
  // Redirected through the API while ringing: once answered it leaves the Dial and runs this.
  std::optional<ApiRedirect> redirect;

  void Control(const CallControl& control) override {
    if (auto d = dial.lock()) d->ControlLeg(*this, control);
  }
  void OnCallerBye() override {
    if (auto d = dial.lock()) d->OnLegBye(*this);
  }
  void OnCancel() override {}
  void OnRinging() override {
    if (auto d = dial.lock()) d->OnLegRinging(*this);
  }
  void OnAnswered(const std::string& remote_sdp) override {
    if (auto d = dial.lock()) d->OnLegAnswered(*this, remote_sdp);
  }
  void OnFailed(int status) override {
    if (auto d = dial.lock()) d->OnLegFailed(*this, status);
  }
  void OnTerminated() override {
    dialog = nullptr;
    if (ended) return;
    if (auto d = dial.lock()) {
      if (answered)
        d->OnLegBye(*this);
      else
        d->OnLegFailed(*this, 500);
    }
  }
};

DialOperation::DialOperation(DialContext& ctx, DialCommand command, std::function<void()> over,
                             std::function<void(DialResult)> done)
    : ctx_(ctx), command_(std::move(command)), over_(std::move(over)), done_(std::move(done)) {}

DialOperation::~DialOperation() = default;

void DialOperation::Start() {
  const Dial& dial = command_.options;
  const std::string caller_id = dial.caller_id.empty() ? ctx_.CallerId() : dial.caller_id;
  for (const DialNoun& noun : dial.nouns) StartLeg(noun, caller_id);
  if (legs_.empty()) return End(DialCallStatus::kFailed);
  ctx_.loop().RunAfter(absl::Seconds(dial.timeout), [weak = weak_from_this()] {
    auto self = weak.lock();
    if (self != nullptr && !self->torn_down_ && self->bridged_ == nullptr) {
      self->End(DialCallStatus::kNoAnswer);
    }
  });
}

void DialOperation::StartLeg(const DialNoun& noun, const std::string& caller_id) {
  const CallSessionDeps& deps = ctx_.deps();
  SipOutboundInvite invite;
  std::string to;
  if (const auto* number = std::get_if<NumberNoun>(&noun)) {
    auto target = OutboundTargetFor(number->number, caller_id, deps.trunk, deps.local_sip_host);
    if (!target.ok()) {
      log::Warn(
          "<Dial><Number> cannot be called",
          {{"call_sid", ctx_.call_sid()}, {"number", number->number}, {"error", target.status()}});
      return;
    }
    invite = {.request_uri = target->request_uri,
              .from_uri = target->from_uri,
              .proxy = target->proxy,
              .auth_username = deps.trunk_username,
              .auth_password = deps.trunk_password};
    to = number->number;
  } else if (const auto* sip = std::get_if<SipNoun>(&noun)) {
    auto target = OutboundTargetFor(sip->uri, caller_id, "", deps.local_sip_host);
    if (!target.ok()) {
      log::Warn("<Dial><Sip> cannot be called",
                {{"call_sid", ctx_.call_sid()}, {"uri", sip->uri}, {"error", target.status()}});
      return;
    }
    invite = {.request_uri = target->request_uri,
              .from_uri = target->from_uri,
              .auth_username = sip->username,
              .auth_password = sip->password};
    to = sip->uri;
  } else {
    log::Warn("<Dial> noun not supported here (Client, Conference, Queue)",
              {{"call_sid", ctx_.call_sid()}});
    return;
  }
  auto leg = std::make_shared<DialLeg>();
  leg->dial = weak_from_this();
  leg->call_sid = core::NewSid(core::kCallPrefix);
  leg->to = to;
  leg->from = caller_id;
  auto stream = deps.rtp->Open();
  if (!stream.ok()) {
    log::Error("no RTP port for a Dial leg",
               {{"call_sid", ctx_.call_sid()}, {"error", stream.status()}});
    return;
  }
  leg->stream = *stream;
  invite.sdp = LocalSdp(deps.media_host, leg->stream->port(), -1, 101);
  CallRecords* store = deps.store;
  NewCall row{
      .sid = leg->call_sid, .account_sid = ctx_.route().account_sid, .from = caller_id, .to = to};
  store->Submit(row.sid, [store, row, parent = ctx_.call_sid()] {
    if (absl::Status s = store->InsertDialed(row, parent); !s.ok()) {
      log::Error("cannot write a Dial leg", {{"call_sid", row.sid}, {"error", s}});
    }
  });
  leg->dialog = deps.sip->Invite(invite, leg);
  if (leg->dialog == nullptr) return EndLeg(*leg, CallState::kFailed);
  if (deps.live != nullptr) deps.live->Add(leg->call_sid, leg);
  log::Info("dialing", {{"call_sid", ctx_.call_sid()}, {"leg", leg->call_sid}, {"to", to}});
  legs_.push_back(std::move(leg));
}

void DialOperation::OnDigit(char digit) {
  if (digit == '*' && bridged_ != nullptr && command_.options.hangup_on_star) {
    End(DialCallStatus::kCompleted);
  }
}

void DialOperation::OnLegRinging(DialLeg& leg) {
  CallRecords* store = ctx_.deps().store;
  store->Submit(leg.call_sid, [store, sid = leg.call_sid] { (void)store->MarkRinging(sid); });
}

void DialOperation::OnLegAnswered(DialLeg& leg, const std::string& remote_sdp) {
  leg.answered = true;
  leg.start = absl::Now();
  CallRecords* store = ctx_.deps().store;
  store->Submit(leg.call_sid, [store, sid = leg.call_sid, start = *leg.start] {
    (void)store->MarkInProgress(sid, start);
  });
  // Another leg won, or the caller left.
  if (torn_down_ || bridged_ != nullptr || ctx_.ended()) return EndLeg(leg, CallState::kCompleted);
  if (auto media = ParseRemoteSdp(remote_sdp); media.ok()) {
    leg.stream->SetRemote(media->address, media->port, media->payload_type,
                          media->dtmf_payload_type);
  }
  if (leg.redirect) {  // redirected while it rang: it leaves the Dial now, the others ring on
    RedirectLeg(leg, *leg.redirect);
    return OnLegSettled();
  }
  std::shared_ptr<DialLeg> winner;
  for (auto& l : legs_) {
    if (l.get() == &leg)
      winner = l;
    else if (!l->ended)
      EndLeg(*l, CallState::kCanceled);
  }
  bridged_ = winner;
  bridged_at_ = absl::Now();
  ctx_.AnswerCaller();
  if (std::shared_ptr<CallAudio> caller = ctx_.SharedAudio()) {
    caller->StopPlayback();
    caller->BridgeTo(leg.stream);
    leg.stream->BridgeTo(caller);
    if (absl::StartsWith(command_.options.record, "record-from-")) {
      caller->StartCallRecording();
      recording_ = true;
    }
  }
  log::Info("dial bridged", {{"call_sid", ctx_.call_sid()}, {"leg", leg.call_sid}});
  ctx_.loop().RunAfter(absl::Seconds(command_.options.time_limit), [weak = weak_from_this()] {
    auto self = weak.lock();
    if (self != nullptr && !self->torn_down_) self->End(DialCallStatus::kCompleted);
  });
}

void DialOperation::OnLegFailed(DialLeg& leg, int sip_status) {
  if (leg.ended) return;
  const CallState end = StateForRefusal(sip_status);
  EndLeg(leg, end);
  if (torn_down_) return;
  if (end == CallState::kBusy) any_busy_ = true;
  if (end == CallState::kNoAnswer) any_no_answer_ = true;
  OnLegSettled();
}

void DialOperation::OnLegSettled() {
  if (torn_down_ || bridged_ != nullptr) return;
  for (const auto& l : legs_) {
    if (!l->ended) return;  // others still ring
  }
  End(any_busy_        ? DialCallStatus::kBusy
      : any_no_answer_ ? DialCallStatus::kNoAnswer
                       : DialCallStatus::kFailed);
}

void DialOperation::OnLegBye(DialLeg& leg) {
  if (leg.ended) return;
  if (!torn_down_ && bridged_.get() == &leg) return End(DialCallStatus::kCompleted);
  EndLeg(leg, CallState::kCompleted);
}

void DialOperation::ControlLeg(DialLeg& leg, const CallControl& control) {
  if (leg.ended) return;
  if (control.end) {
    if (leg.answered) {
      if (*control.end != CallState::kCompleted) return;  // Twilio: canceled leaves it up
      log::Info("dial leg hung up through the API",
                {{"call_sid", ctx_.call_sid()}, {"leg", leg.call_sid}});
      return OnLegBye(leg);  // the Dial ends as if the callee had hung up
    }
    log::Info("dial leg canceled through the API",
              {{"call_sid", ctx_.call_sid()}, {"leg", leg.call_sid}});
    EndLeg(leg, CallState::kCanceled);
    return OnLegSettled();
  }
  if (!control.redirect) return;
  if (!leg.answered) {
    leg.redirect = control.redirect;
    return;
  }
  const bool was_bridged = !torn_down_ && bridged_.get() == &leg;
  RedirectLeg(leg, *control.redirect);
  // Twilio: the parent's Dial ends as if the callee had hung up, and its document goes on.
  if (was_bridged) End(DialCallStatus::kCompleted);
}

void DialOperation::RedirectLeg(DialLeg& leg, const ApiRedirect& redirect) {
  log::Info("dial leg redirected out of its Dial",
            {{"call_sid", ctx_.call_sid()}, {"leg", leg.call_sid}});
  leg.ended = true;  // the new session ends it; EndLeg leaves it alone
  if (leg.stream != nullptr) leg.stream->Unbridge();
  if (CallAudio* caller = ctx_.audio(); caller != nullptr && bridged_.get() == &leg) {
    caller->Unbridge();
  }
  OutboundCall call{.call_sid = leg.call_sid,
                    .parent_call_sid = ctx_.call_sid(),
                    .from = leg.from,
                    .to = leg.to,
                    .route = ctx_.route(),
                    .document = redirect.document};
  call.route.voice_url = redirect.url;
  call.route.voice_method = redirect.method;
  call.route.voice_fallback_url.clear();
  call.route.status_callback.clear();  // the parent's callbacks are not the leg's
  ctx_.StartLegSession(std::move(call), leg.dialog, std::move(leg.stream),
                       leg.start.value_or(absl::Now()));
  leg.dialog = nullptr;
}

void DialOperation::EndLeg(DialLeg& leg, CallState unanswered_end) {
  if (leg.ended) return;
  leg.ended = true;
  const CallSessionDeps& deps = ctx_.deps();
  if (deps.live != nullptr) deps.live->Remove(leg.call_sid, &leg);
  if (leg.dialog != nullptr) {
    if (leg.answered)
      leg.dialog->Bye();
    else
      leg.dialog->Cancel();
  }
  if (leg.stream != nullptr) {
    leg.stream->Unbridge();
    deps.rtp->Close(leg.stream);
  }
  const absl::Time end = absl::Now();
  const int64_t duration =
      leg.start ? absl::ToInt64Seconds(end - *leg.start + absl::Milliseconds(500)) : 0;
  const std::string status(CallStateText(leg.answered ? CallState::kCompleted : unanswered_end));
  CallRecords* store = deps.store;
  store->Submit(
      leg.call_sid, [store, sid = leg.call_sid, status, end, start = leg.start, duration] {
        if (absl::Status s = store->MarkEnded(sid, status, end, start, duration); !s.ok()) {
          log::Error("cannot record the end of a Dial leg", {{"call_sid", sid}, {"error", s}});
        }
      });
  if (deps.publish_usage) {
    if (auto usage = CallUsageFor(leg.call_sid, "outbound-dial", duration, leg.answered)) {
      deps.publish_usage(*usage, ctx_.route().account_sid);
    }
  }
  log::Info("dial leg ended", {{"call_sid", ctx_.call_sid()},
                               {"leg", leg.call_sid},
                               {"status", status},
                               {"duration", static_cast<long long>(duration)}});
}

void DialOperation::TearDown() {
  torn_down_ = true;
  if (CallAudio* caller = ctx_.audio()) caller->Unbridge();
  for (auto& leg : legs_) EndLeg(*leg, CallState::kCanceled);
  if (over_) std::exchange(over_, nullptr)();
}

RecordingSpec DialOperation::BridgeRecordingSpec() const {
  return {.trim = command_.options.trim == "trim-silence",
          .status_callback = command_.options.recording_status_callback,
          .source = "DialVerb",
          .started = bridged_at_};
}

void DialOperation::End(DialCallStatus status) {
  if (torn_down_) return;
  auto self = shared_from_this();  // `over_` drops the session's reference
  TearDown();
  DialResult result{.operation = command_.operation, .status = status};
  if (bridged_ != nullptr) {
    result.call_sid = bridged_->call_sid;
    result.duration_seconds =
        static_cast<int>(absl::ToInt64Seconds(absl::Now() - bridged_at_ + absl::Milliseconds(500)));
  } else if (!legs_.empty()) {
    result.call_sid = legs_.front()->call_sid;
  }
  CallAudio* caller = ctx_.audio();
  if (!recording_ || caller == nullptr) return done_(std::move(result));
  // The bridged call's recording goes with the result (RecordingUrl to the action).
  ctx_.StoreRecording(caller->StopCallRecording(), BridgeRecordingSpec(),
                      [result, done = done_](const SavedRecording& saved) mutable {
                        result.recording_url = saved.url;
                        done(std::move(result));
                      });
}

void DialOperation::Abandon() {
  if (torn_down_) return;
  auto self = shared_from_this();
  TearDown();
  CallAudio* caller = ctx_.audio();
  if (recording_ && caller != nullptr) {  // what was recorded of the bridge is kept
    ctx_.StoreRecording(caller->StopCallRecording(), BridgeRecordingSpec(),
                        [](const SavedRecording&) {});
  }
}

void DialOperation::HangUpLegs() {
  if (torn_down_) return;
  auto self = shared_from_this();
  torn_down_ = true;
  for (auto& leg : legs_) EndLeg(*leg, CallState::kCanceled);
  if (over_) std::exchange(over_, nullptr)();
}

}  // namespace dialtone::call_router
