// RtpEngine: sockets, the epoll loop and the 20 ms tick; RtpStream: the wire side of a leg:
// what media/playout queues (audio, RFC 4733 events; in-band tones made with spandsp), what it
// hears for media/digit_receiver and media/recorder, bridging and RTCP.
#include "media/rtp_engine.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <random>

#include <spandsp.h>

#include "absl/strings/str_cat.h"
#include "dialtone/audio/audio.h"
#include "dialtone/log/log.h"
#include "media/rtp_wire.h"

namespace dialtone::call_router {
namespace {

constexpr int kTickMs = 20;
constexpr int kQuietGraceTicks = 3;

int64_t MonotonicMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

audio::G711 CodecOf(int payload_type) {
  return payload_type == kPayloadPcma ? audio::G711::kAlaw : audio::G711::kUlaw;
}

std::string ToString(const RtpSource& source) {
  return absl::StrCat(source.ip >> 24, ".", (source.ip >> 16) & 0xff, ".", (source.ip >> 8) & 0xff,
                      ".", source.ip & 0xff, ":", source.port);
}

// Reports the plays that finished, once the stream's lock is released.
void NotifyDone(const std::shared_ptr<RtpListener>& listener, const std::vector<uint64_t>& ids,
                std::vector<std::function<void()>>& notify) {
  if (listener == nullptr) return;
  for (uint64_t id : ids) notify.push_back([listener, id] { listener->OnPlayDone(id); });
}

}  // namespace

RtpStream::RtpStream(int port, int rtp_fd, int rtcp_fd, bool nat)
    : port_(port), rtp_fd_(rtp_fd), rtcp_fd_(rtcp_fd) {
  source_rule_.nat = nat;
  std::random_device random;
  ssrc_ = random();
  sequence_ = static_cast<uint16_t>(random());
  timestamp_ = random();
}

RtpStream::~RtpStream() = default;

void RtpStream::SetRemote(const std::string& address, int port, int payload_type,
                          int dtmf_payload_type) {
  std::lock_guard<std::mutex> lock(mu_);
  payload_type_ = payload_type == kPayloadPcma ? kPayloadPcma : kPayloadPcmu;
  dtmf_payload_type_ = dtmf_payload_type;
  source_rule_.sdp_ip = SdpIpv4(address);
  if (latched_) {
    if (LatchHolds(source_rule_, *latched_)) return;  // what actually arrived beats the SDP
    // Packets came before the SDP (an answer after early media) from another IP than it names:
    // not the far end. Only the SDP's IP may latch now.
    log::Warn("RTP latch released: its source is not the SDP's address",
              {{"port", port_}, {"source", ToString(*latched_)}, {"sdp_address", address}});
    latched_.reset();
    has_remote_ = false;
    have_sequence_ = false;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (port <= 0 || inet_pton(AF_INET, address.c_str(), &addr.sin_addr) != 1) return;
  remote_ = addr;
  remote_rtcp_ = addr;
  remote_rtcp_.sin_port = htons(static_cast<uint16_t>(port + 1));
  has_remote_ = true;
}

void RtpStream::SetListener(std::shared_ptr<RtpListener> listener) {
  std::lock_guard<std::mutex> lock(mu_);
  listener_ = std::move(listener);
}

void RtpStream::Play(uint64_t id, SharedSamples audio, int loop) {
  std::lock_guard<std::mutex> lock(mu_);
  playout_.Play(id, std::move(audio), loop);
}

void RtpStream::PlayDigits(uint64_t id, const std::string& digits) {
  std::lock_guard<std::mutex> lock(mu_);
  if (dtmf_payload_type_ >= 0) return playout_.PlayDigits(id, digits);
  // The far end takes no RFC 4733: send the tones in band.
  auto tones = std::make_shared<Samples>();
  dtmf_tx_state_t* tx = dtmf_tx_init(nullptr);
  for (char d : digits) {
    if (d == 'w' || d == 'W') {
      tones->insert(tones->end(), kDigitPauseTicks * kSamplesPerFrame, 0);
      continue;
    }
    dtmf_tx_put(tx, &d, 1);
    int16_t buf[kSamplesPerFrame];
    int n;
    while ((n = dtmf_tx(tx, buf, kSamplesPerFrame)) > 0) tones->insert(tones->end(), buf, buf + n);
  }
  dtmf_tx_free(tx);
  playout_.Play(id, std::move(tones), 1);
}

void RtpStream::StopPlayback() {
  std::vector<uint64_t> dropped;
  std::shared_ptr<RtpListener> listener;
  {
    std::lock_guard<std::mutex> lock(mu_);
    dropped = playout_.Clear();
    listener = listener_;
  }
  if (listener != nullptr) {
    for (uint64_t id : dropped) listener->OnPlayDone(id);
  }
}

void RtpStream::DetectInbandDigits(bool on) {
  std::lock_guard<std::mutex> lock(mu_);
  digits_.DetectInband(on);
}

void RtpStream::StartRecording(int max_ms, int silence_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  recorder_.Start(max_ms, silence_ms);
}

void RtpStream::StopRecording() {
  Samples audio;
  std::shared_ptr<RtpListener> listener;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!recorder_.active()) return;
    audio = recorder_.Take();
    listener = listener_;
  }
  if (listener != nullptr) listener->OnRecordDone(std::move(audio), RecordEnd::kStopped);
}

void RtpStream::StartCallRecording() {
  std::lock_guard<std::mutex> lock(mu_);
  call_mix_.Start();
}

Samples RtpStream::StopCallRecording() {
  std::lock_guard<std::mutex> lock(mu_);
  return call_mix_.Take();
}

void RtpStream::BridgeTo(std::shared_ptr<CallAudio> other) {
  std::lock_guard<std::mutex> lock(mu_);
  bridge_ = std::dynamic_pointer_cast<RtpStream>(other);
}

void RtpStream::Unbridge() {
  std::lock_guard<std::mutex> lock(mu_);
  bridge_.reset();
  bridged_in_.Clear();
}

RtpStats RtpStream::stats() {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

void RtpStream::SendAudio(const int16_t* frame, bool marker) {
  uint8_t packet[kRtpHeaderSize + kSamplesPerFrame];
  WriteRtpHeader({.marker = marker,
                  .payload_type = payload_type_,
                  .sequence = sequence_++,
                  .timestamp = timestamp_,
                  .ssrc = ssrc_},
                 packet);
  audio::EncodeG711(frame, kSamplesPerFrame, CodecOf(payload_type_), packet + kRtpHeaderSize);
  if (sendto(rtp_fd_, packet, sizeof packet, MSG_DONTWAIT,
             reinterpret_cast<const sockaddr*>(&remote_), sizeof remote_) > 0) {
    ++stats_.packets_sent;
  }
}

bool RtpStream::SendDigitPacket(std::vector<std::function<void()>>& notify) {
  std::vector<uint64_t> done;
  std::optional<Playout::DigitTick> tick = playout_.NextDigit(done);
  NotifyDone(listener_, done, notify);
  if (!tick) return false;
  if (tick->first) digit_timestamp_ = timestamp_;
  uint8_t packet[kRtpHeaderSize + kDtmfEventSize];
  WriteDtmfEvent(tick->event, packet + kRtpHeaderSize);
  // The end packet thrice (RFC 4733 2.5.1.4).
  for (int copy = 0; copy < (tick->event.end ? 3 : 1); ++copy) {
    WriteRtpHeader({.marker = tick->first && copy == 0,
                    .payload_type = dtmf_payload_type_,
                    .sequence = sequence_++,
                    .timestamp = digit_timestamp_,
                    .ssrc = ssrc_},
                   packet);
    if (sendto(rtp_fd_, packet, sizeof packet, MSG_DONTWAIT,
               reinterpret_cast<const sockaddr*>(&remote_), sizeof remote_) > 0) {
      ++stats_.packets_sent;
    }
  }
  return true;
}

void RtpStream::Tick(int64_t now_ms, bool late, std::vector<std::function<void()>>& notify) {
  std::lock_guard<std::mutex> lock(mu_);
  if (closed_) return;
  if (late) ++stats_.late_frames;
  int16_t frame[kSamplesPerFrame];
  bool sound = false;
  bool sent_event = false;
  if (auto peer = bridge_.lock()) {
    sound = bridged_in_.Pop(frame);
  } else if (!playout_.empty()) {
    if (playout_.digits_next()) {
      if (has_remote_) sent_event = SendDigitPacket(notify);
    } else {
      std::vector<uint64_t> done;
      sound = playout_.NextFrame(frame, done);
      NotifyDone(listener_, done, notify);
    }
  }
  if (has_remote_ && !sent_event) {
    if (!sound) std::fill(frame, frame + kSamplesPerFrame, 0);  // silence when nothing plays
    SendAudio(frame, sound && !talking_);
  }
  talking_ = sound || sent_event;
  if (!taps_.empty()) {
    if (!sound) std::fill(frame, frame + kSamplesPerFrame, 0);
    for (const auto& tap : taps_) tap->OnOutbound(frame, kSamplesPerFrame);
  }
  timestamp_ += kSamplesPerFrame;
  call_mix_.Sent(frame, sound);
  // When the far end stops sending (silence suppression, a pause), ticks without packets count
  // as silence, so a recording keeps wall-clock time and silence still ends it. A few ticks
  // of grace absorb jitter and packet sizes other than 20 ms.
  if (heard_this_tick_ > 0) {
    quiet_ticks_ = 0;
  } else if (recorder_.active() && ++quiet_ticks_ > kQuietGraceTicks) {
    int16_t quiet[kSamplesPerFrame] = {};
    HeardLocked(quiet, kSamplesPerFrame, notify);
  }
  heard_this_tick_ = 0;
  if (has_remote_ && now_ms >= next_rtcp_ms_) {
    if (next_rtcp_ms_ != 0) SendRtcp();
    next_rtcp_ms_ = now_ms + 5000;
  }
}

void RtpStream::SendRtcp() {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  const uint64_t micros =
      std::chrono::duration_cast<std::chrono::microseconds>(since_epoch).count();
  const uint64_t seconds = micros / 1000000 + 2208988800ULL;
  const uint64_t fraction = ((micros % 1000000) << 32) / 1000000;
  const std::string sr = RtcpSenderReport(
      ssrc_, seconds << 32 | fraction, timestamp_, static_cast<uint32_t>(stats_.packets_sent),
      static_cast<uint32_t>(stats_.packets_sent * kSamplesPerFrame), "dialtone");
  sendto(rtcp_fd_, sr.data(), sr.size(), MSG_DONTWAIT,
         reinterpret_cast<const sockaddr*>(&remote_rtcp_), sizeof remote_rtcp_);
}

void RtpStream::HeardLocked(const int16_t* frame, int samples,
                            std::vector<std::function<void()>>& notify) {
  if (digits_.detecting_inband()) {
    const std::string heard = digits_.OnAudio(frame, samples);
    if (auto listener = listener_) {
      for (char d : heard) notify.push_back([listener, d] { listener->OnDigit(d); });
    }
  }
  const std::optional<RecordEnd> end = recorder_.Add(frame, samples);
  if (!end) return;
  auto audio = std::make_shared<Samples>(recorder_.Take());
  if (auto listener = listener_) {
    notify.push_back([listener, audio, e = *end] { listener->OnRecordDone(std::move(*audio), e); });
  }
}

bool RtpStream::Receive(const uint8_t* data, size_t size, const sockaddr_in& from,
                        std::vector<std::function<void()>>& notify) {
  const RtpSource source{ntohl(from.sin_addr.s_addr), ntohs(from.sin_port)};
  std::shared_ptr<RtpStream> peer;
  Samples to_peer;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return true;
    // Judged before parsing: whatever a stranger sends is dropped and counted, valid RTP or not.
    const RtpSourceVerdict verdict = JudgeRtpSource(source_rule_, latched_, source);
    if (verdict == RtpSourceVerdict::kDrop) {
      if (stats_.foreign_packets_dropped++ == 0) {  // once per leg: a flood must not flood the log
        notify.push_back([port = port_, from = ToString(source),
                          latched = latched_ ? ToString(*latched_) : std::string("none")] {
          log::Warn("RTP from a foreign source dropped",
                    {{"port", port}, {"source", from}, {"latched", latched}});
        });
      }
      return false;
    }
    auto packet = ParseRtp(data, size);
    if (!packet || LooksLikeRtcp(data, size)) return true;
    if (verdict == RtpSourceVerdict::kLatch) {  // symmetric RTP: answer where the packets come from
      latched_ = source;
      has_remote_ = true;
      remote_ = from;
      remote_rtcp_ = from;
      remote_rtcp_.sin_port = htons(static_cast<uint16_t>(ntohs(from.sin_port) + 1));
    }
    ++stats_.packets_received;
    const RtpHeader& h = packet->header;
    if (have_sequence_) {
      const auto gap = static_cast<int16_t>(h.sequence - expected_sequence_);
      if (gap > 0) stats_.packets_lost += static_cast<uint64_t>(gap);
      if (gap >= 0) expected_sequence_ = static_cast<uint16_t>(h.sequence + 1);
    } else {
      have_sequence_ = true;
      expected_sequence_ = static_cast<uint16_t>(h.sequence + 1);
    }
    const uint8_t* payload = data + packet->payload_offset;
    if (dtmf_payload_type_ >= 0 && h.payload_type == dtmf_payload_type_) {
      auto event = ParseDtmfEvent(payload, packet->payload_size);
      if (!event) return true;
      // One digit per event, on its first packet (the end packets repeat it).
      if (const char digit = digits_.OnEvent(h.timestamp, event->event, event->end)) {
        if (auto listener = listener_)
          notify.push_back([listener, digit] { listener->OnDigit(digit); });
      }
      return true;
    }
    if (h.payload_type != kPayloadPcmu && h.payload_type != kPayloadPcma) return true;
    int16_t frame[kSamplesPerFrame * 4];
    const int n = static_cast<int>(std::min<size_t>(packet->payload_size, std::size(frame)));
    audio::DecodeG711(payload, static_cast<size_t>(n), CodecOf(h.payload_type), frame);
    heard_this_tick_ += n;
    for (const auto& tap : taps_) tap->OnInbound(frame, n, h.timestamp);
    HeardLocked(frame, n, notify);
    call_mix_.Heard(frame, n);
    peer = bridge_.lock();
    if (peer != nullptr) to_peer.assign(frame, frame + n);
  }
  if (peer != nullptr) peer->FromBridge(std::move(to_peer));
  return true;
}

void RtpStream::AddTap(std::shared_ptr<AudioTap> tap) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!closed_ && tap != nullptr) taps_.push_back(std::move(tap));
}

void RtpStream::RemoveTap(const AudioTap* tap) {
  std::shared_ptr<AudioTap> last;  // released after the lock: its destructor may do anything
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = std::find_if(taps_.begin(), taps_.end(),
                           [tap](const std::shared_ptr<AudioTap>& t) { return t.get() == tap; });
    if (it == taps_.end()) return;
    last = std::move(*it);
    taps_.erase(it);
  }
}

void RtpStream::FromBridge(Samples audio) {
  std::lock_guard<std::mutex> lock(mu_);
  if (closed_) return;
  bridged_in_.Push(audio.data(), audio.size());
}

// ---- RtpEngine ----

RtpEngine::RtpEngine(Options options) : options_(std::move(options)) {
  next_port_ = options_.port_min + (options_.port_min % 2);
}

RtpEngine::~RtpEngine() { Stop(); }

absl::Status RtpEngine::Start() {
  if (options_.port_min < 1024 || options_.port_max > 65534 ||
      options_.port_max - options_.port_min < 2) {
    return absl::InvalidArgumentError("RTP port range must lie within 1024-65534, 2 ports or more");
  }
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  timer_fd_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_fd_ < 0 || timer_fd_ < 0 || wake_fd_ < 0)
    return absl::InternalError("epoll setup failed");
  itimerspec spec{};
  spec.it_interval.tv_nsec = kTickMs * 1000000L;
  spec.it_value.tv_nsec = kTickMs * 1000000L;
  timerfd_settime(timer_fd_, 0, &spec, nullptr);  // periodic: the kernel keeps the cadence
  for (int fd : {timer_fd_, wake_fd_}) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev);
  }
  thread_ = std::thread([this] { Loop(); });
  log::Info("RTP ready", {{"host", options_.bind_host},
                          {"port_min", options_.port_min},
                          {"port_max", options_.port_max},
                          {"nat", options_.nat ? "on" : "off"}});
  return absl::OkStatus();
}

void RtpEngine::Stop() {
  if (!thread_.joinable()) return;
  stopping_ = true;
  uint64_t one = 1;
  if (write(wake_fd_, &one, sizeof one) < 0) log::Warn("RTP wakeup write failed");
  thread_.join();
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [fd, stream] : by_fd_) close(fd);
  by_fd_.clear();
  for (int fd : {epoll_fd_, timer_fd_, wake_fd_}) {
    if (fd >= 0) close(fd);
  }
  epoll_fd_ = timer_fd_ = wake_fd_ = -1;
}

absl::StatusOr<std::shared_ptr<CallAudio>> RtpEngine::Open() {
  std::lock_guard<std::mutex> lock(mu_);
  if (epoll_fd_ < 0) return absl::FailedPreconditionError("RTP engine not started");
  const int first = options_.port_min + (options_.port_min % 2);
  const int span = (options_.port_max - first) / 2;
  for (int attempt = 0; attempt <= span; ++attempt) {
    int port = next_port_;
    next_port_ += 2;
    if (next_port_ + 1 > options_.port_max) next_port_ = first;
    if (ports_in_use_.count(port) != 0) continue;
    int fds[2] = {-1, -1};
    bool ok = true;
    for (int i = 0; i < 2 && ok; ++i) {
      fds[i] = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_port = htons(static_cast<uint16_t>(port + i));
      inet_pton(AF_INET, options_.bind_host.c_str(), &addr.sin_addr);
      ok = fds[i] >= 0 && bind(fds[i], reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    }
    if (!ok) {
      for (int fd : fds) {
        if (fd >= 0) close(fd);
      }
      continue;
    }
    auto stream = std::make_shared<RtpStream>(port, fds[0], fds[1], options_.nat);
    for (int fd : fds) {
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.fd = fd;
      epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev);
      by_fd_[fd] = stream;
    }
    ports_in_use_.insert(port);
    return std::shared_ptr<CallAudio>(std::move(stream));
  }
  return absl::ResourceExhaustedError(
      absl::StrCat("no free RTP port in ", options_.port_min, "-", options_.port_max));
}

void RtpEngine::Close(const std::shared_ptr<CallAudio>& leg) {
  auto stream = std::dynamic_pointer_cast<RtpStream>(leg);
  if (stream == nullptr) return;
  std::vector<std::shared_ptr<AudioTap>> taps;  // released after the lock
  {
    std::lock_guard<std::mutex> lock(stream->mu_);
    if (stream->closed_) return;
    stream->closed_ = true;
    stream->listener_.reset();
    taps.swap(stream->taps_);
  }
  std::lock_guard<std::mutex> lock(mu_);
  for (int fd : {stream->rtp_fd_, stream->rtcp_fd_}) {
    if (by_fd_.erase(fd) == 0) continue;
    if (epoll_fd_ >= 0) epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
    close(fd);
  }
  ports_in_use_.erase(stream->port_);
}

void RtpEngine::Loop() {
  epoll_event events[256];
  std::vector<std::function<void()>> notify;
  std::vector<std::shared_ptr<RtpStream>> streams;
  uint8_t buf[2048];
  while (!stopping_) {
    const int n = epoll_wait(epoll_fd_, events, 256, 1000);
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      if (fd == wake_fd_) {
        uint64_t v;
        while (read(wake_fd_, &v, sizeof v) > 0) {
        }
        continue;
      }
      if (fd == timer_fd_) {
        uint64_t expirations = 0;
        if (read(timer_fd_, &expirations, sizeof expirations) != sizeof expirations) continue;
        streams.clear();
        {
          std::lock_guard<std::mutex> lock(mu_);
          for (auto& [sfd, stream] : by_fd_) {
            if (sfd == stream->rtp_fd_) streams.push_back(stream);
          }
        }
        const int64_t now = MonotonicMs();
        // Frames missed while the thread was late go out now, up to 3, so timestamps and
        // audio keep pace with the clock.
        const uint64_t frames = std::min<uint64_t>(expirations, 3);
        for (uint64_t f = 0; f < frames; ++f) {
          for (auto& stream : streams) stream->Tick(now, f > 0, notify);
        }
      } else {
        std::shared_ptr<RtpStream> stream;
        {
          std::lock_guard<std::mutex> lock(mu_);
          auto it = by_fd_.find(fd);
          if (it != by_fd_.end()) stream = it->second;
        }
        for (int reads = 0; reads < 64; ++reads) {
          sockaddr_in from{};
          socklen_t from_len = sizeof from;
          const ssize_t got =
              recvfrom(fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &from_len);
          if (got <= 0) break;
          if (stream != nullptr && fd == stream->rtp_fd_ &&
              !stream->Receive(buf, static_cast<size_t>(got), from, notify) &&
              options_.on_foreign_packet) {
            options_.on_foreign_packet();
          }  // RTCP from the far end: read and let go (nothing we send or hear depends on it)
        }
      }
      for (auto& fn : notify) fn();
      notify.clear();
    }
    for (auto& fn : notify) fn();
    notify.clear();
  }
}

}  // namespace dialtone::call_router
