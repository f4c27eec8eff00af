// A bridged leg's incoming audio: cut into 20 ms frames, padded, and bounded so delay cannot grow.
#include <catch2/catch.hpp>

#include <vector>

#include "media/bridge_frames.h"
#include "media/rtp_wire.h"

using namespace dialtone::call_router;

TEST_CASE("Bridged audio comes out in 20 ms frames, the last one padded with silence") {
  BridgeFrames b;
  std::vector<int16_t> packet(240, 5);  // a 30 ms packet
  b.Push(packet.data(), packet.size());
  CHECK(b.size() == 2);
  int16_t frame[kSamplesPerFrame];
  REQUIRE(b.Pop(frame));
  CHECK(frame[159] == 5);
  REQUIRE(b.Pop(frame));
  CHECK(frame[79] == 5);
  CHECK(frame[80] == 0);
  CHECK_FALSE(b.Pop(frame));
}

TEST_CASE("A peer sending faster than we play loses its oldest frames, not our timing") {
  BridgeFrames b;
  for (int16_t i = 0; i < 15; ++i) {
    std::vector<int16_t> packet(kSamplesPerFrame, i);
    b.Push(packet.data(), packet.size());
  }
  CHECK(b.size() == BridgeFrames::kMaxFrames);
  int16_t frame[kSamplesPerFrame];
  REQUIRE(b.Pop(frame));
  CHECK(frame[0] == 5);  // 0..4 were dropped
  b.Clear();
  CHECK_FALSE(b.Pop(frame));
}
