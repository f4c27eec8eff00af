// What a call leg plays, one 20 ms tick at a time: queued audio (each entry played `loop` times)
// and RFC 4733 digit strings with their timing (a 100 ms tone, 60 ms of silence; "w" waits half a
// second). Pure and not thread-safe: the RtpStream that owns it calls it under its lock and puts
// what it returns on the wire.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "media/call_audio.h"
#include "media/rtp_wire.h"

namespace dialtone::call_router {

inline constexpr int kDigitToneTicks = 5;    // a digit's tone: 100 ms
inline constexpr int kDigitGapTicks = 3;     // then 60 ms of silence
inline constexpr int kDigitPauseTicks = 25;  // "w": half a second

class Playout {
 public:
  void Play(uint64_t id, SharedSamples audio, int loop);
  // Digits sent as RFC 4733 events ("" is a pause).
  void PlayDigits(uint64_t id, std::string digits);
  // Drops everything queued; the ids dropped, in order.
  std::vector<uint64_t> Clear();
  bool empty() const { return queue_.empty(); }
  // The entry in front is a digit string (NextDigit), not audio (NextFrame).
  bool digits_next() const { return !queue_.empty() && !queue_.front().digits.empty(); }

  // The next frame of audio entries into `frame` (kSamplesPerFrame, padded with silence);
  // false when there was none. The ids of entries that finished are appended to `done`.
  bool NextFrame(int16_t* frame, std::vector<uint64_t>& done);

  // This tick of the digit string in front: the event to send, or nothing (a gap, a pause, or
  // the string finished: its id is then appended to `done`).
  struct DigitTick {
    DtmfEvent event;
    bool first = false;  // the digit's first packet: marker bit, a new event timestamp
  };
  std::optional<DigitTick> NextDigit(std::vector<uint64_t>& done);

 private:
  struct Entry {
    uint64_t id = 0;
    SharedSamples audio;
    int loop = 1;
    std::string digits;  // RFC 4733 when not empty
  };
  std::deque<Entry> queue_;
  size_t offset_ = 0;  // samples into queue_.front()
  int round_ = 0;      // plays of queue_.front() done
  size_t digit_index_ = 0;
  int digit_ticks_ = 0;  // ticks spent on the current digit
};

}  // namespace dialtone::call_router
