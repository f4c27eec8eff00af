// RtpEngine on loopback: two legs aimed at each other exchange paced G.711, RFC 4733 and
// in-band digits, record with silence detection, and bridge.
#include "media/rtp_engine.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <thread>

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

}  // namespace
}  // namespace dialtone::call_router
