// RtpEngine on loopback: two legs aimed at each other exchange paced G.711, RFC 4733 and
// in-band digits, record with silence detection, and bridge; packets from other sources
// (another port on 127.0.0.1, or 127.0.0.2) are dropped and counted.
#include "media/rtp_engine.h"

#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "media/rtp_wire.h"

namespace dialtone::call_router {
namespace {

using namespace std::chrono_literals;

class Recorder final : public RtpListener {
 public:
  void OnDigit(char digit) override {
    std::lock_guard<std::mutex> lock(mu);
    digits += digit;
    cv.notify_all();
  }
  void OnPlayDone(uint64_t id) override {
    std::lock_guard<std::mutex> lock(mu);
    done.push_back(id);
    cv.notify_all();
  }
  void OnRecordDone(Samples audio, RecordEnd e) override {
    std::lock_guard<std::mutex> lock(mu);
    recorded = std::move(audio);
    end = e;
    record_done = true;
    cv.notify_all();
  }
  template <typename Pred>
  bool WaitFor(std::chrono::milliseconds limit, Pred pred) {
    std::unique_lock<std::mutex> lock(mu);
    return cv.wait_for(lock, limit, pred);
  }
  std::mutex mu;
  std::condition_variable cv;
  std::string digits;
  std::vector<uint64_t> done;
  Samples recorded;
  RecordEnd end = RecordEnd::kStopped;
  bool record_done = false;
};

SharedSamples Tone(int ms, double hz = 440, double amplitude = 8000) {
  auto s = std::make_shared<Samples>(ms * 8);
  for (size_t i = 0; i < s->size(); ++i) {
    (*s)[i] = static_cast<int16_t>(amplitude * std::sin(2 * M_PI * hz * i / 8000.0));
  }
  return s;
}

struct Pair {
  RtpEngine engine{{.bind_host = "127.0.0.1", .port_min = 41000, .port_max = 41999}};
  std::shared_ptr<CallAudio> a, b;
  std::shared_ptr<Recorder> ra = std::make_shared<Recorder>();
  std::shared_ptr<Recorder> rb = std::make_shared<Recorder>();
  explicit Pair(int a_pt = 0, int b_pt = 0, int dtmf = 101) {
    REQUIRE(engine.Start().ok());
    a = *engine.Open();
    b = *engine.Open();
    a->SetRemote("127.0.0.1", b->port(), a_pt, dtmf);
    b->SetRemote("127.0.0.1", a->port(), b_pt, dtmf);
    a->SetListener(ra);
    b->SetListener(rb);
  }
};

TEST_CASE("RTP: audio played on one leg is heard on the other, at 50 packets a second") {
  Pair p;
  auto tone = Tone(1000);
  p.b->StartRecording(60000, 0);
  p.a->Play(7, tone);
  REQUIRE(p.ra->WaitFor(3s, [&] { return !p.ra->done.empty(); }));
  CHECK(p.ra->done == std::vector<uint64_t>{7});
  std::this_thread::sleep_for(100ms);
  p.b->StopRecording();
  REQUIRE(p.rb->WaitFor(1s, [&] { return p.rb->record_done; }));
  // Find the tone in what b heard and compare after the G.711 round trip.
  const Samples& heard = p.rb->recorded;
  size_t start = 0;
  while (start < heard.size() && std::abs(heard[start]) < 100) ++start;
  REQUIRE(heard.size() >= start + tone->size());
  // The tone starts at a zero crossing: line it up within a few samples, then compare.
  double best = 1e9;
  for (size_t offset = start > 3 ? start - 3 : 0; offset <= start + 3; ++offset) {
    double error = 0, energy = 0;
    for (size_t i = 8; i < tone->size() - 8 && offset + i < heard.size(); ++i) {
      const double d = heard[offset + i] - (*tone)[i];
      error += d * d;
      energy += static_cast<double>((*tone)[i]) * (*tone)[i];
    }
    best = std::min(best, error / energy);
  }
  CHECK(best < 0.01);  // G.711 quantisation noise is far below 1 %
  const RtpStats sa = p.a->stats();
  CHECK(sa.packets_sent >= 50);
  CHECK(p.b->stats().packets_lost == 0);
}

TEST_CASE("RTP: pacing holds 20 ms without drift") {
  Pair p;
  std::this_thread::sleep_for(200ms);
  const uint64_t before = p.a->stats().packets_sent;
  std::this_thread::sleep_for(2000ms);
  const uint64_t sent = p.a->stats().packets_sent - before;
  CHECK(sent >= 98);
  CHECK(sent <= 102);
}

TEST_CASE("RTP: RFC 4733 digits arrive once each, in order") {
  Pair p;
  p.a->PlayDigits(3, "12w#*");
  REQUIRE(p.rb->WaitFor(3s, [&] { return p.rb->digits.size() >= 4; }));
  CHECK(p.rb->digits == "12#*");
  REQUIRE(p.ra->WaitFor(2s, [&] { return !p.ra->done.empty(); }));
  CHECK(p.ra->done.front() == 3);
}

TEST_CASE("RTP: in-band DTMF is detected when the far end takes no telephone-event") {
  Pair p(0, 0, -1);
  p.b->DetectInbandDigits(true);
  p.a->PlayDigits(4, "59");
  REQUIRE(p.rb->WaitFor(3s, [&] { return p.rb->digits.size() >= 2; }));
  CHECK(p.rb->digits == "59");
}

TEST_CASE("RTP: a recording ends after the given silence") {
  Pair p;
  p.b->StartRecording(60000, 1000);
  p.a->Play(1, Tone(500));
  const auto start = std::chrono::steady_clock::now();
  REQUIRE(p.rb->WaitFor(4s, [&] { return p.rb->record_done; }));
  const auto took = std::chrono::steady_clock::now() - start;
  CHECK(p.rb->end == RecordEnd::kSilence);
  CHECK(took >= 1400ms);
  CHECK(took <= 2200ms);
}

TEST_CASE("RTP: bridged legs pass audio across codecs") {
  // x <-> a (PCMU) bridged with b (PCMA) <-> y: x plays, y hears it.
  RtpEngine engine{{.bind_host = "127.0.0.1", .port_min = 42000, .port_max = 42999}};
  REQUIRE(engine.Start().ok());
  auto x = *engine.Open(), a = *engine.Open(), b = *engine.Open(), y = *engine.Open();
  x->SetRemote("127.0.0.1", a->port(), 0, 101);
  a->SetRemote("127.0.0.1", x->port(), 0, 101);
  b->SetRemote("127.0.0.1", y->port(), 8, 101);
  y->SetRemote("127.0.0.1", b->port(), 8, 101);
  a->BridgeTo(b);
  b->BridgeTo(a);
  auto ry = std::make_shared<Recorder>();
  y->SetListener(ry);
  y->StartRecording(1500, 0);
  x->Play(1, Tone(1000, 600, 10000));
  REQUIRE(ry->WaitFor(3s, [&] { return ry->record_done; }));
  int loud = 0;
  for (int16_t s : ry->recorded) loud += std::abs(s) > 2000;
  CHECK(loud > 4000);  // most of a second of the tone came through
}

// A UDP socket on a loopback address that sends RTP to a leg and sees what the leg sends it.
class UdpPeer {
 public:
  explicit UdpPeer(const char* ip) : ip_(ip) {
    fd_ = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    inet_pton(AF_INET, ip, &addr.sin_addr);
    REQUIRE(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~UdpPeer() { close(fd_); }
  int port() const { return port_; }
  // `count` packets of loud PCMU (or RFC 4733 events of `digit` with payload type 101).
  void Send(int to_port, int count, char digit = '\0') {
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<uint16_t>(to_port));
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    for (int i = 0; i < count; ++i) {
      uint8_t packet[kRtpHeaderSize + kSamplesPerFrame] = {};
      size_t size = sizeof packet;
      timestamp_ += kSamplesPerFrame;
      WriteRtpHeader({.marker = i == 0,
                      .payload_type = digit ? 101 : 0,
                      .sequence = sequence_++,
                      .timestamp = digit ? 4242u : timestamp_,
                      .ssrc = 0x5eed},
                     packet);
      if (digit) {
        WriteDtmfEvent({.event = DtmfEventCode(digit), .end = i + 1 == count, .duration = 160},
                       packet + kRtpHeaderSize);
        size = kRtpHeaderSize + kDtmfEventSize;
      } else {
        std::fill(packet + kRtpHeaderSize, packet + size, i % 2 ? 0x80 : 0x00);  // full scale
      }
      REQUIRE(sendto(fd_, packet, size, 0, reinterpret_cast<sockaddr*>(&to), sizeof to) ==
              static_cast<ssize_t>(size));
      std::this_thread::sleep_for(1ms);
    }
  }
  // Whether a packet from the leg arrives within `limit` (drains what is queued first).
  bool Hears(std::chrono::milliseconds limit) {
    uint8_t buf[2048];
    while (recv(fd_, buf, sizeof buf, MSG_DONTWAIT) > 0) {
    }
    pollfd p{fd_, POLLIN, 0};
    return poll(&p, 1, static_cast<int>(limit.count())) == 1;
  }

 private:
  std::string ip_;
  int fd_ = -1;
  int port_ = 0;
  uint16_t sequence_ = 1;
  uint32_t timestamp_ = 0;
};

struct CountingEngine {
  std::atomic<int> foreign{0};
  RtpEngine engine;
  explicit CountingEngine(bool nat)
      : engine({.bind_host = "127.0.0.1",
                .port_min = 43000,
                .port_max = 43999,
                .nat = nat,
                .on_foreign_packet = [this] { ++foreign; }}) {
    REQUIRE(engine.Start().ok());
  }
};

TEST_CASE("RTP: once latched, packets from another port or address are dropped and counted") {
  CountingEngine e(false);
  auto a = *e.engine.Open(), b = *e.engine.Open();
  a->SetRemote("127.0.0.1", b->port(), 0, 101);
  b->SetRemote("127.0.0.1", a->port(), 0, 101);
  auto rb = std::make_shared<Recorder>();
  b->SetListener(rb);
  std::this_thread::sleep_for(200ms);  // a's packets latch b (and b's latch a)
  REQUIRE(b->stats().packets_received > 0);
  b->StartRecording(60000, 0);
  UdpPeer same_ip("127.0.0.1"), other_ip("127.0.0.2");
  same_ip.Send(b->port(), 20);
  same_ip.Send(b->port(), 5, '7');
  other_ip.Send(b->port(), 20);
  other_ip.Send(b->port(), 5, '8');
  std::this_thread::sleep_for(100ms);
  b->StopRecording();
  REQUIRE(rb->WaitFor(1s, [&] { return rb->record_done; }));
  CHECK(b->stats().foreign_packets_dropped == 50);
  CHECK(e.foreign == 50);
  CHECK(rb->digits.empty());
  int loud = 0;
  for (int16_t s : rb->recorded) loud += std::abs(s) > 2000;
  CHECK(loud == 0);  // a sends silence: nothing of the injected full-scale noise was heard
  // The latch did not move: b still sends to a, and never to the injectors.
  CHECK_FALSE(same_ip.Hears(200ms));
  CHECK_FALSE(other_ip.Hears(100ms));
  const uint64_t a_heard = a->stats().packets_received;
  std::this_thread::sleep_for(200ms);
  CHECK(a->stats().packets_received > a_heard);
  CHECK(a->stats().foreign_packets_dropped == 0);
}

TEST_CASE("RTP: before anything latched, only the SDP's IP may latch (any port)") {
  CountingEngine e(false);
  auto b = *e.engine.Open();
  UdpPeer far_end("127.0.0.1"), other_ip("127.0.0.2");
  b->SetRemote("127.0.0.1", 9, 0, 101);  // the SDP names 127.0.0.1:9; the far end sends elsewhere
  other_ip.Send(b->port(), 10);
  std::this_thread::sleep_for(50ms);
  CHECK(b->stats().foreign_packets_dropped == 10);
  CHECK(b->stats().packets_received == 0);
  CHECK_FALSE(other_ip.Hears(100ms));
  far_end.Send(b->port(), 1);
  CHECK(far_end.Hears(200ms));  // latched: b answers where the packets come from
  other_ip.Send(b->port(), 3);
  std::this_thread::sleep_for(50ms);
  CHECK(b->stats().foreign_packets_dropped == 13);
  CHECK(b->stats().packets_received == 1);
  CHECK(e.foreign == 13);
}

TEST_CASE("RTP NAT mode: the first source latches whatever the SDP says, and only it") {
  CountingEngine e(true);
  auto b = *e.engine.Open();
  UdpPeer behind_nat("127.0.0.2"), other("127.0.0.1");
  b->SetRemote("127.0.0.1", 9, 0, 101);
  behind_nat.Send(b->port(), 1);
  CHECK(behind_nat.Hears(200ms));
  other.Send(b->port(), 4);
  std::this_thread::sleep_for(50ms);
  CHECK(b->stats().foreign_packets_dropped == 4);
  CHECK(b->stats().packets_received == 1);
  CHECK(e.foreign == 4);
}

TEST_CASE("RTP: an SDP that names another IP releases a latch made before it") {
  // An outbound call: packets arrive before the callee's answer, from someone else.
  CountingEngine e(false);
  auto b = *e.engine.Open();
  UdpPeer early("127.0.0.2"), callee("127.0.0.1");
  early.Send(b->port(), 1);
  std::this_thread::sleep_for(50ms);
  CHECK(b->stats().packets_received == 1);  // no SDP yet: the first source latched
  b->SetRemote("127.0.0.1", callee.port(), 0, 101);
  CHECK(callee.Hears(200ms));  // sending to the SDP's address again
  early.Send(b->port(), 2);
  std::this_thread::sleep_for(50ms);
  CHECK(b->stats().foreign_packets_dropped == 2);
  CHECK(b->stats().packets_received == 1);
  CHECK_FALSE(early.Hears(100ms));
}

}  // namespace
}  // namespace dialtone::call_router
