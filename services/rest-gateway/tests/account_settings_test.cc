// Account settings (defaults, overrides, checks) and the recording media URL: pure.
#include <catch2/catch.hpp>

#include "domain/account_settings.h"
#include "domain/api_route.h"

using namespace dialtone::rest_gateway;

namespace {
constexpr char kAccount[] = "AC0123456789abcdef0123456789abcdef";
constexpr char kRecording[] = "RE0123456789abcdef0123456789abcdef";
std::string MediaUrl(const std::string& tail) {
  return std::string("/2010-04-01/Accounts/") + kAccount + "/Recordings/" + tail;
}
}  // namespace

TEST_CASE("A recording's media URL is WAV bare or .wav, MP3 with .mp3") {
  auto bare = ParseRecordingMediaPath(MediaUrl(kRecording));
  REQUIRE(bare);
  CHECK(bare->account_sid == kAccount);
  CHECK(bare->recording_sid == kRecording);
  CHECK_FALSE(bare->mp3);
  auto wav = ParseRecordingMediaPath(MediaUrl(std::string(kRecording) + ".wav?x=1"));
  REQUIRE(wav);
  CHECK_FALSE(wav->mp3);
  auto mp3 = ParseRecordingMediaPath(MediaUrl(std::string(kRecording) + ".mp3"));
  REQUIRE(mp3);
  CHECK(mp3->mp3);
}

TEST_CASE("Metadata, lists, sub-resources and other paths are not media") {
  CHECK_FALSE(ParseRecordingMediaPath(MediaUrl(std::string(kRecording) + ".json")));
  CHECK_FALSE(ParseRecordingMediaPath(MediaUrl(std::string(kRecording) + ".xml")));
  CHECK_FALSE(ParseRecordingMediaPath(MediaUrl("")));
  CHECK_FALSE(ParseRecordingMediaPath(MediaUrl(std::string(kRecording) + "/Transcriptions")));
  CHECK_FALSE(ParseRecordingMediaPath(MediaUrl("RE0123")));
  CHECK_FALSE(ParseRecordingMediaPath(MediaUrl("REzz23456789abcdef0123456789abcdef")));
  CHECK_FALSE(ParseRecordingMediaPath(std::string("/2010-04-01/Accounts/") + kAccount +
                                      "/Calls/CA0123456789abcdef0123456789abcdef/Recordings/" +
                                      kRecording));
  CHECK_FALSE(
      ParseRecordingMediaPath("/2010-04-01/Accounts//Recordings/" + std::string(kRecording)));
}

TEST_CASE("An account's own values win over the platform's defaults, field by field") {
  AccountSettings defaults;
  defaults.calls_per_second = 7;
  AccountSettingsOverrides own;
  own.media_http_auth = true;
  own.max_concurrent_calls = 3;
  AccountSettings s = Apply(defaults, own);
  CHECK(s.media_http_auth);
  CHECK(s.max_concurrent_calls == 3);
  CHECK(s.calls_per_second == 7);
  CHECK(s.max_call_seconds == 14400);  // Twilio's 4 hours
}

TEST_CASE("Settings out of range are refused with the field's name") {
  AccountSettingsOverrides o;
  o.calls_per_second = -1;
  CHECK(Validate(o).message().find("calls_per_second") != std::string::npos);
  o = {};
  o.max_call_seconds = 86401;
  CHECK(absl::IsInvalidArgument(Validate(o)));
  o = {};
  o.max_quiet_steps = 3;  // would end ordinary menus
  CHECK(absl::IsInvalidArgument(Validate(o)));
  o.max_quiet_steps = 0;  // no cap: allowed
  CHECK(Validate(o).ok());
}

TEST_CASE("Reset puts one setting, or all, back to the default") {
  AccountSettingsOverrides o;
  o.calls_per_second = 1;
  o.api_requests_per_second = 2;
  REQUIRE(Reset("calls_per_second", &o).ok());
  CHECK_FALSE(o.calls_per_second);
  CHECK(o.api_requests_per_second == 2);
  REQUIRE(Reset("all", &o).ok());
  CHECK_FALSE(o.api_requests_per_second);
  CHECK(absl::IsInvalidArgument(Reset("nonsense", &o)));
}
