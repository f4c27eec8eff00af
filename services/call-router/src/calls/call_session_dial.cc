// CallSession's side of <Dial> (the Dial itself is DialOperation): starting it, and a leg
// redirected out of its Dial becoming a session of its own.
#include "calls/call_session.h"

namespace dialtone::call_router {

void CallSession::StartDial(const DialCommand& c) {
  DialContext& context = *this;
  dial_ = std::make_shared<DialOperation>(
      context, c, [this] { dial_.reset(); },
      [this](DialResult r) {
        auto self = shared_from_this();  // Step may drop the last other owner
        Step(std::move(r));
      });
  // Start may end the Dial at once (no leg could be placed): hold it until it returns.
  std::shared_ptr<DialOperation> dial = dial_;
  dial->Start();
}

void CallSession::StartLegSession(OutboundCall call, SipDialog* dialog,
                                  std::shared_ptr<CallAudio> audio, absl::Time start) {
  auto session = std::make_shared<CallSession>(deps_, std::move(call));
  session->TakeOverLeg(dialog, std::move(audio), start);
}

void CallSession::TakeOverLeg(SipDialog* dialog, std::shared_ptr<CallAudio> stream,
                              absl::Time start) {
  dialog_ = dialog;
  if (dialog_ != nullptr) dialog_->SetHandler(shared_from_this());
  AdoptStream(std::move(stream));
  start_time_ = start;
  call_state_ = CallState::kInProgress;
  if (deps_.live != nullptr) deps_.live->Add(call_sid_, weak_from_this());
  Step(CallStarted{route_->voice_url, route_->voice_method, true, outbound_->document});
}

}  // namespace dialtone::call_router
