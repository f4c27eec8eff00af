// Recorder and CallMix.
#include "media/recorder.h"

#include <algorithm>

#include "media/rtp_wire.h"

namespace dialtone::call_router {
namespace {
constexpr int kSilenceLevel = 200;  // mean |sample| below this is silence (about -44 dBFS)
constexpr int kSamplesPerMs = 8;
}  // namespace

bool IsSilent(const int16_t* frame, int n) {
  if (n <= 0) return true;
  int64_t sum = 0;
  for (int i = 0; i < n; ++i) sum += frame[i] < 0 ? -frame[i] : frame[i];
  return sum / n < kSilenceLevel;
}

void Recorder::Start(int max_ms, int silence_ms) {
  active_ = true;
  silent_run_ = 0;
  recorded_.clear();
  max_samples_ = max_ms * kSamplesPerMs;
  silence_samples_ = silence_ms * kSamplesPerMs;
}

std::optional<RecordEnd> Recorder::Add(const int16_t* frame, int samples) {
  if (!active_) return std::nullopt;
  recorded_.insert(recorded_.end(), frame, frame + samples);
  silent_run_ = IsSilent(frame, samples) ? silent_run_ + samples : 0;
  std::optional<RecordEnd> end;
  if (max_samples_ > 0 && static_cast<int>(recorded_.size()) >= max_samples_) {
    end = RecordEnd::kMaxLength;
  } else if (silence_samples_ > 0 && silent_run_ >= silence_samples_) {
    end = RecordEnd::kSilence;
  }
  if (end) active_ = false;
  return end;
}

Samples Recorder::Take() {
  active_ = false;
  Samples out;
  out.swap(recorded_);
  return out;
}

void CallMix::Start() {
  active_ = true;
  mix_.clear();
  ticks_ = 0;
  heard_at_ = 0;
}

void CallMix::Sent(const int16_t* frame, bool sound) {
  if (!active_) return;
  const size_t at = ticks_++ * kSamplesPerFrame;
  if (sound) {
    MixAt(at, frame, kSamplesPerFrame);
  } else if (mix_.size() < at + kSamplesPerFrame) {
    mix_.resize(at + kSamplesPerFrame, 0);
  }
}

void CallMix::Heard(const int16_t* frame, int samples) {
  if (!active_) return;
  const size_t now = ticks_ * kSamplesPerFrame;
  if (heard_at_ + 3 * kSamplesPerFrame < now || heard_at_ > now + 3 * kSamplesPerFrame) {
    heard_at_ = now;
  }
  MixAt(heard_at_, frame, samples);
  heard_at_ += static_cast<size_t>(samples);
}

Samples CallMix::Take() {
  active_ = false;
  Samples out;
  out.swap(mix_);
  return out;
}

void CallMix::MixAt(size_t at, const int16_t* samples, int n) {
  if (mix_.size() < at + n) mix_.resize(at + n, 0);
  for (int i = 0; i < n; ++i) {
    const int sum = mix_[at + i] + samples[i];
    mix_[at + i] = static_cast<int16_t>(std::clamp(sum, -32768, 32767));
  }
}

}  // namespace dialtone::call_router
