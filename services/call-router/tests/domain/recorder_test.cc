// A <Record> ends on its length or a run of silence; a whole-call recording puts what is sent
// and what is heard at their places in time.
#include <catch2/catch.hpp>

#include <vector>

#include "media/recorder.h"
#include "media/rtp_wire.h"

using namespace dialtone::call_router;

namespace {
std::vector<int16_t> Frame(int16_t value) { return std::vector<int16_t>(kSamplesPerFrame, value); }
}  // namespace

TEST_CASE("A recording ends after its silence timeout, keeping what was heard") {
  Recorder r;
  r.Start(/*max_ms=*/0, /*silence_ms=*/100);  // 5 frames
  const auto loud = Frame(3000);
  const auto quiet = Frame(0);
  for (int i = 0; i < 10; ++i) CHECK_FALSE(r.Add(loud.data(), kSamplesPerFrame));
  for (int i = 0; i < 4; ++i) CHECK_FALSE(r.Add(quiet.data(), kSamplesPerFrame));
  auto end = r.Add(quiet.data(), kSamplesPerFrame);
  REQUIRE(end);
  CHECK(*end == RecordEnd::kSilence);
  CHECK_FALSE(r.active());
  CHECK(r.Take().size() == 15u * kSamplesPerFrame);
  CHECK_FALSE(r.Add(loud.data(), kSamplesPerFrame));  // inactive: nothing more is kept
}

TEST_CASE("Sound resets the silence run, and the maximum length ends a recording") {
  Recorder r;
  r.Start(/*max_ms=*/200, /*silence_ms=*/60);  // 10 frames, 3 frames
  const auto loud = Frame(-3000);
  const auto quiet = Frame(10);
  for (int i = 0; i < 3; ++i) {
    CHECK_FALSE(r.Add(quiet.data(), kSamplesPerFrame));
    CHECK_FALSE(r.Add(quiet.data(), kSamplesPerFrame));
    CHECK_FALSE(r.Add(loud.data(), kSamplesPerFrame));
  }
  auto end = r.Add(loud.data(), kSamplesPerFrame);
  REQUIRE(end);
  CHECK(*end == RecordEnd::kMaxLength);
  CHECK(r.Take().size() == 10u * kSamplesPerFrame);
}

TEST_CASE("Silence is a mean level under about -44 dBFS") {
  const auto hiss = Frame(150);
  const auto voice = Frame(400);
  CHECK(IsSilent(hiss.data(), kSamplesPerFrame));
  CHECK_FALSE(IsSilent(voice.data(), kSamplesPerFrame));
  CHECK(IsSilent(nullptr, 0));
}

TEST_CASE("The call mix puts sent and heard audio at their ticks, summed and clipped") {
  CallMix mix;
  mix.Start();
  const auto sent = Frame(30000);
  const auto heard = Frame(10000);
  mix.Sent(sent.data(), true);  // tick 0: sound sent
  mix.Heard(heard.data(), kSamplesPerFrame);
  mix.Sent(sent.data(), false);  // tick 1: silence sent
  mix.Sent(sent.data(), false);  // tick 2
  mix.Sent(sent.data(), false);  // tick 3
  mix.Sent(sent.data(), false);  // tick 4: heard audio is realigned after a gap of 4 ticks
  mix.Heard(heard.data(), kSamplesPerFrame);
  Samples out = mix.Take();
  CHECK_FALSE(mix.active());
  REQUIRE(out.size() == 6u * kSamplesPerFrame);
  CHECK(out[0] == 32767);                     // 30000 + 10000, clipped
  CHECK(out[kSamplesPerFrame] == 0);          // tick 1: silence
  CHECK(out[5 * kSamplesPerFrame] == 10000);  // heard at tick 5's place (now)
  CHECK(out[4 * kSamplesPerFrame - 1] == 0);
}
