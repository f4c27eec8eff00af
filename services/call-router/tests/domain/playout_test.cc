// What a leg plays, tick by tick: audio in order and looped, the ids of finished plays, a
// barge-in that drops the queue, and RFC 4733 digits with their tone, gap and pause timing.
#include <catch2/catch.hpp>

#include <vector>

#include "media/playout.h"

using namespace dialtone::call_router;

namespace {

SharedSamples Constant(size_t n, int16_t value) {
  return std::make_shared<const Samples>(n, value);
}

}  // namespace

TEST_CASE("Audio plays in order, frame by frame, padded with silence at the end") {
  Playout p;
  p.Play(1, Constant(200, 7), 1);  // a frame and a quarter
  p.Play(2, Constant(100, 9), 1);
  int16_t frame[kSamplesPerFrame];
  std::vector<uint64_t> done;
  REQUIRE(p.NextFrame(frame, done));
  CHECK(frame[0] == 7);
  CHECK(frame[159] == 7);
  CHECK(done.empty());
  REQUIRE(p.NextFrame(frame, done));  // the rest of 1 runs straight into 2
  CHECK(frame[39] == 7);
  CHECK(frame[40] == 9);
  CHECK(frame[139] == 9);
  CHECK(frame[140] == 0);
  CHECK(done == std::vector<uint64_t>{1, 2});  // both ended within this frame
  CHECK_FALSE(p.NextFrame(frame, done));
  CHECK(done == std::vector<uint64_t>{1, 2});
  CHECK(p.empty());
}

TEST_CASE("A looped entry plays its audio that many times before it is done") {
  Playout p;
  p.Play(5, Constant(160, 3), 3);
  int16_t frame[kSamplesPerFrame];
  std::vector<uint64_t> done;
  int frames = 0;
  while (p.NextFrame(frame, done)) ++frames;
  CHECK(frames == 3);
  CHECK(done == std::vector<uint64_t>{5});
}

TEST_CASE("Clear drops the queue and gives back what it dropped") {
  Playout p;
  p.Play(1, Constant(1600, 1), 1);
  p.PlayDigits(2, "12");
  int16_t frame[kSamplesPerFrame];
  std::vector<uint64_t> done;
  REQUIRE(p.NextFrame(frame, done));
  CHECK(p.Clear() == std::vector<uint64_t>{1, 2});
  CHECK(p.empty());
  CHECK_FALSE(p.NextFrame(frame, done));
  p.Play(3, Constant(160, 4), 1);  // a new entry starts at its beginning
  REQUIRE(p.NextFrame(frame, done));
  CHECK(frame[0] == 4);
}

TEST_CASE("Digits go out as 100 ms events, 60 ms apart, w waits half a second") {
  Playout p;
  p.PlayDigits(9, "1w#");
  REQUIRE(p.digits_next());
  std::vector<uint64_t> done;
  std::vector<std::optional<Playout::DigitTick>> ticks;
  for (int i = 0; i < 60 && done.empty(); ++i) ticks.push_back(p.NextDigit(done));
  // '1': 5 event ticks, 3 silent; 'w': 25 silent; '#': 5 event ticks, 3 silent; then done.
  REQUIRE(ticks.size() == 5 + 3 + 25 + 5 + 3 + 1);
  REQUIRE(ticks[0].has_value());
  CHECK(ticks[0]->first);
  CHECK(ticks[0]->event.event == 1);
  CHECK(ticks[0]->event.duration == 160);
  CHECK_FALSE(ticks[0]->event.end);
  REQUIRE(ticks[4].has_value());
  CHECK_FALSE(ticks[4]->first);
  CHECK(ticks[4]->event.end);
  CHECK(ticks[4]->event.duration == 800);
  for (int i = 5; i < 33; ++i) CHECK_FALSE(ticks[i].has_value());
  REQUIRE(ticks[33].has_value());
  CHECK(ticks[33]->first);
  CHECK(ticks[33]->event.event == 11);  // '#'
  CHECK_FALSE(ticks.back().has_value());
  CHECK(done == std::vector<uint64_t>{9});
  CHECK(p.empty());
}
