// RecordOperation.
#include "calls/record_operation.h"

#include <cmath>
#include <utility>

#include "absl/strings/match.h"
#include "dialtone/log/log.h"

namespace dialtone::call_router {
namespace {

SharedSamples Beep() {
  static const SharedSamples beep = [] {
    auto s = std::make_shared<Samples>(4000);  // half a second of 1 kHz
    for (size_t i = 0; i < s->size(); ++i) {
      (*s)[i] = static_cast<int16_t>(6000 * std::sin(2 * M_PI * 1000 * i / 8000.0));
    }
    return s;
  }();
  return beep;
}

}  // namespace

RecordOperation::RecordOperation(VerbContext& ctx, RecordCommand command, uint64_t beep_id,
                                 Save save, Done done)
    : ctx_(ctx),
      command_(std::move(command)),
      beep_id_(beep_id),
      save_(std::move(save)),
      done_(std::move(done)) {}

void RecordOperation::Start() {
  CallAudio* audio = ctx_.audio();
  if (audio == nullptr) return;
  audio->DetectInbandDigits(true);
  if (command_.options.play_beep) {
    audio->Play(beep_id_, Beep());
  } else {
    OnBeepDone(beep_id_);
  }
}

void RecordOperation::OnBeepDone(uint64_t id) {
  CallAudio* audio = ctx_.audio();
  if (id != beep_id_ || capturing_ || saving_ || stopped_ || audio == nullptr) return;
  capturing_ = true;
  started_ = absl::Now();
  const Record& r = command_.options;
  audio->StartRecording(r.max_length * 1000, r.timeout * 1000);
}

void RecordOperation::OnDigit(char digit) {
  if (!capturing_ || !absl::StrContains(command_.options.finish_on_key, digit)) return;
  finished_on_key_ = std::string(1, digit);
  (void)StopCapture();
}

bool RecordOperation::StopCapture() {
  if (capturing_) {
    if (CallAudio* audio = ctx_.audio()) audio->StopRecording();
    return true;
  }
  if (saving_) return true;
  stopped_ = true;
  if (CallAudio* audio = ctx_.audio()) audio->DetectInbandDigits(false);
  return false;
}

void RecordOperation::OnRecorded(Samples audio, RecordEnd end) {
  if (!capturing_) return;
  capturing_ = false;
  saving_ = true;
  if (CallAudio* stream = ctx_.audio()) stream->DetectInbandDigits(false);
  log::Info("recording captured", {{"call_sid", ctx_.call_sid()},
                                   {"samples", static_cast<long long>(audio.size())},
                                   {"end", end == RecordEnd::kSilence     ? "silence"
                                           : end == RecordEnd::kMaxLength ? "max-length"
                                                                          : "stopped"}});
  const Record& r = command_.options;
  save_(std::move(audio),
        {.trim = r.trim != "do-not-trim",
         .status_callback = r.recording_status_callback,
         .source = "RecordVerb",
         .started = started_},
        [self = shared_from_this()](const SavedRecording& saved) {
          self->done_(RecordingDone{.operation = self->command_.operation,
                                    .url = saved.url,
                                    .sid = saved.sid,
                                    .duration_seconds = static_cast<int>(saved.seconds),
                                    .finished_on_key = self->finished_on_key_});
        });
}

}  // namespace dialtone::call_router
