// RFC 4733 events become one digit each, however many packets repeat them; in-band detection
// reports nothing while it is off.
#include <catch2/catch.hpp>

#include <vector>

#include "media/digit_receiver.h"

using dialtone::call_router::DigitReceiver;

TEST_CASE("An RFC 4733 event gives its digit once, on its first packet") {
  DigitReceiver d;
  CHECK(d.OnEvent(1000, 5, false) == '5');
  CHECK(d.OnEvent(1000, 5, false) == '\0');  // the same event, continued
  CHECK(d.OnEvent(1000, 5, true) == '\0');   // its end packets
  CHECK(d.OnEvent(1000, 5, true) == '\0');
  CHECK(d.OnEvent(2000, 5, false) == '5');   // a new timestamp: a new press
  CHECK(d.OnEvent(2000, 11, false) == '#');  // another code at the same timestamp
  CHECK(d.OnEvent(2000, 10, false) == '*');
}

TEST_CASE("A start after an end at the same timestamp is a new press (replayed captures)") {
  DigitReceiver d;
  CHECK(d.OnEvent(500, 1, false) == '1');
  CHECK(d.OnEvent(500, 1, true) == '\0');
  CHECK(d.OnEvent(500, 1, false) == '1');
}

TEST_CASE("Events that are not digits give none, and in-band detection is off until asked") {
  DigitReceiver d;
  CHECK(d.OnEvent(700, 16, false) == '\0');  // flash
  std::vector<int16_t> silence(160, 0);
  CHECK_FALSE(d.detecting_inband());
  CHECK(d.OnAudio(silence.data(), 160).empty());
  d.DetectInband(true);
  CHECK(d.detecting_inband());
  CHECK(d.OnAudio(silence.data(), 160).empty());
  d.DetectInband(false);
  CHECK_FALSE(d.detecting_inband());
}
