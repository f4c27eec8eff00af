// The executor's event handling: replies, hang-ups, fetches and the end.
#include "calls/executor_stepper.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "dialtone/core/twilio_error.h"

namespace dialtone::call_router {

bool Stepper::Expecting(Awaiting what, uint64_t operation) const {
  const ExecutionState& s = result_.state;
  return !s.ended && s.awaiting == what && s.operation == operation;
}

template <typename VerbType>
const VerbType& Stepper::CurrentVerb() const {
  const ExecutionState& s = result_.state;
  return std::get<VerbType>(s.program->verbs[s.next_verb - 1]);
}

uint64_t Stepper::Await(Awaiting what) {
  state().awaiting = what;
  if (what != Awaiting::kDocument) state().documents_without_media = 0;
  return ++state().operation;
}

void Stepper::EnsureAnswered() {
  if (state().answered) return;
  state().answered = true;
  Emit(AnswerCommand{});
}

void Stepper::End(absl::Status error) {
  Emit(HangupCommand{std::move(error)});
  state().ended = true;
  state().awaiting = Awaiting::kNothing;
}

void Stepper::Fetch(const std::string& url, HttpMethod method, Parameters parameters) {
  const int cap = state().quiet_document_cap.value_or(config_.max_documents_without_media);
  if (++state().documents_without_media > cap && cap > 0) {
    // Twilio's code for a TwiML session that keeps fetching documents (a Redirect loop).
    End(core::TwilioStatus(
        absl::StatusCode::kResourceExhausted, 14106,
        absl::StrCat("Document retrieval limit reached: ", state().documents_without_media - 1,
                     " documents in a row played nothing; is there a <Redirect> loop?")));
    return;
  }
  Emit(FetchDocumentCommand{Await(Awaiting::kDocument), url, method, std::move(parameters), false});
}

void Stepper::PostAfterHangup(const std::string& url, HttpMethod method, Parameters parameters) {
  Emit(FetchDocumentCommand{0, url, method, std::move(parameters), true});
  state().ended = true;
  state().awaiting = Awaiting::kNothing;
}

void Stepper::Resume(Awaiting what, uint64_t operation) {
  if (!Expecting(what, operation)) return Ignore();
  state().awaiting = Awaiting::kNothing;
  Advance();
}

void Stepper::Advance() {
  // Hold the program: a verb never replaces it, but keep the reference safe.
  const std::shared_ptr<const Program> program = state().program;
  while (!state().ended) {
    if (state().next_verb >= program->verbs.size()) {
      EnsureAnswered();  // Twilio answers, then hangs up (only Reject does not)
      return End(absl::OkStatus());
    }
    const Verb& verb = program->verbs[state().next_verb++];
    if (std::visit([this](const auto& v) { return Start(v); }, verb)) return;
  }
}

void Stepper::operator()(CallStarted& event) {
  if (state().started) return Ignore();
  state().started = true;
  state().answered = event.answered;
  if (event.document != nullptr) return RunDocument(event.document);
  Fetch(event.url, event.method, {});
}

void Stepper::RunDocument(std::shared_ptr<const Program> program) {
  state().program = std::move(program);
  state().next_verb = 0;
  Advance();
}

void Stepper::operator()(const ApiRedirect& event) {
  if (!state().started || state().ended || state().caller_hung_up) return Ignore();
  // A new operation id: the reply the call was waiting for (a Pause's timer, a document, a
  // prompt) is ignored when it comes.
  Await(Awaiting::kNothing);
  state().documents_without_media = 0;
  if (event.document != nullptr) return RunDocument(event.document);
  Fetch(event.url, event.method, {});
}

void Stepper::operator()(DocumentFetched& event) {
  if (!Expecting(Awaiting::kDocument, event.operation)) return Ignore();
  state().awaiting = Awaiting::kNothing;
  if (!event.program.ok()) return End(event.program.status());
  RunDocument(std::make_shared<const Program>(*std::move(event.program)));
}

void Stepper::operator()(const DigitsCollected& event) {
  if (!Expecting(Awaiting::kInput, event.operation)) return Ignore();
  state().awaiting = Awaiting::kNothing;
  const Gather& gather = CurrentVerb<Gather>();
  const bool has_input = !event.digits.empty() || !event.speech_result.empty();
  if (!has_input && !gather.action_on_empty_result) return Advance();
  Parameters parameters;
  if (gather.input_dtmf) parameters.emplace_back("Digits", event.digits);
  if (event.end == GatherEnd::kFinishOnKey && !gather.finish_on_key.empty()) {
    parameters.emplace_back("FinishedOnKey", gather.finish_on_key);
  }
  if (!event.speech_result.empty()) {
    parameters.emplace_back("SpeechResult", event.speech_result);
    if (event.confidence) parameters.emplace_back("Confidence", absl::StrCat(*event.confidence));
  }
  Fetch(gather.action, gather.method, std::move(parameters));
}

void Stepper::operator()(const RecordingDone& event) {
  if (!Expecting(Awaiting::kRecording, event.operation)) return Ignore();
  state().awaiting = Awaiting::kNothing;
  const Record& record = CurrentVerb<Record>();
  if (event.url.empty() || event.duration_seconds <= 0) {
    // Twilio does not post an empty recording; it moves on.
    if (state().caller_hung_up) {
      state().ended = true;
      return;
    }
    return Advance();
  }
  Parameters parameters = {{"RecordingUrl", event.url},
                           {"RecordingDuration", absl::StrCat(event.duration_seconds)}};
  if (!event.sid.empty()) parameters.emplace_back("RecordingSid", event.sid);
  parameters.emplace_back("Digits", state().caller_hung_up ? "hangup" : event.finished_on_key);
  if (state().caller_hung_up) {
    return PostAfterHangup(record.action, record.method, std::move(parameters));
  }
  Fetch(record.action, record.method, std::move(parameters));
}

void Stepper::operator()(const DialResult& event) {
  if (!Expecting(Awaiting::kDial, event.operation)) return Ignore();
  state().awaiting = Awaiting::kNothing;
  const Dial& dial = CurrentVerb<Dial>();
  // With answerOnBridge the call was answered when the callee picked up.
  if (event.status == DialCallStatus::kCompleted || event.status == DialCallStatus::kAnswered) {
    state().answered = true;
  }
  if (dial.action.empty()) {
    if (state().caller_hung_up) {
      state().ended = true;
      return;
    }
    return Advance();
  }
  Parameters parameters = {{"DialCallStatus", std::string(DialCallStatusName(event.status))}};
  if (!event.call_sid.empty()) parameters.emplace_back("DialCallSid", event.call_sid);
  parameters.emplace_back("DialCallDuration", absl::StrCat(event.duration_seconds));
  if (!event.recording_url.empty()) parameters.emplace_back("RecordingUrl", event.recording_url);
  if (state().caller_hung_up) {
    return PostAfterHangup(dial.action, dial.method, std::move(parameters));
  }
  Fetch(dial.action, dial.method, std::move(parameters));
}

void Stepper::operator()(const StreamEnded& event) {
  if (!Expecting(Awaiting::kStream, event.operation)) return Ignore();
  state().awaiting = Awaiting::kNothing;
  const Connect& connect = CurrentVerb<Connect>();
  if (connect.action.empty()) return Advance();
  Fetch(connect.action, connect.method, {});
}

void Stepper::operator()(const CallerHungUp& event) {
  if (state().ended || state().caller_hung_up) return Ignore();
  state().caller_hung_up = true;
  // Record and Dial-with-action still report, and Twilio posts their result.
  const bool reports = state().awaiting == Awaiting::kRecording ||
                       (state().awaiting == Awaiting::kDial && !CurrentVerb<Dial>().action.empty());
  if (reports) return;
  state().ended = true;
  state().awaiting = Awaiting::kNothing;
}

}  // namespace dialtone::call_router
