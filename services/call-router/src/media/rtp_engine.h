// The RTP side of calls: one UDP port pair per call leg, served by one epoll thread that sends
// every leg's 20 ms G.711 frame on a shared monotonic tick (absolute deadlines, so no drift).
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <netinet/in.h>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "media/digit_receiver.h"
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

// Counters of one leg, for tests, logs and benchmarks.
struct RtpStats {
  uint64_t packets_sent = 0;
  uint64_t packets_received = 0;
  uint64_t packets_lost = 0;  // sequence gaps in what we received
  uint64_t late_frames = 0;   // frames sent more than a tick late
};

class RtpEngine;

// One call leg's RTP: what it plays, what it hears. Thread-safe.
class RtpStream {
 public:
  int port() const { return port_; }
  // Where to send (the SDP's address). Symmetric RTP: the first packet received re-aims it at
  // its source. `payload_type` 0 (PCMU) or 8 (PCMA); `dtmf_payload_type` -1 when none.
  void SetRemote(const std::string& address, int port, int payload_type, int dtmf_payload_type);
  void SetListener(std::shared_ptr<RtpListener> listener);

  // Queues audio (played `loop` times) after what is queued; OnPlayDone(id) when it has gone out.
  void Play(uint64_t id, SharedSamples audio, int loop = 1);
  // Queues RFC 4733 digits ("w" waits half a second); OnPlayDone(id) after the last.
  void PlayDigits(uint64_t id, const std::string& digits);
  // Drops everything queued (barge-in); OnPlayDone for each dropped entry.
  void StopPlayback();
  // In-band DTMF detection (spandsp) on what we receive; RFC 4733 digits are always reported.
  void DetectInbandDigits(bool on);
  // Records what the leg hears until `max_ms`, or `silence_ms` of silence after some sound
  // (0: no silence end), or StopRecording(); then OnRecordDone.
  void StartRecording(int max_ms, int silence_ms);
  void StopRecording();
  // Records the whole call, what is sent and what is heard mixed in time, until
  // StopCallRecording hands it over.
  void StartCallRecording();
  Samples StopCallRecording();
  // Sends what this leg hears to `other` (transcoded to its codec), in place of its playback.
  void BridgeTo(std::shared_ptr<RtpStream> other);
  void Unbridge();
  RtpStats stats();

  RtpStream(int port, int rtp_fd, int rtcp_fd);
  ~RtpStream();
  RtpStream(const RtpStream&) = delete;
  RtpStream& operator=(const RtpStream&) = delete;

 private:
  friend class RtpEngine;
  struct Queued {
    uint64_t id = 0;
    SharedSamples audio;
    int loop = 1;
    std::string digits;  // RFC 4733 when not empty
  };
  // RTP thread: one tick (20 ms): the next frame goes out; `late` for a catch-up frame.
  void Tick(int64_t now_ms, bool late, std::vector<std::function<void()>>& notify);
  void Receive(const uint8_t* data, size_t size, const sockaddr_in& from,
               std::vector<std::function<void()>>& notify);
  void SendRtcp();
  bool NextFrame(int16_t* frame, std::vector<std::function<void()>>& notify);  // under mu_
  void SendAudio(const int16_t* frame, bool marker);                           // under mu_
  bool SendDigitPacket(std::vector<std::function<void()>>& notify);            // under mu_
  // What the leg heard (or silence for a tick that brought nothing): DTMF, recording.
  void HeardLocked(const int16_t* frame, int samples, std::vector<std::function<void()>>& notify);
  void FromBridge(Samples audio);

  const int port_;
  const int rtp_fd_;
  const int rtcp_fd_;
  std::mutex mu_;
  std::shared_ptr<RtpListener> listener_;
  bool has_remote_ = false;
  bool latched_ = false;
  sockaddr_in remote_{};
  sockaddr_in remote_rtcp_{};
  int payload_type_ = 0;
  int dtmf_payload_type_ = -1;
  uint32_t ssrc_ = 0;
  uint16_t sequence_ = 0;
  uint32_t timestamp_ = 0;
  bool talking_ = false;
  std::deque<Queued> queue_;
  size_t play_offset_ = 0;  // samples into queue_.front()
  int play_round_ = 0;
  // Digit being sent: position in the front entry's digits, packets sent for it.
  size_t digit_index_ = 0;
  int digit_packets_ = 0;
  uint32_t digit_timestamp_ = 0;
  // Receiving.
  bool have_sequence_ = false;
  uint16_t expected_sequence_ = 0;
  DigitReceiver digits_;  // RFC 4733 and in-band
  Recorder recorder_;     // <Record>
  CallMix call_mix_;      // Record=true, <Dial record>
  int heard_this_tick_ = 0;
  int quiet_ticks_ = 0;  // ticks in a row without a packet
  std::weak_ptr<RtpStream> bridge_;
  std::deque<Samples> bridged_in_;  // frames from the bridged leg, to send
  int64_t next_rtcp_ms_ = 0;
  RtpStats stats_;
  bool closed_ = false;
};

// Owns the thread and the port range.
//
//   RtpEngine rtp({.bind_host = "127.0.0.1", .port_min = 20000, .port_max = 20999});
//   rtp.Start();
//   auto leg = rtp.Open();            // port for the SDP
//   (*leg)->SetRemote(...); (*leg)->Play(...);
//   rtp.Close(*leg);
class RtpEngine {
 public:
  struct Options {
    std::string bind_host = "0.0.0.0";
    int port_min = 20000;  // even ports from here (RTP), the next odd one for RTCP
    int port_max = 29999;
  };
  explicit RtpEngine(Options options);
  ~RtpEngine();  // Stop()s
  absl::Status Start();
  void Stop();

  // A new leg on a free port pair; ResourceExhausted when the range is used up.
  absl::StatusOr<std::shared_ptr<RtpStream>> Open();
  // Stops serving the leg and frees its ports (playback and recording callbacks stop).
  void Close(const std::shared_ptr<RtpStream>& stream);

 private:
  void Loop();

  Options options_;
  int epoll_fd_ = -1;
  int timer_fd_ = -1;
  int wake_fd_ = -1;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::map<int, std::shared_ptr<RtpStream>> by_fd_ ABSL_GUARDED_BY(mu_);  // RTP and RTCP fds
  std::set<int> ports_in_use_ ABSL_GUARDED_BY(mu_);
  int next_port_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace dialtone::call_router
