// What a bridged leg hears from its peer, waiting to go out: 20 ms frames (audio packetised
// otherwise is cut or padded), at most kMaxFrames of them (the oldest are dropped, so a peer
// that sends faster than we play cannot build up delay). Pure and not thread-safe: the
// RtpStream that owns it calls it under its lock. The conference mixer will sit beside it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>

#include "media/recorder.h"

namespace dialtone::call_router {

class BridgeFrames {
 public:
  static constexpr size_t kMaxFrames = 10;

  void Push(const int16_t* audio, size_t samples);
  // The oldest frame into `frame` (kSamplesPerFrame samples); false when none waits.
  bool Pop(int16_t* frame);
  void Clear() { frames_.clear(); }
  size_t size() const { return frames_.size(); }

 private:
  std::deque<Samples> frames_;
};

}  // namespace dialtone::call_router
