// A call leg's audio as the call session drives it, and where legs come from: the interfaces
// RtpStream and RtpEngine implement (media/rtp_engine.h), so that the session can be unit tested
// with fakes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "media/recorder.h"

namespace dialtone::call_router {

using SharedSamples = std::shared_ptr<const Samples>;

// What a leg reports. Called on the RTP thread: implementations hand the work to their own
// thread and return at once.
class RtpListener {
 public:
  virtual ~RtpListener() = default;
  virtual void OnDigit(char digit) = 0;
  // Play `id` finished (or was stopped).
  virtual void OnPlayDone(uint64_t id) = 0;
  virtual void OnRecordDone(Samples audio, RecordEnd end) = 0;
};

// A copy of a leg's audio as it flows, for media streams. Called on the RTP thread with the leg
// locked: an implementation queues what it needs and returns at once (never blocks, never calls
// back into the leg).
class AudioTap {
 public:
  virtual ~AudioTap() = default;
  // A packet the far end sent, decoded; `rtp_timestamp` from its header (8 kHz units).
  virtual void OnInbound(const int16_t* samples, int count, uint32_t rtp_timestamp) = 0;
  // The frame this leg sent on a tick (kSamplesPerFrame samples; silence when nothing played).
  virtual void OnOutbound(const int16_t* samples, int count) = 0;
};

// Counters of one leg, for tests, logs and benchmarks.
struct RtpStats {
  uint64_t packets_sent = 0;
  uint64_t packets_received = 0;
  uint64_t packets_lost = 0;             // sequence gaps in what we received
  uint64_t late_frames = 0;              // frames sent more than a tick late
  uint64_t foreign_packets_dropped = 0;  // from a source other than the far end's (not heard)
};

// One call leg's audio: what it plays, what it hears. Thread-safe.
class CallAudio {
 public:
  virtual ~CallAudio() = default;
  // The local RTP port (the one our SDP names).
  virtual int port() const = 0;
  // Where to send (the SDP's address). Symmetric RTP: the first packet received from the SDP's
  // IP (from anywhere in NAT mode) re-aims it at its source, and from then on only that source
  // is heard. `payload_type` 0 (PCMU) or 8 (PCMA); `dtmf_payload_type` -1 when none.
  virtual void SetRemote(const std::string& address, int port, int payload_type,
                         int dtmf_payload_type) = 0;
  virtual void SetListener(std::shared_ptr<RtpListener> listener) = 0;

  // Queues audio (played `loop` times) after what is queued; OnPlayDone(id) when it has gone out.
  virtual void Play(uint64_t id, SharedSamples audio, int loop = 1) = 0;
  // Queues RFC 4733 digits ("w" waits half a second); OnPlayDone(id) after the last.
  virtual void PlayDigits(uint64_t id, const std::string& digits) = 0;
  // Drops everything queued (barge-in); OnPlayDone for each dropped entry.
  virtual void StopPlayback() = 0;
  // In-band DTMF detection on what we receive; RFC 4733 digits are always reported.
  virtual void DetectInbandDigits(bool on) = 0;
  // Records what the leg hears until `max_ms`, or `silence_ms` of silence after some sound
  // (0: no silence end), or StopRecording(); then OnRecordDone.
  virtual void StartRecording(int max_ms, int silence_ms) = 0;
  virtual void StopRecording() = 0;
  // Records the whole call, what is sent and what is heard mixed in time, until
  // StopCallRecording hands it over.
  virtual void StartCallRecording() = 0;
  virtual Samples StopCallRecording() = 0;
  // Sends what this leg hears to `other` (transcoded to its codec), in place of its playback.
  // `other` comes from the same CallAudioPorts.
  virtual void BridgeTo(std::shared_ptr<CallAudio> other) = 0;
  virtual void Unbridge() = 0;
  virtual RtpStats stats() = 0;
  // Copies what the leg hears and sends to `tap` from now until RemoveTap (several at once).
  virtual void AddTap(std::shared_ptr<AudioTap> tap) = 0;
  virtual void RemoveTap(const AudioTap* tap) = 0;
};

// Opens and closes legs. Thread-safe.
class CallAudioPorts {
 public:
  virtual ~CallAudioPorts() = default;
  // A new leg on a free port pair; ResourceExhausted when the range is used up.
  virtual absl::StatusOr<std::shared_ptr<CallAudio>> Open() = 0;
  // Stops serving the leg and frees its ports (playback and recording callbacks stop).
  virtual void Close(const std::shared_ptr<CallAudio>& leg) = 0;
};

}  // namespace dialtone::call_router
