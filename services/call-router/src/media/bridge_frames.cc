// BridgeFrames.
#include "media/bridge_frames.h"

#include <algorithm>

#include "media/rtp_wire.h"

namespace dialtone::call_router {

void BridgeFrames::Push(const int16_t* audio, size_t samples) {
  for (size_t at = 0; at < samples; at += kSamplesPerFrame) {
    Samples frame(kSamplesPerFrame, 0);
    std::copy(audio + at, audio + std::min(samples, at + kSamplesPerFrame), frame.begin());
    if (frames_.size() >= kMaxFrames) frames_.pop_front();
    frames_.push_back(std::move(frame));
  }
}

bool BridgeFrames::Pop(int16_t* frame) {
  if (frames_.empty()) return false;
  std::copy(frames_.front().begin(), frames_.front().end(), frame);
  frames_.pop_front();
  return true;
}

}  // namespace dialtone::call_router
