// Playout.
#include "media/playout.h"

#include <algorithm>
#include <cstring>

namespace dialtone::call_router {

void Playout::Play(uint64_t id, SharedSamples audio, int loop) {
  queue_.push_back({.id = id, .audio = std::move(audio), .loop = loop < 1 ? 1 : loop});
}

void Playout::PlayDigits(uint64_t id, std::string digits) {
  queue_.push_back({.id = id, .digits = digits.empty() ? std::string("w") : std::move(digits)});
}

std::vector<uint64_t> Playout::Clear() {
  std::vector<uint64_t> dropped;
  for (const Entry& e : queue_) dropped.push_back(e.id);
  queue_.clear();
  offset_ = 0;
  round_ = 0;
  digit_index_ = 0;
  digit_ticks_ = 0;
  return dropped;
}

bool Playout::NextFrame(int16_t* frame, std::vector<uint64_t>& done) {
  int filled = 0;
  while (filled < kSamplesPerFrame && !queue_.empty() && queue_.front().digits.empty()) {
    Entry& front = queue_.front();
    const Samples& audio = front.audio != nullptr ? *front.audio : Samples();
    if (offset_ >= audio.size()) {
      if (++round_ < front.loop && !audio.empty()) {
        offset_ = 0;
        continue;
      }
      done.push_back(front.id);
      queue_.pop_front();
      offset_ = 0;
      round_ = 0;
      continue;
    }
    const size_t n = std::min<size_t>(kSamplesPerFrame - filled, audio.size() - offset_);
    std::memcpy(frame + filled, audio.data() + offset_, n * sizeof(int16_t));
    filled += static_cast<int>(n);
    offset_ += n;
  }
  if (filled == 0) return false;
  std::fill(frame + filled, frame + kSamplesPerFrame, 0);
  return true;
}

std::optional<Playout::DigitTick> Playout::NextDigit(std::vector<uint64_t>& done) {
  if (!digits_next()) return std::nullopt;
  Entry& front = queue_.front();
  while (digit_index_ < front.digits.size()) {
    const char digit = front.digits[digit_index_];
    const int code = DtmfEventCode(digit);
    const int tone_ticks = code < 0 ? 0 : kDigitToneTicks;
    const int total = code < 0 ? ((digit == 'w' || digit == 'W') ? kDigitPauseTicks : 0)
                               : kDigitToneTicks + kDigitGapTicks;
    if (digit_ticks_ >= total) {  // this digit is done: the next one
      ++digit_index_;
      digit_ticks_ = 0;
      continue;
    }
    const int tick = digit_ticks_++;
    if (tick >= tone_ticks) return std::nullopt;  // a gap or pause: silence this tick
    return DigitTick{.event = {.event = code,
                               .end = tick == tone_ticks - 1,
                               .volume = 10,
                               .duration = static_cast<uint16_t>((tick + 1) * kSamplesPerFrame)},
                     .first = tick == 0};
  }
  // All digits sent.
  done.push_back(front.id);
  queue_.pop_front();
  digit_index_ = 0;
  digit_ticks_ = 0;
  return std::nullopt;
}

}  // namespace dialtone::call_router
