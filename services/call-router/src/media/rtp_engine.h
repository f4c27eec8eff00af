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
#include "media/bridge_frames.h"
#include "media/call_audio.h"
#include "media/digit_receiver.h"
#include "media/playout.h"
#include "media/recorder.h"
#include "media/rtp_source_check.h"

namespace dialtone::call_router {

class RtpEngine;

// One call leg's RTP on a UDP port pair (CallAudio). Thread-safe; the engine's thread receives
// and ticks. It takes packets only from its far end (media/rtp_source_check): the SDP's IP until
// a source latches (any source in NAT mode), then that source alone; the rest are dropped and
// counted (RtpStats::foreign_packets_dropped).
class RtpStream final : public CallAudio {
 public:
  int port() const override { return port_; }
  void SetRemote(const std::string& address, int port, int payload_type,
                 int dtmf_payload_type) override;
  void SetListener(std::shared_ptr<RtpListener> listener) override;
  void Play(uint64_t id, SharedSamples audio, int loop = 1) override;
  void PlayDigits(uint64_t id, const std::string& digits) override;
  void StopPlayback() override;
  void DetectInbandDigits(bool on) override;
  void StartRecording(int max_ms, int silence_ms) override;
  void StopRecording() override;
  void StartCallRecording() override;
  Samples StopCallRecording() override;
  // `other` must be an RtpStream (of any engine); anything else unbridges.
  void BridgeTo(std::shared_ptr<CallAudio> other) override;
  void Unbridge() override;
  RtpStats stats() override;
  void AddTap(std::shared_ptr<AudioTap> tap) override;
  void RemoveTap(const AudioTap* tap) override;

  // `nat`: the first source latches whatever the SDP says (DIALTONE_RTP_NAT).
  RtpStream(int port, int rtp_fd, int rtcp_fd, bool nat = false);
  ~RtpStream() override;
  RtpStream(const RtpStream&) = delete;
  RtpStream& operator=(const RtpStream&) = delete;

 private:
  friend class RtpEngine;
  // RTP thread: one tick (20 ms): the next frame goes out; `late` for a catch-up frame.
  void Tick(int64_t now_ms, bool late, std::vector<std::function<void()>>& notify);
  // False when the packet was dropped for its source.
  bool Receive(const uint8_t* data, size_t size, const sockaddr_in& from,
               std::vector<std::function<void()>>& notify);
  void SendRtcp();
  void SendAudio(const int16_t* frame, bool marker);                 // under mu_
  bool SendDigitPacket(std::vector<std::function<void()>>& notify);  // under mu_
  // What the leg heard (or silence for a tick that brought nothing): DTMF, recording.
  void HeardLocked(const int16_t* frame, int samples, std::vector<std::function<void()>>& notify);
  void FromBridge(Samples audio);

  const int port_;
  const int rtp_fd_;
  const int rtcp_fd_;
  std::mutex mu_;
  std::shared_ptr<RtpListener> listener_;
  bool has_remote_ = false;
  RtpSourceRule source_rule_;
  std::optional<RtpSource> latched_;  // where the far end's packets come from
  sockaddr_in remote_{};
  sockaddr_in remote_rtcp_{};
  int payload_type_ = 0;
  int dtmf_payload_type_ = -1;
  uint32_t ssrc_ = 0;
  uint16_t sequence_ = 0;
  uint32_t timestamp_ = 0;
  bool talking_ = false;
  Playout playout_;
  uint32_t digit_timestamp_ = 0;  // of the RFC 4733 event being sent
  // Receiving.
  bool have_sequence_ = false;
  uint16_t expected_sequence_ = 0;
  DigitReceiver digits_;  // RFC 4733 and in-band
  Recorder recorder_;     // <Record>
  CallMix call_mix_;      // Record=true, <Dial record>
  int heard_this_tick_ = 0;
  int quiet_ticks_ = 0;  // ticks in a row without a packet
  std::weak_ptr<RtpStream> bridge_;
  BridgeFrames bridged_in_;  // from the bridged leg, to send
  int64_t next_rtcp_ms_ = 0;
  RtpStats stats_;
  std::vector<std::shared_ptr<AudioTap>> taps_;  // media streams
  bool closed_ = false;
};

// Owns the thread and the port range.
//
//   RtpEngine rtp({.bind_host = "127.0.0.1", .port_min = 20000, .port_max = 20999});
//   rtp.Start();
//   auto leg = rtp.Open();            // port for the SDP
//   (*leg)->SetRemote(...); (*leg)->Play(...);
//   rtp.Close(*leg);
class RtpEngine final : public CallAudioPorts {
 public:
  struct Options {
    std::string bind_host = "0.0.0.0";
    int port_min = 20000;  // even ports from here (RTP), the next odd one for RTCP
    int port_max = 29999;
    // NAT mode: each leg latches its first source, whatever its SDP says (else only the SDP's IP).
    bool nat = false;
    // Called on the RTP thread for each packet dropped for its source (a metric counts them).
    std::function<void()> on_foreign_packet;
  };
  explicit RtpEngine(Options options);
  ~RtpEngine() override;  // Stop()s
  absl::Status Start();
  void Stop();

  absl::StatusOr<std::shared_ptr<CallAudio>> Open() override;
  void Close(const std::shared_ptr<CallAudio>& leg) override;

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
