// GatherOperation.
#include "calls/gather_operation.h"

#include <utility>

namespace dialtone::call_router {

GatherOperation::GatherOperation(VerbContext& ctx, CollectDigitsCommand command,
                                 uint64_t first_play_id, Done done)
    : ctx_(ctx),
      command_(std::move(command)),
      first_play_id_(first_play_id),
      done_(std::move(done)) {}

void GatherOperation::Start() {
  if (CallAudio* audio = ctx_.audio()) audio->DetectInbandDigits(true);
  if (command_.prompts.empty()) {
    prompts_done_ = true;
    return ArmTimer();
  }
  QueuePrompt(0);
}

void GatherOperation::QueuePrompt(size_t index) {
  CallAudio* audio = ctx_.audio();
  if (ended_ || prompts_done_ || audio == nullptr || index >= command_.prompts.size()) return;
  const MediaRequest& m = command_.prompts[index];
  const uint64_t id = first_play_id_ + index;
  if (!NeedsMediaLayer(m)) {
    if (m.kind == MediaKind::kDigits)
      audio->PlayDigits(id, m.digits);
    else
      audio->Play(id, SilenceOf(m.silence_seconds));
    return QueuePrompt(index + 1);
  }
  // Prompts go out in order: the next one is queued once this one's audio is in hand.
  ctx_.media().With(m, [weak = weak_from_this(), id, index,
                        loop = m.loop](const AudioSource::AudioResult& result) {
    auto self = weak.lock();
    if (self == nullptr || self->ended_ || self->prompts_done_) return;
    CallAudio* audio = self->ctx_.audio();
    if (audio == nullptr) return;
    audio->Play(id, result.ok() ? *result : std::make_shared<Samples>(), loop);
    self->QueuePrompt(index + 1);
  });
}

void GatherOperation::OnPlayDone(uint64_t id) {
  if (ended_ || prompts_done_ || id < first_play_id_) return;
  if (id - first_play_id_ + 1 == command_.prompts.size()) {
    prompts_done_ = true;
    ArmTimer();
  }
}

void GatherOperation::ArmTimer() {
  const uint64_t timer = ++timer_;
  ctx_.loop().RunAfter(absl::Seconds(command_.timeout_seconds), [weak = weak_from_this(), timer] {
    auto self = weak.lock();
    if (self != nullptr && !self->ended_ && self->timer_ == timer) {
      self->End(GatherEnd::kTimeout);
    }
  });
}

void GatherOperation::OnDigit(char digit) {
  if (ended_) return;
  if (!prompts_done_ && command_.barge_in) {  // a key stops the prompts
    prompts_done_ = true;
    if (CallAudio* audio = ctx_.audio()) audio->StopPlayback();
  }
  if (!command_.finish_on_key.empty() && command_.finish_on_key[0] == digit) {
    return End(GatherEnd::kFinishOnKey);
  }
  digits_ += digit;
  if (command_.num_digits && static_cast<int>(digits_.size()) >= *command_.num_digits) {
    return End(GatherEnd::kNumDigits);
  }
  if (prompts_done_) ArmTimer();  // the timeout runs again from each key
}

void GatherOperation::Stop() {
  ended_ = true;
  if (CallAudio* audio = ctx_.audio()) audio->DetectInbandDigits(false);
}

void GatherOperation::End(GatherEnd end) {
  auto self = shared_from_this();  // `done_` drops the session's reference
  ended_ = true;
  if (CallAudio* audio = ctx_.audio()) {
    audio->DetectInbandDigits(false);
    if (!prompts_done_) audio->StopPlayback();
  }
  DigitsCollected event;
  event.operation = command_.operation;
  event.digits = digits_;
  event.end = end;
  done_(std::move(event));
}

}  // namespace dialtone::call_router
