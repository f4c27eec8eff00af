// How each verb starts on the call: the commands it emits, and whether the
// executor then waits for a reply.
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "calls/executor_stepper.h"

namespace dialtone::call_router {

MediaRequest MediaFor(const Say& say) {
  MediaRequest media;
  media.kind = MediaKind::kSpeech;
  media.text = say.text;
  media.voice = say.voice;
  media.language = say.language;
  media.loop = say.loop;
  return media;
}

MediaRequest MediaFor(const Play& play) {
  MediaRequest media;
  media.kind = play.digits.empty() ? MediaKind::kAudioUrl : MediaKind::kDigits;
  media.url = play.url;
  media.digits = play.digits;
  media.loop = play.loop;
  return media;
}

MediaRequest MediaFor(const Pause& pause) {
  MediaRequest media;
  media.kind = MediaKind::kSilence;
  media.silence_seconds = pause.length;
  return media;
}

bool NeedsMediaLayer(const MediaRequest& media) {
  return media.kind == MediaKind::kSpeech || media.kind == MediaKind::kAudioUrl;
}

namespace {

struct PromptMedia {
  std::vector<MediaRequest>& out;
  void operator()(const Say& say) const {
    if (!say.text.empty()) out.push_back(MediaFor(say));
  }
  void operator()(const Play& play) const { out.push_back(MediaFor(play)); }
  void operator()(const Pause& pause) const { out.push_back(MediaFor(pause)); }
};

CollectDigitsCommand CollectFor(const Gather& gather) {
  CollectDigitsCommand command;
  for (const GatherPrompt& prompt : gather.prompts)
    std::visit(PromptMedia{command.prompts}, prompt);
  command.dtmf = gather.input_dtmf;
  command.timeout_seconds = gather.timeout;
  command.finish_on_key = gather.finish_on_key;
  command.num_digits = gather.num_digits;
  command.barge_in = gather.barge_in;
  if (gather.input_speech) {
    command.speech = SpeechRecognition{gather.language,
                                       gather.hints,
                                       gather.speech_timeout,
                                       gather.max_speech_time,
                                       gather.speech_model,
                                       gather.profanity_filter,
                                       gather.partial_result_callback,
                                       gather.partial_result_callback_method};
  }
  return command;
}

}  // namespace

bool Stepper::Start(const Say& say) {
  if (say.text.empty()) return false;
  EnsureAnswered();
  Emit(PlayCommand{Await(Awaiting::kPlayback), MediaFor(say)});
  return true;
}

bool Stepper::Start(const Play& play) {
  EnsureAnswered();
  Emit(PlayCommand{Await(Awaiting::kPlayback), MediaFor(play)});
  return true;
}

bool Stepper::Start(const Pause& pause) {
  // Before the answer this delays answering, as Twilio does.
  Emit(StartTimerCommand{Await(Awaiting::kTimer), pause.length});
  return true;
}

bool Stepper::Start(const Gather& gather) {
  EnsureAnswered();
  CollectDigitsCommand command = CollectFor(gather);
  command.operation = Await(Awaiting::kInput);
  Emit(std::move(command));
  return true;
}

bool Stepper::Start(const Record& record) {
  EnsureAnswered();
  Emit(RecordCommand{Await(Awaiting::kRecording), record});
  return true;
}

bool Stepper::Start(const Dial& dial) {
  if (!dial.answer_on_bridge) EnsureAnswered();
  Emit(DialCommand{Await(Awaiting::kDial), dial});
  return true;
}

bool Stepper::Start(const Hangup& hangup) {
  EnsureAnswered();  // Twilio: a <Hangup> first still answers; only <Reject> does not
  End(absl::OkStatus());
  return true;
}

bool Stepper::Start(const Redirect& redirect) {
  Fetch(redirect.url, redirect.method, {});
  return true;
}

bool Stepper::Start(const Reject& reject) {
  if (state().answered) {
    End(absl::OkStatus());
    return true;
  }
  Emit(RejectCommand{reject.reason});
  state().ended = true;
  return true;
}

bool Stepper::Start(const Enqueue& enqueue) {
  End(absl::UnimplementedError(
      absl::StrCat("<Enqueue> on line ", enqueue.line, " is not supported yet")));
  return true;
}

bool Stepper::Start(const Connect& connect) {
  EnsureAnswered();
  Emit(ConnectStreamCommand{Await(Awaiting::kStream), connect.stream});
  return true;
}

bool Stepper::Start(const twiml::Start& start) {
  EnsureAnswered();  // the stream carries the call's media
  Emit(StartStreamCommand{start.stream});
  if (start.action.empty()) return false;
  Fetch(start.action, start.method, {});
  return true;
}

bool Stepper::Start(const Stop& stop) {
  Emit(StopStreamCommand{stop.stream.name});
  return false;
}

}  // namespace dialtone::call_router
