// CallSession: one inbound call from INVITE to the final Call row.
#include "adapters/call_session.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "dialtone/core/sid.h"
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

template <typename Fn>
auto CallSession::OnSipThread(Fn fn) {
  return [loop = deps_.loop, weak = weak_from_this(), fn = std::move(fn)](auto... args) {
    loop->Post([weak, fn, args...]() mutable {
      if (auto self = weak.lock()) fn(*self, std::move(args)...);
    });
  };
}

CallSession::CallSession(CallSessionDeps deps, SipDialog& dialog, SipInvite invite)
    : deps_(deps), dialog_(&dialog), invite_(std::move(invite)),
      call_sid_(core::NewSid(core::kCallPrefix)) {}

void CallSession::Start() {
  if (invite_.to_user.empty()) {
    finished_ = true;
    dialog_->Refuse(404, "Not Found");
    return;
  }
  NewCall row{.sid = call_sid_, .from = Facts().from, .to = invite_.to_user};
  auto done = OnSipThread([](CallSession& s, std::shared_ptr<absl::StatusOr<CallRoute>> r) {
    s.OnRouted(std::move(*r));
  });
  CallStore* store = deps_.store;
  store->Submit([store, row, done]() mutable {
    auto route = std::make_shared<absl::StatusOr<CallRoute>>(store->Route(row.to));
    if (route->ok()) {
      row.account_sid = (*route)->account_sid;
      row.phone_number_sid = (*route)->phone_number_sid;
      row.to = (*route)->phone_number;
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
    } else {
      log::Error("call routing failed", {{"to", invite_.to_user}, {"error", route.status()}});
      if (dialog_ != nullptr) dialog_->Refuse(503, "Service Unavailable");
    }
    finished_ = true;
    return;
  }
  route_ = *std::move(route);
  callbacks_.emplace(std::vector<CallEvent>{});  // a number's callback hears "completed"
  if (finished_) return WriteEnd();  // CANCELed while we looked the number up
  log::Info("inbound call", {{"call_sid", call_sid_}, {"to", route_->phone_number},
                             {"from", Facts().from}, {"url", route_->voice_url}});
  dialog_->Ring();
  Step(CallStarted{route_->voice_url, route_->voice_method, false});
}

void CallSession::Step(ExecutorEvent event) {
  StepResult r = deps_.executor->Step(state_, std::move(event));
  state_ = std::move(r.state);
  for (const ExecutorCommand& c : r.commands) Execute(c);
}

void CallSession::Execute(const ExecutorCommand& command) {
  // After the end only posts to action URLs (response ignored) still go out.
  if (finished_ && !std::holds_alternative<FetchDocumentCommand>(command)) return;
  std::visit(
      Overloaded{
          [this](const AnswerCommand&) { Answer(); },
          [this](const PlayCommand&) { RefuseAudioVerb("Say/Play"); },
          [this](const CollectDigitsCommand&) { RefuseAudioVerb("Gather"); },
          [this](const RecordCommand&) { RefuseAudioVerb("Record"); },
          [this](const DialCommand&) { RefuseAudioVerb("Dial"); },
          [this](const FetchDocumentCommand& c) { Fetch(c); },
          [this](const StartTimerCommand& c) {
            auto fire = OnSipThread([op = c.operation](CallSession& s) { s.Step(TimerFired{op}); });
            deps_.loop->RunAfter(absl::Seconds(c.seconds), [fire] { fire(); });
          },
          [this](const HangupCommand& c) { HangUp(c.error); },
          [this](const RejectCommand& c) {
            // Twilio: the call ends "busy" for reason=busy and "no-answer" for rejected.
            if (c.reason == RejectReason::kBusy) return Refuse(486, "Busy Here", "busy");
            Refuse(603, "Decline", "no-answer");
          },
      },
      command);
}

void CallSession::Fetch(const FetchDocumentCommand& c) {
  if (!route_ || (finished_ && !c.response_ignored)) return;
  AppParams params = VoiceRequestParams(Facts());
  params.insert(params.end(), c.parameters.begin(), c.parameters.end());
  if (c.response_ignored) {
    deps_.http->SendCallback({.url = c.url, .method = c.method, .params = std::move(params),
                              .auth_token = route_->auth_token});
    return;
  }
  AppHttpClient::DocumentRequest req{.url = c.url, .method = c.method,
                                     .params = std::move(params),
                                     .auth_token = route_->auth_token};
  if (first_fetch_) {  // the number's fallback covers the document its voice URL names
    req.fallback_url = route_->voice_fallback_url;
    req.fallback_method = route_->voice_fallback_method;
    first_fetch_ = false;
  }
  auto done = OnSipThread(
      [op = c.operation](CallSession& s, std::shared_ptr<AppHttpClient::DocumentResult> r) {
        if (!r->program.ok()) {
          log::Error("TwiML fetch failed",
                     {{"call_sid", s.call_sid_}, {"error", r->program.status()}});
        }
        s.Step(DocumentFetched{op, std::move(r->program)});
      });
  deps_.http->FetchDocument(std::move(req), [done](AppHttpClient::DocumentResult r) {
    done(std::make_shared<AppHttpClient::DocumentResult>(std::move(r)));
  });
}

void CallSession::Answer() {
  if (answered_ || dialog_ == nullptr) return;
  answered_ = true;
  dialog_->Answer();
  start_time_ = absl::Now();
  call_status_ = "in-progress";
  CallStore* store = deps_.store;
  store->Submit([store, sid = call_sid_, start = *start_time_] {
    if (absl::Status s = store->MarkInProgress(sid, start); !s.ok()) {
      log::Error("cannot mark call in-progress", {{"call_sid", sid}, {"error", s}});
    }
  });
}

void CallSession::Refuse(int sip_status, const char* phrase, const std::string& call_status) {
  if (dialog_ != nullptr) dialog_->Refuse(sip_status, phrase);
  Finish(call_status);
}

void CallSession::HangUp(const absl::Status& error) {
  if (!error.ok()) {
    log::Error("call ended by an error", {{"call_sid", call_sid_}, {"error", error}});
  }
  if (answered_) {
    if (dialog_ != nullptr) dialog_->Bye();
    return Finish("completed");
  }
  Refuse(500, "Server Internal Error", "failed");
}

void CallSession::RefuseAudioVerb(const char* verb) {
  log::Error(absl::StrCat("<", verb, "> needs the audio path, which call-router does not have "
                          "yet (call router part 2); ending the call"),
             {{"call_sid", call_sid_}});
  state_.ended = true;
  HangUp(absl::UnimplementedError(absl::StrCat(verb, " is not supported yet")));
}

void CallSession::OnCallerBye() {
  Finish("completed");
  Step(CallerHungUp{});
}

void CallSession::OnCancel() {
  Finish("canceled");
  Step(CallerHungUp{});
}

void CallSession::OnTerminated() {
  dialog_ = nullptr;
  if (!finished_) Finish(answered_ ? "completed" : "failed");
}

void CallSession::Finish(const std::string& call_status) {
  if (finished_) return;
  finished_ = true;
  call_status_ = call_status;
  end_time_ = absl::Now();
  duration_ = start_time_ ? absl::ToInt64Seconds(*end_time_ - *start_time_ + absl::Milliseconds(500))
                          : 0;
  if (route_) WriteEnd();  // else OnRouted writes it once the row exists
}

void CallSession::WriteEnd() {
  log::Info("call ended", {{"call_sid", call_sid_}, {"status", call_status_},
                           {"duration", static_cast<long long>(duration_.value_or(0))}});
  CallStore* store = deps_.store;
  store->Submit([store, sid = call_sid_, status = call_status_, end = *end_time_,
                 start = start_time_, duration = duration_.value_or(0)] {
    if (absl::Status s = store->MarkEnded(sid, status, end, start, duration); !s.ok()) {
      log::Error("cannot record the end of a call", {{"call_sid", sid}, {"error", s}});
    }
  });
  if (deps_.publish_usage) {
    if (auto usage = CallUsageFor(call_sid_, "inbound", duration_.value_or(0),
                                  start_time_.has_value())) {
      deps_.publish_usage(*usage, route_->account_sid);
    }
  }
  if (route_->status_callback.empty()) return;
  if (auto params = callbacks_->Next(CallEvent::kCompleted, Facts(), *end_time_)) {
    deps_.http->SendCallback({.url = route_->status_callback,
                              .method = route_->status_callback_method,
                              .params = *std::move(params),
                              .auth_token = route_->auth_token});
  }
}

CallFacts CallSession::Facts() const {
  CallFacts f;
  f.call_sid = call_sid_;
  f.from = invite_.from_user.empty() ? invite_.from_uri : invite_.from_user;
  f.to = route_ ? route_->phone_number : invite_.to_user;
  f.account_sid = route_ ? route_->account_sid : std::string();
  f.direction = "inbound";
  f.call_status = call_status_;
  if (finished_) f.duration_seconds = duration_;
  return f;
}

}  // namespace dialtone::call_router
