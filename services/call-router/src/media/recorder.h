// What a leg hears, captured: a <Record> (until a length or a run of silence) and a whole-call
// recording (what is sent and what is heard, mixed in time). Pure; not thread-safe: the
// RtpStream that owns them calls them under its lock, on the RTP thread or an API thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace dialtone::call_router {

using Samples = std::vector<int16_t>;  // 8 kHz mono linear PCM

// Why a recording stopped.
enum class RecordEnd { kSilence, kMaxLength, kStopped };

// True when the mean absolute level of `frame` is below about -40 dBFS.
bool IsSilent(const int16_t* frame, int n);

// One <Record>: every heard sample until `max_ms`, or `silence_ms` of silence in a row.
//
//   Recorder r;
//   r.Start(/*max_ms=*/30000, /*silence_ms=*/5000);
//   if (auto end = r.Add(frame, 160)) Deliver(r.Take(), *end);
class Recorder {
 public:
  // 0 for either: no such limit.
  void Start(int max_ms, int silence_ms);
  bool active() const { return active_; }
  // Adds heard samples (silence for a tick that brought none); how the recording ended when
  // these ended it (it is then inactive, its audio waiting in Take).
  std::optional<RecordEnd> Add(const int16_t* frame, int samples);
  // Stops it and hands over what was recorded.
  Samples Take();

 private:
  bool active_ = false;
  int max_samples_ = 0;
  int silence_samples_ = 0;
  int silent_run_ = 0;
  Samples recorded_;
};

// The whole call, both directions: each tick's sent frame at its place in time, and what is
// heard at the tick it arrived in (a gap or a late start realigns it).
class CallMix {
 public:
  void Start();
  bool active() const { return active_; }
  // One tick's frame (kSamplesPerFrame) sent; `sound` false: silence, only time passes.
  void Sent(const int16_t* frame, bool sound);
  void Heard(const int16_t* frame, int samples);
  // Stops it and hands over the mix.
  Samples Take();

 private:
  void MixAt(size_t at, const int16_t* samples, int n);
  bool active_ = false;
  Samples mix_;
  size_t ticks_ = 0;     // ticks since the start
  size_t heard_at_ = 0;  // where the next heard sample goes
};

}  // namespace dialtone::call_router
